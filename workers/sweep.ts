import { Worker } from "bullmq";
import { sweepUnpaidOrders } from "../src/accounting/sweep.ts";
import type { Deps } from "../src/deps.ts";
import { queueNames, type SweepResult, workerConnection } from "../src/infra/queues.ts";
import type { QueueConnection } from "../src/infra/redisClient.ts";
import { healAllLiveDays } from "../src/recovery/healDay.ts";

export const SWEEP_EVERY_MS = 60_000;

/** The order sweep: a job scheduler fires it every minute (one scheduler, whatever the workers). */
export async function scheduleSweep(deps: Deps) {
  await deps.queues.sweep.upsertJobScheduler(
    "order-sweep",
    { every: SWEEP_EVERY_MS },
    { name: "sweep" },
  );
}

/** Every minute: unpaid orders settled, and every live day healed against SQLite (cheap: no KakaoPay). */
async function sweep(deps: Deps): Promise<SweepResult> {
  const swept = await sweepUnpaidOrders(deps);
  const healed = await healAllLiveDays(deps, { askKakaoPay: false, onlyIfCountsDiffer: true });
  return { ...swept, healed: healed.length };
}

export function sweepWorker(deps: Deps, connection: QueueConnection) {
  return new Worker<Record<string, never>, SweepResult>(queueNames.sweep, () => sweep(deps), {
    connection: workerConnection(connection),
    prefix: deps.keys.queuePrefix,
    concurrency: 1,
  });
}
