import { and, asc, eq, lt } from "drizzle-orm";
import type { Deps } from "../deps.ts";
import { expireOrder, failOrder } from "../ordering/orderStatus.ts";
import { markPaymentRefunded } from "../ordering/pendingOrder.ts";
import { completePaidOrder } from "../payment/approvePayment.ts";
import { KakaoPayError } from "../payment/kakaopay.ts";
import { readLiveDay } from "../store/day/liveDay.ts";

export const UNPAID_TTL_MS = 15 * 60 * 1000;
const BATCH = 200;

export type SweepOutcome = "expired" | "paid" | "refunded" | "failed";

/**
 * The order sweep (every minute): orders still PENDING_PAYMENT after 15 minutes are settled by
 * KakaoPay's word: captured while the day is still OPEN → completed through the same exactly-once
 * path as the payment job; captured otherwise → refunded; never captured → EXPIRED.
 */
export async function sweepUnpaidOrders(deps: Deps) {
  const cutoff = deps.clock.now() - UNPAID_TTL_MS;
  const { orders, payments } = deps.db.t;
  const stale = await deps.db
    .select({ order: orders, tid: payments.tid })
    .from(orders)
    .leftJoin(payments, eq(payments.orderId, orders.id))
    .where(and(eq(orders.status, "PENDING_PAYMENT"), lt(orders.createdAt, cutoff)))
    .orderBy(asc(orders.createdAt))
    .limit(BATCH);
  const counts: Record<SweepOutcome, number> = { expired: 0, paid: 0, refunded: 0, failed: 0 };
  for (const { order, tid } of stale) counts[await settle(deps, order, tid)]++;
  if (stale.length) deps.log.info({ swept: stale.length, ...counts }, "order sweep");
  return { swept: stale.length, ...counts };
}

async function settle(
  deps: Deps,
  order: Deps["db"]["t"]["orders"]["$inferSelect"],
  tid: string | null,
): Promise<SweepOutcome> {
  if (!tid) {
    await expireOrder(deps, order.id, "not_paid_in_time");
    return "expired";
  }
  const status = await deps.kakaopay.order(tid).catch((err) => {
    if (err instanceof KakaoPayError) return null;
    throw err;
  });
  if (status?.status === "SUCCESS_PAYMENT") {
    const day = await readLiveDay(deps, order.storeId);
    if (day?.dayId === order.dayId && day.state === "OPEN") {
      const done = await completePaidOrder(deps, order.id);
      return done.outcome === "paid" ? "paid" : "refunded";
    }
    await deps.kakaopay.cancel({
      tid,
      cancelAmount: order.totalAmount,
      cancelAvailableAmount: order.totalAmount,
    });
    await expireOrder(deps, order.id, "day_not_open_refunded");
    await markPaymentRefunded(deps.db, order.id, order.totalAmount, deps.clock.now());
    deps.metrics.refunds.inc({ by: "sweep" });
    return "refunded";
  }
  if (status?.status === "QUIT_PAYMENT" || status?.status === "FAIL_PAYMENT") {
    await failOrder(
      deps,
      order.id,
      status.status === "QUIT_PAYMENT" ? "customer_canceled" : "payment_failed",
    );
    return "failed";
  }
  await expireOrder(deps, order.id, "not_paid_in_time");
  return "expired";
}
