import { Worker } from "bullmq";
import type { Deps } from "../src/deps.ts";
import {
  type ApprovalOutcome,
  type ApproveJob,
  CRASH_RECOVERY,
  queueNames,
  type WorkerTuning,
  workerConnection,
} from "../src/infra/queues.ts";
import type { QueueConnection } from "../src/infra/redisClient.ts";
import { approvePayment } from "../src/payment/approvePayment.ts";

/** The payment queue: approve at KakaoPay, append `order.paid` once, mark PAID. */
export function paymentWorker(
  deps: Deps,
  connection: QueueConnection,
  tuning: WorkerTuning = CRASH_RECOVERY,
) {
  return new Worker<ApproveJob, ApprovalOutcome, "approve">(
    queueNames.payment,
    async (job) => {
      const result = await approvePayment(deps, job.data);
      deps.log.info({ jobId: job.id, orderId: job.data.orderId, ...result }, "payment job done");
      if (job.id) await deps.approvals.finished(job.id, result);
      return result;
    },
    {
      connection: workerConnection(connection),
      prefix: deps.keys.queuePrefix,
      concurrency: 32,
      ...tuning,
    },
  );
}
