import { eq } from "drizzle-orm";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../infra/errors.ts";
import { queueNotify } from "../../infra/queues.ts";
import { markPaymentRefunded, paymentOf } from "../../ordering/pendingOrder.ts";
import { KakaoPayError } from "../../payment/kakaopay.ts";
import { cancelBegin, cancelEnd } from "../../stream/scripts/index.ts";
import { orderTransitionRefused, type StoreOrder, storeOrder } from "./orderMoves.ts";

/** A CANCELING older than this was left by a crashed request and may be taken over. */
const CANCEL_LEASE_MS = 15_000;
const WAIT_FOR_OTHER_MS = 6_000;

export type CancelResult = {
  orderId: string;
  status: "CANCELED";
  refunded: number;
  reason: string;
};

const providerError = (detail: string) =>
  new AppError(
    502,
    "payment_provider",
    "KakaoPay did not confirm the refund; the order is unchanged. Please try again.",
    {
      detail,
    },
  );

/**
 * Cancel with a full refund, exactly once: the intent (CANCELING) is recorded in Redis first, so
 * concurrent and repeated cancels share one refund; KakaoPay's order status settles any unclear
 * answer; then CANCELED, `order.canceled` and the customer's message.
 */
export async function cancelOrder(deps: Deps, storeId: string, orderId: string, reason: string) {
  const order = await storeOrder(deps, storeId, orderId);
  const orderKey = deps.keys.order(storeId, order.id);
  const begun = await cancelBegin(
    deps.redis,
    { order: orderKey },
    { now: deps.clock.now(), reason, leaseMs: CANCEL_LEASE_MS },
  );
  if (begun.outcome === "done") return finished(deps, order);
  if (begun.outcome === "busy") return waitForOther(deps, order);
  if (begun.outcome === "missing") throw orderTransitionRefused(order.status, "cancel");
  if (begun.outcome === "refused") throw orderTransitionRefused(begun.status, "cancel");
  await markCanceling(deps, order.id, reason);

  const refunded = await refund(deps, order);
  if (refunded.kind === "unchanged") {
    await cancelEnd(deps.redis, cancelKeys(deps, order), { end: "abort" });
    await restoreStatus(deps, order.id, begun.priorStatus);
    throw providerError(refunded.detail);
  }
  await cancelEnd(deps.redis, cancelKeys(deps, order), {
    end: "finish",
    data: JSON.stringify({
      orderId: order.id,
      pickupNumber: order.pickupNumber,
      reason,
      refunded: order.totalAmount,
      at: deps.clock.now(),
    }),
    refunded: order.totalAmount,
  });
  return finished(deps, order);
}

const cancelKeys = (deps: Deps, order: StoreOrder) => ({
  order: deps.keys.order(order.storeId, order.id),
  stream: deps.keys.dayStream(order.storeId, order.dayId),
  day: deps.keys.day(order.storeId),
});

/** Asks KakaoPay to refund the whole amount; an unclear answer is settled by the order status. */
async function refund(
  deps: Deps,
  order: StoreOrder,
): Promise<{ kind: "refunded" } | { kind: "unchanged"; detail: string }> {
  const tid = (await paymentOf(deps, order.id))?.tid;
  if (!tid) return { kind: "unchanged", detail: "no KakaoPay payment for this order" };
  try {
    await deps.kakaopay.cancel({
      tid,
      cancelAmount: order.totalAmount,
      cancelAvailableAmount: order.totalAmount,
    });
    deps.metrics.refunds.inc({ by: "store_cancel" });
    return { kind: "refunded" };
  } catch (err) {
    const status = await deps.kakaopay.order(tid).catch(() => null);
    if (status?.status === "CANCEL_PAYMENT") return { kind: "refunded" };
    const detail =
      err instanceof KakaoPayError ? `${err.code} ${err.message}` : (err as Error).message;
    deps.log.warn({ orderId: order.id, detail, status: status?.status }, "refund not confirmed");
    return { kind: "unchanged", detail };
  }
}

/** SQLite follows the finished cancel (idempotent), and the customer is told once. */
async function finished(deps: Deps, order: StoreOrder): Promise<CancelResult> {
  const now = deps.clock.now();
  const reason =
    (await deps.redis.hget(deps.keys.order(order.storeId, order.id), "cancelReason")) ??
    order.cancelReason ??
    "";
  const { orders } = deps.db.t;
  await deps.db.transaction(async (tx) => {
    await tx
      .update(orders)
      .set({
        status: "CANCELED",
        canceledAt: order.canceledAt ?? now,
        cancelReason: reason,
        updatedAt: now,
      })
      .where(eq(orders.id, order.id));
    await markPaymentRefunded(tx, order.id, order.totalAmount, now);
  });
  await queueNotify(deps, order, "canceled");
  return { orderId: order.id, status: "CANCELED", refunded: order.totalAmount, reason };
}

/** Another request holds the cancel: answer as it does once it ends. */
async function waitForOther(deps: Deps, order: StoreOrder): Promise<CancelResult> {
  const deadline = Date.now() + WAIT_FOR_OTHER_MS;
  while (Date.now() < deadline) {
    await Bun.sleep(50);
    const status = await deps.redis.hget(deps.keys.order(order.storeId, order.id), "status");
    if (status === "CANCELED") return finished(deps, order);
    if (status !== "CANCELING") throw providerError("the concurrent cancel did not go through");
  }
  throw new AppError(
    409,
    "cancel_in_progress",
    "This order is being canceled right now; check again in a moment.",
  );
}

async function markCanceling(deps: Deps, orderId: string, reason: string) {
  await deps.db
    .update(deps.db.t.orders)
    .set({ status: "CANCELING", cancelReason: reason, updatedAt: deps.clock.now() })
    .where(eq(deps.db.t.orders.id, orderId));
}

async function restoreStatus(deps: Deps, orderId: string, status: string) {
  await deps.db
    .update(deps.db.t.orders)
    .set({ status: status as StoreOrder["status"], updatedAt: deps.clock.now() })
    .where(eq(deps.db.t.orders.id, orderId));
}
