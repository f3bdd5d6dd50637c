import { type DefaultJobOptions, Queue } from "bullmq";
import { Cluster } from "ioredis";
import { sha256 } from "./ids.ts";
import type { QueueConnection } from "./redisClient.ts";

/*
 * Every job's shape, in one place: what each queue carries and returns, its job options, and the
 * one function that queues each kind. Workers (workers/) are typed by the same names.
 */

/** The payment job: approve at KakaoPay, append `order.paid` once, mark PAID. */
export type ApproveJob = { orderId: string; pgToken: string };
export type ApprovalOutcome =
  | { outcome: "paid"; pickupNumber: number }
  | { outcome: "expired"; reason: string }
  | { outcome: "failed"; reason: string }
  | { outcome: "unknown_order" };

export type NotifyKind = "ready" | "canceled";
export type NotifyJob = { storeId: string; orderId: string; kind: NotifyKind };
export type NotifyResult =
  | { sent: true; taskId: string }
  | { sent: false; reason: "already_sent" | "no_order" };

/** One job per closed day. */
export type AccountingJob = { storeId: string; dayId: string };
export type AccountingResult = {
  orderCount: number;
  netAmount: number;
  findings: number;
  /** milliseconds per phase (accounting/phases.ts) */
  ms?: Record<string, number>;
};

export type SweepResult = Record<string, number>;

export type Queues = {
  payment: Queue<ApproveJob, ApprovalOutcome, "approve">;
  notify: Queue<NotifyJob, NotifyResult, "notify">;
  accounting: Queue<AccountingJob, AccountingResult, "accounting">;
  /** fired by a job scheduler (its id is typed as a job name) */
  sweep: Queue<Record<string, never>, SweepResult>;
};

export const queueNames = {
  accounting: "accounting",
  payment: "payment",
  notify: "notify",
  sweep: "sweep",
} as const satisfies Record<keyof Queues, string>;

const day = 24 * 3600;
/** Retries and how long finished jobs stay visible (bull-board), per queue. */
const jobOptions: Record<keyof Queues, DefaultJobOptions> = {
  payment: {
    attempts: 10,
    backoff: { type: "exponential", delay: 500 },
    removeOnComplete: { age: day },
    removeOnFail: { age: 7 * day },
  },
  notify: {
    attempts: 6,
    backoff: { type: "exponential", delay: 1000 },
    removeOnComplete: { age: 7 * day },
    removeOnFail: { age: 30 * day },
  },
  // Kept: the day record names its accounting job.
  accounting: { attempts: 5, backoff: { type: "exponential", delay: 5000 } },
  sweep: {},
};

/** BullMQ queues on their own connection, under `prefix` (RedisKeys.queuePrefix). */
export function createQueues(connection: QueueConnection, prefix: string): Queues {
  const opts = (name: keyof Queues) => ({
    connection,
    prefix,
    defaultJobOptions: jobOptions[name],
  });
  return {
    accounting: new Queue(queueNames.accounting, opts("accounting")),
    payment: new Queue(queueNames.payment, opts("payment")),
    notify: new Queue(queueNames.notify, opts("notify")),
    sweep: new Queue(queueNames.sweep, opts("sweep")),
  };
}

type WithQueues = { queues: Queues };

/** One approval per order and pg_token: repeated or concurrent requests share the job. */
export async function queueApproval(deps: WithQueues, job: ApproveJob) {
  const jobId = `approve-${job.orderId}-${sha256(job.pgToken).slice(0, 16)}`;
  const added = await deps.queues.payment.add("approve", job, { jobId });
  return { job: added, id: added.id ?? jobId };
}

/** One job per order and kind (deterministic id): a repeated `ready` queues nothing new. */
export async function queueNotify(
  deps: WithQueues,
  order: { id: string; storeId: string },
  kind: NotifyKind,
) {
  const job = { storeId: order.storeId, orderId: order.id, kind };
  await deps.queues.notify.add("notify", job, { jobId: `notify-${order.id}-${kind}` });
}

/** Queues the day's accounting; the day id is the job id, so a repeat finds the same job. */
export async function queueAccounting(deps: WithQueues, job: AccountingJob) {
  const added = await deps.queues.accounting.add("accounting", job, { jobId: job.dayId });
  return added.id ?? job.dayId;
}

export async function closeQueues(queues: Queues) {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}

/** A worker's connection: its blocking commands wait as long as they must. */
export function workerConnection(connection: QueueConnection) {
  if (connection instanceof Cluster) return connection;
  const { commandTimeout: _, ...options } = connection;
  return { ...options, maxRetriesPerRequest: null };
}

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
 * twice (payment: a second approve answers "already approved" and KakaoPay's order status decides;
 * the appendPaid memo appends once), so stalls are allowed often.
 */
export const CRASH_RECOVERY: WorkerTuning = {
  lockDuration: 4000,
  lockRenewTime: 1000,
  stalledInterval: 1000,
  maxStalledCount: 20,
};
