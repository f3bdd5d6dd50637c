import { Queue } from "bullmq";
import type { Queues } from "../deps.ts";
import type { RedisConnectOptions } from "./embeddedRedis.ts";

export const queueNames = {
  accounting: "accounting",
  payment: "payment",
  notify: "notify",
  sweep: "sweep",
} as const;

/** BullMQ queues on their own connection, under the environment's key prefix. */
export function createQueues(connection: RedisConnectOptions, prefix: string): Queues {
  const opts = { connection, prefix: queuePrefix(prefix) };
  return {
    accounting: new Queue(queueNames.accounting, opts),
    payment: new Queue(queueNames.payment, opts),
    notify: new Queue(queueNames.notify, opts),
    sweep: new Queue(queueNames.sweep, opts),
  };
}

export async function closeQueues(queues: Queues) {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}

export const queuePrefix = (keyPrefix: string) => `${keyPrefix}:bull`;

/** BullMQ lock and stall settings (why these values: docs/payment.md, "After a crash"). */
export type WorkerTuning = {
  lockDuration?: number;
  lockRenewTime?: number;
  stalledInterval?: number;
  maxStalledCount?: number;
};

/**
 * A crashed worker's jobs are taken over within ~4–6 s instead of BullMQ's 30–60 s: its lock
 * lapses 4 s after the last renewal and the stall check runs every second. Renewing every second
 * tolerates a 3 s event-loop stall; a false stall only re-runs a job, and every job is safe to run
 * twice (payment: KakaoPay status first and the appendPaid memo), so stalls are allowed often.
 */
export const CRASH_RECOVERY: WorkerTuning = {
  lockDuration: 4000,
  lockRenewTime: 1000,
  stalledInterval: 1000,
  maxStalledCount: 20,
};
