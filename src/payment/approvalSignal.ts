import { EventEmitter } from "node:events";
import type { ApprovalOutcome } from "../infra/queues.ts";

/**
 * In-process news of finished payment jobs: when the worker runs in the same process as the
 * approval route (ROLE=all), the customer's page answers the moment the job ends instead of at
 * the next poll. Other processes fall back to polling the job.
 */
const finished = new EventEmitter();
finished.setMaxListeners(0);

export function approvalFinished(jobId: string, outcome: ApprovalOutcome) {
  finished.emit(jobId, outcome);
}

/** Resolves with the job's outcome when this process finishes it, or null after `ms`. */
export function nextApprovalOutcome(
  jobId: string,
  ms: number,
): { promise: Promise<ApprovalOutcome | null>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let listener: ((o: ApprovalOutcome) => void) | undefined;
  const promise = new Promise<ApprovalOutcome | null>((resolve) => {
    listener = (o) => resolve(o);
    finished.once(jobId, listener);
    timer = setTimeout(() => resolve(null), ms);
  });
  const cancel = () => {
    clearTimeout(timer);
    if (listener) finished.off(jobId, listener);
  };
  return { promise: promise.finally(cancel), cancel };
}
