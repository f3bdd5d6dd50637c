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
