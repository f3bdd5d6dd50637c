import type { Worker } from "bullmq";
import type { Deps } from "../src/deps.ts";
import type { RedisConnectOptions } from "../src/infra/embeddedRedis.ts";
import { CRASH_RECOVERY, type WorkerTuning } from "../src/infra/queues.ts";
import { accountingWorker } from "./accounting.ts";
import { notifyWorker } from "./notify.ts";
import { paymentWorker } from "./payment.ts";
import { scheduleSweep, sweepWorker } from "./sweep.ts";

/** Starts every queue's worker in this process; `close` drains them. */
export function startWorkers(
  deps: Deps,
  connection: RedisConnectOptions,
  overrides: WorkerTuning = {},
) {
  const tuning = { ...CRASH_RECOVERY, ...overrides };
  const workers: Worker[] = [
    paymentWorker(deps, connection, tuning),
    notifyWorker(deps, connection, tuning),
    accountingWorker(deps, connection, tuning),
    sweepWorker(deps, connection),
  ];
  scheduleSweep(deps).catch((err) => deps.log.error({ err }, "could not schedule the order sweep"));
  for (const w of workers) {
    w.on("failed", (job, err) =>
      deps.log.warn(
        { queue: w.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
        "job failed",
      ),
    );
    w.on("error", (err) => deps.log.error({ queue: w.name, err: err.message }, "worker error"));
  }
  return { workers, close: (jobsMs = Infinity) => closeWorkers(workers, jobsMs) };
}

/**
 * "closed": every running job finished. "cut off": some were still running after `jobsMs`; they
 * end with the process, and once their lock expires BullMQ's stalled check runs them again.
 */
export type WorkersClosed = "closed" | "cut off" | "none";

async function closeWorkers(workers: Worker[], jobsMs: number): Promise<WorkersClosed> {
  // A close already under way cannot be forced (BullMQ returns the same promise), so the
  // deadline only stops the wait.
  const graceful = Promise.all(workers.map((w) => w.close())).then(() => true);
  if (jobsMs === Infinity) return graceful.then(() => "closed");
  const done = await Promise.race([graceful, Bun.sleep(jobsMs).then(() => false)]);
  return done ? "closed" : "cut off";
}
