import { eq } from "drizzle-orm";
import type { Deps } from "../deps.ts";
import { failpoint } from "../infra/failpoints.ts";
import type { ApprovalOutcome, ApproveJob } from "../infra/queues.ts";
import { clearOrderedCart } from "../ordering/cart.ts";
import { expireOrder, failOrder, markPaid } from "../ordering/orderStatus.ts";
import { findOrder, markPaymentRefunded, orderLines, paymentOf } from "../ordering/pendingOrder.ts";
import { readLiveDay } from "../store/day/liveDay.ts";
import { appendPaid } from "../stream/scripts/index.ts";
import {
  KakaoPayCode,
  KakaoPayError,
  type KakaoPayStatus,
  KakaoPayUnavailable,
} from "./kakaopay.ts";

export type { ApprovalOutcome };

/** Thrown when the outcome cannot be known yet; the job retries (BullMQ backoff). */
export class ApprovalPending extends Error {}

const paidStatuses = ["PAID", "ACCEPTED", "READY", "PICKED_UP", "CANCELING", "CANCELED"];
const capturedStatuses: KakaoPayStatus[] = ["SUCCESS_PAYMENT"];
const failedStatuses: KakaoPayStatus[] = [
  "QUIT_PAYMENT",
  "FAIL_PAYMENT",
  "FAIL_AUTH_PASSWORD",
  "CANCEL_PAYMENT",
];

/**
 * The payment job. On the happy path it asks KakaoPay once: approve, whose success is the capture.
 * Whenever the answer is anything else ("already approved", a refusal, no answer), and before
 * giving up an order that is no longer pending or whose day is gone, KakaoPay's order status
 * decides — so a retry after a crash at any line still ends in one capture, one `order.paid`
 * entry and one PAID row, or, when the day can no longer take the order, in a refund
 * (docs/payment.md).
 */
export async function approvePayment(deps: Deps, input: ApproveJob): Promise<ApprovalOutcome> {
  const order = await findOrder(deps, input.orderId);
  const tid = order && (await paymentOf(deps, order.id))?.tid;
  if (!order || !tid) return { outcome: "unknown_order" };
  if (paidStatuses.includes(order.status)) {
    return { outcome: "paid", pickupNumber: order.pickupNumber ?? 0 };
  }
  if (order.status !== "PENDING_PAYMENT") {
    return (
      (await settleByStatus(deps, order, tid)) ?? {
        outcome: "failed",
        reason: order.failureReason ?? order.status,
      }
    );
  }
  const day = await readLiveDay(deps, order.storeId);
  if (day?.dayId !== order.dayId || day.state !== "OPEN") {
    // A retry may come after a capture made before the day moved on: that one is completed
    // (and refunded by appendPaid's "closed"), never expired with the money taken.
    const settled = await settleByStatus(deps, order, tid);
    if (settled) return settled;
    await expireOrder(deps, order.id, "store_not_open");
    return { outcome: "expired", reason: "store_not_open" };
  }
  const approval = await tryApprove(deps, order, tid, input.pgToken);
  if (typeof approval === "object") return approval; // the payment was declined
  if (approval !== "refused") failpoint("after_capture");
  if (approval === "approved") return completePaidOrder(deps, order.id, { order, tid });
  // Not a clean capture: only the order status may say what happened at KakaoPay.
  const settled = await settleByStatus(deps, order, tid);
  if (settled) return settled;
  if (approval === "refused") return { outcome: "failed", reason: "invalid_request" };
  throw new ApprovalPending(`order ${order.id}: no capture at KakaoPay yet`);
}

type Order = NonNullable<Awaited<ReturnType<typeof findOrder>>>;

/**
 * KakaoPay's order status, acted on: captured → completed; quit/failed/canceled → failed;
 * anything else (still waiting for the customer) → null, the caller decides.
 */
async function settleByStatus(
  deps: Deps,
  order: Order,
  tid: string,
): Promise<ApprovalOutcome | null> {
  const status = await kakaoPayStatus(deps, tid);
  if (capturedStatuses.includes(status)) return completePaidOrder(deps, order.id, { order, tid });
  if (!failedStatuses.includes(status)) return null;
  await failOrder(
    deps,
    order.id,
    status === "QUIT_PAYMENT" ? "customer_canceled" : "payment_failed",
  );
  return { outcome: "failed", reason: status };
}

/** KakaoPay refusals that say the request was wrong (e.g. a forged pg_token), not the payment. */
const requestRefusals: number[] = [
  KakaoPayCode.invalidParameter,
  KakaoPayCode.requestMismatch,
  KakaoPayCode.notAuthenticated,
  KakaoPayCode.notApprovable,
];

/**
 * Calls approve. "Already approved" and no answer are `unclear`; a refusal of the request itself
 * (e.g. a forged pg_token) is `refused` and changes nothing; a refusal of the payment fails the
 * order. The caller asks the order status after `unclear` and `refused`.
 */
async function tryApprove(
  deps: Deps,
  order: Order,
  tid: string,
  pgToken: string,
): Promise<"approved" | "unclear" | "refused" | ApprovalOutcome> {
  try {
    await deps.kakaopay.approve({
      tid,
      partnerOrderId: order.id,
      partnerUserId: order.botUserKey,
      pgToken,
      totalAmount: order.totalAmount,
    });
    return "approved";
  } catch (err) {
    if (err instanceof KakaoPayUnavailable) return "unclear";
    if (!(err instanceof KakaoPayError)) throw err;
    if (err.code === KakaoPayCode.alreadyApproved) return "unclear";
    if (requestRefusals.includes(err.code)) return "refused";
    await failOrder(deps, order.id, "payment_declined", String(err.code));
    return { outcome: "failed" as const, reason: "payment_declined" };
  }
}

async function kakaoPayStatus(deps: Deps, tid: string): Promise<KakaoPayStatus> {
  try {
    return (await deps.kakaopay.order(tid)).status;
  } catch (err) {
    throw new ApprovalPending(`KakaoPay order status unavailable: ${(err as Error).message}`);
  }
}

/**
 * Captured at KakaoPay: append `order.paid` once (Lua memo), then SQLite follows. Healing passes
 * `keepPickup` to re-append an order the stream lost under the number its customer was given.
 * The payment job passes the order and tid it has just read (what the payload needs never
 * changes after the order is placed), saving two reads per paid order.
 */
export async function completePaidOrder(
  deps: Deps,
  orderId: string,
  opts: { keepPickup?: number; order?: Order; tid?: string } = {},
): Promise<ApprovalOutcome> {
  const order = opts.order ?? (await findOrder(deps, orderId))!;
  const payload = await paidPayload(deps, order);
  const tid = opts.tid ?? (await paymentOf(deps, order.id))?.tid ?? "";
  const appended = await appendPaid(
    deps.redis,
    {
      day: deps.keys.day(order.storeId),
      stream: deps.keys.dayStream(order.storeId, order.dayId),
      memo: deps.keys.entryMemo(order.storeId, order.id),
      order: deps.keys.order(order.storeId, order.id),
    },
    {
      dayId: order.dayId,
      payload: JSON.stringify(payload),
      amount: order.totalAmount,
      keepPickup: opts.keepPickup,
      tid,
      botUserKey: order.botUserKey,
    },
  );
  if (appended.outcome === "closed") return refundUncompletable(deps, order);
  failpoint("after_append");
  const { pickupNumber, entryId } = appended;
  if (appended.outcome === "ok") deps.metrics.ordersPaid.inc();
  await markPaid(deps, order.id, pickupNumber, entryId, payload.paidAt);
  await clearOrderedCart(deps, order.botUserKey, order.cartKey);
  return { outcome: "paid", pickupNumber };
}

async function paidPayload(deps: Deps, order: Order) {
  const lines = await orderLines(deps, order.id);
  return {
    // `id` as the contract names it; `orderId` as every other order.* event carries it.
    id: order.id,
    orderId: order.id,
    items: lines.map((l) => ({
      name: l.name,
      qty: l.qty,
      unitPrice: l.unitPrice,
      options: l.options,
      amount: l.amount,
    })),
    totalAmount: order.totalAmount,
    customerName: order.customerName,
    paidAt: order.paidAt ?? deps.clock.now(),
  };
}

/** The day closed between capture and append: the order cannot be served, so refund it. */
async function refundUncompletable(deps: Deps, order: Order): Promise<ApprovalOutcome> {
  const payment = (await paymentOf(deps, order.id))!;
  try {
    await deps.kakaopay.cancel({ tid: payment.tid!, cancelAmount: order.totalAmount });
  } catch (err) {
    const status = await kakaoPayStatus(deps, payment.tid!);
    if (status !== "CANCEL_PAYMENT")
      throw new ApprovalPending(`refund pending: ${(err as Error).message}`);
  }
  const now = deps.clock.now();
  const { orders } = deps.db.t;
  await deps.db.transaction(async (tx) => {
    await tx
      .update(orders)
      .set({
        status: "EXPIRED",
        failureReason: "day_closed_refunded",
        cartKey: null,
        updatedAt: now,
      })
      .where(eq(orders.id, order.id));
    await markPaymentRefunded(tx, order.id, order.totalAmount, now);
  });
  deps.metrics.refunds.inc({ by: "payment_job" });
  deps.log.warn({ orderId: order.id }, "captured after the day closed; refunded");
  return { outcome: "expired", reason: "day_closed_refunded" };
}
