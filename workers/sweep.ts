import { Worker } from "bullmq";
import { sweepUnpaidOrders } from "../src/accounting/sweep.ts";
import type { Deps } from "../src/deps.ts";
import type { RedisConnectOptions } from "../src/infra/embeddedRedis.ts";
import { queueNames, queuePrefix } from "../src/infra/queues.ts";

export const SWEEP_EVERY_MS = 60_000;

/** The order sweep: a job scheduler fires it every minute (one scheduler, whatever the workers). */
export async function scheduleSweep(deps: Deps) {
  await deps.queues.sweep.upsertJobScheduler(
    "order-sweep",
    { every: SWEEP_EVERY_MS },
    { name: "sweep" },
  );
}

export function sweepWorker(deps: Deps, connection: RedisConnectOptions) {
  return new Worker(queueNames.sweep, () => sweepUnpaidOrders(deps), {
    connection: { ...connection, maxRetriesPerRequest: null },
    prefix: queuePrefix(deps.keys.prefix),
    concurrency: 1,
  });
}
