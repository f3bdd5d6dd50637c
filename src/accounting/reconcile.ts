import { eq, inArray } from "drizzle-orm";
import type { OrderStatus } from "../../db/model.ts";
import type { Deps } from "../deps.ts";
import { markPaymentRefunded } from "../ordering/pendingOrder.ts";
import { KakaoPayError, type KakaoPayOrder } from "../payment/kakaopay.ts";

/** What reconciliation needs of one order of the day and its payment row. */
export type DayOrder = {
  id: string;
  dayId: string;
  status: OrderStatus;
  pickupNumber: number | null;
  totalAmount: number;
  canceledAt: number | null;
  tid: string | null;
  paymentStatus: string | null;
  paymentAmount: number | null;
  approvedAt: number | null;
};

const PAGE = 500;
export const STATUS_CONCURRENCY = 48;
/**
 * KakaoPay status calls in flight for all the accounting jobs of one process together: days
 * closing at once (ACCOUNTING_CONCURRENCY jobs × STATUS_CONCURRENCY each) would otherwise fill
 * the KakaoPay client's 64 slots, and the customers' live approvals in the same process would be
 * refused as "busy" (bench:accounting saw 31 of 100 jobs fail that way). 16 leaves them 48.
 */
export const ACCOUNTING_KAKAOPAY_SHARE = 16;
export const paidStatuses: OrderStatus[] = ["PAID", "ACCEPTED", "READY", "PICKED_UP"];

/** Every order id of the day, in one read through the day index (the count comes with it). */
export async function dayOrderIds(deps: Deps, dayId: string) {
  const { orders } = deps.db.t;
  const rows = await deps.db.select({ id: orders.id }).from(orders).where(eq(orders.dayId, dayId));
  return rows.map((r) => r.id);
}

/**
 * The orders of `ids` with their payments, read in pages by primary key, so no read holds the
 * database (or this process) for long and none scans the day again.
 */
export async function* dayOrderPages(deps: Deps, ids: string[]): AsyncGenerator<DayOrder[]> {
  const { orders, payments } = deps.db.t;
  for (let i = 0; i < ids.length; i += PAGE) {
    yield await deps.db
      .select({
        id: orders.id,
        dayId: orders.dayId,
        status: orders.status,
        pickupNumber: orders.pickupNumber,
        totalAmount: orders.totalAmount,
        canceledAt: orders.canceledAt,
        tid: payments.tid,
        paymentStatus: payments.status,
        paymentAmount: payments.amount,
        approvedAt: payments.approvedAt,
      })
      .from(orders)
      .leftJoin(payments, eq(payments.orderId, orders.id))
      .where(inArray(orders.id, ids.slice(i, i + PAGE)));
  }
}

/**
 * A paid order whose payment row holds KakaoPay's own approve answer for the order's total.
 * report.ts counts the same rule in SQL (`approvalRecordedSql`).
 */
export function approvalRecorded(o: DayOrder) {
  return (
    paidStatuses.includes(o.status) &&
    o.tid !== null &&
    o.paymentStatus === "APPROVED" &&
    o.paymentAmount === o.totalAmount &&
    o.approvedAt !== null
  );
}

/**
 * Whether KakaoPay's order status is asked for this order. `every` (the default): every order
 * with a tid. `in-question`: not a paid order whose approval is recorded and that the day stream
 * holds as paid (or the stream is gone: a re-run, whose first run compared it) — those three
 * sources agreeing with KakaoPay's own approve answer leave nothing to ask but a refund made on
 * KakaoPay's side outside the app; every other order (unpaid, failed, expired, canceled, or paid
 * with a source disagreeing) is asked, so a captured payment without a sale is always found
 * and refunded.
 */
export function asksKakaoPay(o: DayOrder, stream: StreamFacts | null, mode: AskKakaoPay) {
  if (!o.tid) return false;
  if (mode === "every") return true;
  if (!approvalRecorded(o)) return true;
  return stream !== null && !stream.has(o.id);
}

export type AskKakaoPay = "every" | "in-question";

/** The orders the day stream holds an `order.paid` entry of. */
export type StreamFacts = Set<string>;

export type Finding = { orderId: string; kind: string; refunded: number; detail: string };

/**
 * Compares one order's SQLite row, its stream entries and KakaoPay's status (`kakao`: null when
 * not asked, see `asksKakaoPay`, or when KakaoPay does not know the tid); fixes what is
 * provably wrong (refunds, repairs) and returns what it found. Safe to run again: a fixed order
 * no longer disagrees, and recorded findings are kept by (day, order, kind).
 */
export async function reconcileOrder(
  deps: Deps,
  order: DayOrder,
  stream: StreamFacts | null,
  liveStatus: string | null,
  kakao: KakaoPayOrder | null,
): Promise<Finding[]> {
  const found: Finding[] = [];
  const captured = kakao ? capturedAmount(kakao) : 0;
  const paidInStream = stream?.has(order.id) ?? false;

  if (
    order.status === "PENDING_PAYMENT" ||
    order.status === "EXPIRED" ||
    order.status === "PAYMENT_FAILED"
  ) {
    if (captured > 0) {
      await refundAll(deps, order, captured);
      found.push({
        orderId: order.id,
        kind: "captured_without_order",
        refunded: captured,
        detail: `KakaoPay ${kakao!.status}; order ${order.status}${paidInStream ? "; order.paid in stream" : ""}`,
      });
    }
  } else if (order.status === "CANCELED" || order.status === "CANCELING") {
    if (captured > 0) {
      await refundAll(deps, order, captured);
      found.push({
        orderId: order.id,
        kind: "canceled_but_captured",
        refunded: captured,
        detail: `KakaoPay ${kakao!.status}`,
      });
    }
    if (order.status === "CANCELING") await finishCanceled(deps, order);
  } else if (paidStatuses.includes(order.status)) {
    if (
      liveStatus &&
      liveStatus !== order.status &&
      paidStatuses.includes(liveStatus as OrderStatus)
    ) {
      await deps.db
        .update(deps.db.t.orders)
        .set({ status: liveStatus as OrderStatus })
        .where(eq(deps.db.t.orders.id, order.id));
      found.push({
        orderId: order.id,
        kind: "status_repaired",
        refunded: 0,
        detail: `${order.status} → ${liveStatus}`,
      });
    }
    if (stream && !paidInStream) {
      found.push({
        orderId: order.id,
        kind: "paid_missing_from_stream",
        refunded: 0,
        detail: `pickup ${order.pickupNumber}`,
      });
    }
    if (kakao && kakao.status !== "SUCCESS_PAYMENT") {
      found.push({
        orderId: order.id,
        kind: "paid_not_captured",
        refunded: 0,
        detail: `KakaoPay ${kakao.status}`,
      });
    }
  }
  await record(deps, order.dayId, found);
  return found;
}

/** KakaoPay's status of the order's payment; null when KakaoPay does not know the tid. */
export async function kakaoPayOrder(deps: Deps, tid: string): Promise<KakaoPayOrder | null> {
  try {
    return await deps.kakaopay.order(tid);
  } catch (err) {
    if (err instanceof KakaoPayError) return null; // KakaoPay does not know it: nothing captured
    throw err; // unavailable: the job retries (every step is repeatable)
  }
}

/** What KakaoPay still holds of the payment (captured minus refunded). */
function capturedAmount(k: KakaoPayOrder) {
  if (k.status !== "SUCCESS_PAYMENT" && k.status !== "PART_CANCEL_PAYMENT") return 0;
  return k.cancel_available_amount?.total ?? k.amount.total - (k.canceled_amount?.total ?? 0);
}

async function refundAll(deps: Deps, order: DayOrder, amount: number) {
  await deps.kakaopay.cancel({
    tid: order.tid!,
    cancelAmount: amount,
    cancelAvailableAmount: amount,
  });
  await markPaymentRefunded(deps.db, order.id, order.totalAmount, deps.clock.now());
  deps.metrics.refunds.inc({ by: "accounting" });
  deps.log.warn({ orderId: order.id, amount }, "accounting refunded a capture");
}

async function finishCanceled(deps: Deps, order: DayOrder) {
  const now = deps.clock.now();
  const { orders } = deps.db.t;
  await deps.db.transaction(async (tx) => {
    await tx
      .update(orders)
      .set({ status: "CANCELED", canceledAt: order.canceledAt ?? now })
      .where(eq(orders.id, order.id));
    await markPaymentRefunded(tx, order.id, order.totalAmount, now);
  });
}

async function record(deps: Deps, dayId: string, found: Finding[]) {
  if (found.length === 0) return;
  await deps.db
    .insert(deps.db.t.accountingFindings)
    .values(found.map((f) => ({ dayId, ...f })))
    .onConflictDoNothing();
}
