import { EventEmitter } from "node:events";
import type { ApprovalOutcome } from "../infra/queues.ts";
import type { RedisClient } from "../infra/redisClient.ts";

/**
 * News of finished payment jobs: the customer's approval page answers the moment the job ends,
 * in whichever process its worker ran, instead of at the next poll. The worker publishes the
 * outcome on a Redis channel; every API process hears it on its subscriber and wakes its waiters
 * (a worker in the same process wakes them at once too). A lost message only costs the poll.
 */
export type ApprovalSignal = {
  finished: (jobId: string, outcome: ApprovalOutcome) => Promise<void>;
  /** Resolves with the job's outcome when it finishes, or null after `ms`. */
  next: (
    jobId: string,
    ms: number,
  ) => { promise: Promise<ApprovalOutcome | null>; cancel: () => void };
  close: () => Promise<void>;
};

type Message = { jobId: string; outcome: ApprovalOutcome };

/**
 * `subscriber` null: this process publishes only (a worker). A subscriber is a connection of its
 * own on one node; on a cluster it is the cluster client (ioredis subscribes on a node of its
 * choosing, and PUBLISH reaches every node).
 */
export function createApprovalSignal(
  publisher: RedisClient,
  subscriber: RedisClient | null,
  channel: string,
): ApprovalSignal {
  const waiting = new EventEmitter();
  waiting.setMaxListeners(0);
  const wake = (m: Message) => waiting.emit(m.jobId, m.outcome);
  const onMessage = (from: string, text: string) => {
    if (from !== channel) return;
    try {
      wake(JSON.parse(text) as Message);
    } catch {}
  };
  subscriber?.on("message", onMessage);
  const subscribed = subscriber?.subscribe(channel).catch(() => {});
  return {
    finished: async (jobId, outcome) => {
      wake({ jobId, outcome });
      await publisher.publish(channel, JSON.stringify({ jobId, outcome })).catch(() => {});
    },
    next: (jobId, ms) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let listener: ((o: ApprovalOutcome) => void) | undefined;
      const promise = new Promise<ApprovalOutcome | null>((resolve) => {
        listener = (o) => resolve(o);
        waiting.once(jobId, listener);
        timer = setTimeout(() => resolve(null), ms);
      });
      const cancel = () => {
        clearTimeout(timer);
        if (listener) waiting.off(jobId, listener);
      };
      return { promise: promise.finally(cancel), cancel };
    },
    close: async () => {
      subscriber?.off("message", onMessage);
      await subscribed;
      await subscriber?.unsubscribe(channel).catch(() => {});
    },
  };
}
