import { Worker } from "bullmq";
import type { Deps } from "../src/deps.ts";
import {
  CRASH_RECOVERY,
  type NotifyJob,
  type NotifyResult,
  queueNames,
  type WorkerTuning,
  workerConnection,
} from "../src/infra/queues.ts";
import type { QueueConnection } from "../src/infra/redisClient.ts";
import { sendNotification } from "../src/notify/notify.ts";

/** The notify queue: "your order is ready" / "your order was canceled" via Kakao's Event API. */
export function notifyWorker(
  deps: Deps,
  connection: QueueConnection,
  tuning: WorkerTuning = CRASH_RECOVERY,
) {
  return new Worker<NotifyJob, NotifyResult, "notify">(
    queueNames.notify,
    async (job) => {
      const result = await sendNotification(deps, job.data);
      deps.log.info({ jobId: job.id, ...job.data, ...result }, "notify job done");
      return result;
    },
    {
      connection: workerConnection(connection),
      prefix: deps.keys.queuePrefix,
      concurrency: 16,
      ...tuning,
    },
  );
}
