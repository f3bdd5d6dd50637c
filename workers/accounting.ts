import { Worker } from "bullmq";
import { runAccounting } from "../src/accounting/accounting.ts";
import { type PhaseTimes, roundTimes } from "../src/accounting/phases.ts";
import { ACCOUNTING_KAKAOPAY_SHARE } from "../src/accounting/reconcile.ts";
import type { Deps } from "../src/deps.ts";
import { Limiter } from "../src/infra/batches.ts";
import {
  type AccountingJob,
  type AccountingResult,
  CRASH_RECOVERY,
  queueNames,
  type WorkerTuning,
  workerConnection,
} from "../src/infra/queues.ts";
import type { QueueConnection } from "../src/infra/redisClient.ts";

/** The accounting queue: one job per closed day (job id = day id). */
export function accountingWorker(
  deps: Deps,
  connection: QueueConnection,
  tuning: WorkerTuning = CRASH_RECOVERY,
) {
  // One share of KakaoPay for all of this worker's jobs (see ACCOUNTING_KAKAOPAY_SHARE).
  const kakaoPayShare = new Limiter(ACCOUNTING_KAKAOPAY_SHARE);
  return new Worker<AccountingJob, AccountingResult, "accounting">(
    queueNames.accounting,
    async (job) => {
      const times: PhaseTimes = {};
      const report = await runAccounting(
        deps,
        job.data,
        (p) => job.updateProgress(p),
        times,
        kakaoPayShare,
      );
      return {
        orderCount: report.orderCount,
        netAmount: report.netAmount,
        findings: report.findings.length,
        ms: roundTimes(times),
      };
    },
    {
      connection: workerConnection(connection),
      prefix: deps.keys.queuePrefix,
      concurrency: deps.config.accountingConcurrency,
      ...tuning,
    },
  );
}
