import { Worker } from "bullmq";
import type { Deps } from "../src/deps.ts";
import type { RedisConnectOptions } from "../src/infra/embeddedRedis.ts";
import {
  type ApprovalOutcome,
  type ApproveJob,
  CRASH_RECOVERY,
  queueNames,
  queuePrefix,
  type WorkerTuning,
} from "../src/infra/queues.ts";
import { approvalFinished } from "../src/payment/approvalSignal.ts";
import { approvePayment } from "../src/payment/approvePayment.ts";

/** The payment queue: approve at KakaoPay, append `order.paid` once, mark PAID. */
export function paymentWorker(
  deps: Deps,
  connection: RedisConnectOptions,
  tuning: WorkerTuning = CRASH_RECOVERY,
) {
  return new Worker<ApproveJob, ApprovalOutcome, "approve">(
    queueNames.payment,
    async (job) => {
      const result = await approvePayment(deps, job.data);
      deps.log.info({ jobId: job.id, orderId: job.data.orderId, ...result }, "payment job done");
      if (job.id) approvalFinished(job.id, result);
      return result;
    },
    {
      connection: { ...connection, maxRetriesPerRequest: null },
      prefix: queuePrefix(deps.keys.prefix),
      concurrency: 32,
      ...tuning,
    },
  );
}
