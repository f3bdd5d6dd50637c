import type { Worker } from "bullmq";
import type { BuiltDeps } from "../src/bootstrap.ts";
import type { Deps } from "../src/deps.ts";
import { CRASH_RECOVERY, type WorkerTuning } from "../src/infra/queues.ts";
import type { QueueConnection } from "../src/infra/redisClient.ts";
import { accountingWorker } from "./accounting.ts";
import { notifyWorker } from "./notify.ts";
import { paymentWorker } from "./payment.ts";
import { scheduleSweep, sweepWorker } from "./sweep.ts";

/** Starts every queue's worker in this process; `close` drains them. */
export function startWorkers(
  deps: Deps,
  connection: QueueConnection,
  overrides: WorkerTuning = {},
) {
  const tuning = { ...CRASH_RECOVERY, ...overrides };
  const workers = {
    payment: logged(deps, paymentWorker(deps, connection, tuning)),
    notify: logged(deps, notifyWorker(deps, connection, tuning)),
    accounting: logged(deps, accountingWorker(deps, connection, tuning)),
    sweep: logged(deps, sweepWorker(deps, connection)),
  };
  scheduleSweep(deps).catch((err) => deps.log.error({ err }, "could not schedule the order sweep"));
  const all = Object.values(workers);
  return { workers, close: (jobsMs = Infinity) => closeWorkers(all, jobsMs) };
}

function logged<D, R, N extends string>(deps: Deps, w: Worker<D, R, N>) {
  w.on("failed", (job, err) =>
    deps.log.warn(
      { queue: w.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
      "job failed",
    ),
  );
  w.on("error", (err) => deps.log.error({ queue: w.name, err: err.message }, "worker error"));
  return w;
}

/**
 * Built deps plus this process's workers (ROLE all or worker): started now with `start`, or later
 * by `startWorkersNow` (e.g. after healing). `close` lets the workers finish their running jobs
 * (waiting at most `jobsMs`), then closes the deps.
 */
export function withWorkers(
  built: BuiltDeps,
  opts: { start?: boolean; tuning?: WorkerTuning } = {},
) {
  let workers: ReturnType<typeof startWorkers> | null = null;
  const startWorkersNow = () => {
    workers ??= startWorkers(built.deps, built.connection, opts.tuning);
  };
  if (opts.start) startWorkersNow();
  const close = async (jobsMs = Infinity): Promise<WorkersClosed> => {
    const closed = workers ? await workers.close(jobsMs) : "none";
    await built.close();
    return closed;
  };
  return { ...built, close, startWorkersNow };
}

/**
 * "closed": every running job finished. "cut off": some were still running after `jobsMs`; they
 * end with the process, and once their lock expires BullMQ's stalled check runs them again.
 */
export type WorkersClosed = "closed" | "cut off" | "none";

async function closeWorkers(
  workers: { close(): Promise<void> }[],
  jobsMs: number,
): Promise<WorkersClosed> {
  // A close already under way cannot be forced (BullMQ returns the same promise), so the
  // deadline only stops the wait.
  const graceful = Promise.all(workers.map((w) => w.close())).then(() => true);
  if (jobsMs === Infinity) return graceful.then(() => "closed");
  const done = await Promise.race([graceful, Bun.sleep(jobsMs).then(() => false)]);
  return done ? "closed" : "cut off";
}
