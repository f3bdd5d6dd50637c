import type { Deps } from "../deps.ts";
import { findStore } from "../store/admin.ts";

export type NotifyKind = "ready" | "canceled";
export type NotifyJob = { storeId: string; orderId: string; kind: NotifyKind };

/** Kakao event names the chatbot's event blocks listen for (docs/open-builder.md). */
export const eventNames: Record<NotifyKind, string> = {
  ready: "order_ready",
  canceled: "order_canceled",
};

/** One job per order and kind (deterministic id): a repeated `ready` queues nothing new. */
export async function queueNotify(
  deps: Deps,
  order: { id: string; storeId: string },
  kind: NotifyKind,
) {
  await deps.queues.notify.add(
    "notify",
    { storeId: order.storeId, orderId: order.id, kind } satisfies NotifyJob,
    {
      jobId: `notify-${order.id}-${kind}`,
      attempts: 6,
      backoff: { type: "exponential", delay: 1000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  );
}

/**
 * The notify job: tells the customer through Kakao's Event API, at most once per order and kind
 * (a delivered message is remembered; a retry after it sends nothing). Failures throw so BullMQ
 * retries with backoff; after the last attempt the job stays failed in bull-board.
 */
export async function sendNotification(deps: Deps, job: NotifyJob) {
  const sentKey = deps.keys.notified(job.storeId, job.orderId, job.kind);
  if (await deps.redis.exists(sentKey)) return { sent: false, reason: "already_sent" };
  const order = deps.db.query.orders
    .findFirst({ where: (o, { eq }) => eq(o.id, job.orderId) })
    .sync();
  if (!order) return { sent: false, reason: "no_order" };
  const storeName = findStore(deps.db, order.storeId)?.name ?? "";
  const result = await deps.eventApi.send({
    eventName: eventNames[job.kind],
    botUserKey: order.botUserKey,
    data: {
      pickupNumber: String(order.pickupNumber ?? ""),
      storeName,
      items: order.itemSummary,
      ...(job.kind === "canceled" ? { reason: order.cancelReason ?? "" } : {}),
    },
  });
  await deps.redis.set(sentKey, result.taskId, "EX", 7 * 24 * 3600);
  return { sent: true, taskId: result.taskId };
}
