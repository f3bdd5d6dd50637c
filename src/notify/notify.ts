import type { Deps } from "../deps.ts";
import type { NotifyJob, NotifyKind, NotifyResult } from "../infra/queues.ts";
import { findOrder } from "../ordering/pendingOrder.ts";
import { findStore } from "../store/admin.ts";

/** Kakao event names the chatbot's event blocks listen for (docs/open-builder.md). */
export const eventNames: Record<NotifyKind, string> = {
  ready: "order_ready",
  canceled: "order_canceled",
};

/**
 * The notify job: tells the customer through Kakao's Event API, at most once per order and kind
 * (a delivered message is remembered; a retry after it sends nothing). Failures throw so BullMQ
 * retries with backoff; after the last attempt the job stays failed in bull-board.
 */
export async function sendNotification(deps: Deps, job: NotifyJob): Promise<NotifyResult> {
  const sentKey = deps.keys.notified(job.storeId, job.orderId, job.kind);
  if (await deps.redis.exists(sentKey)) return { sent: false, reason: "already_sent" };
  const order = await findOrder(deps, job.orderId);
  if (!order) return { sent: false, reason: "no_order" };
  const storeName = (await findStore(deps.db, order.storeId))?.name ?? "";
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
