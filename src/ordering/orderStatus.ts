import { and, eq } from "drizzle-orm";
import type { Deps } from "../deps.ts";
import { prepared } from "../infra/prepared.ts";

/*
 * The order's status writes after it was placed, shared by ordering (placeOrder), payment (the
 * approval job and page) and the sweep, so that none of them imports another's logic.
 */

/** Captured and in the stream: the order is PAID under its pickup number. */
export async function markPaid(
  deps: Deps,
  orderId: string,
  pickupNumber: number,
  entryId: string,
  paidAt: number,
) {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const q = prepared(tx);
    await q.orderPaid(orderId, { pickupNumber, entryId, paidAt, now });
    await q.paymentApproved(orderId, paidAt, now);
  });
}

/** The order leaves PENDING_PAYMENT; its cart version may be ordered again as a new order. */
async function endPending(
  deps: Deps,
  orderId: string,
  status: "EXPIRED" | "PAYMENT_FAILED",
  reason: string,
  code?: string,
) {
  const now = deps.clock.now();
  const { orders, payments } = deps.db.t;
  await deps.db.transaction(async (tx) => {
    await tx
      .update(orders)
      .set({ status, failureReason: reason, cartKey: null, updatedAt: now })
      .where(and(eq(orders.id, orderId), eq(orders.status, "PENDING_PAYMENT")));
    await tx
      .update(payments)
      .set({
        status: status === "EXPIRED" ? "EXPIRED" : "FAILED",
        failureCode: code ?? null,
        updatedAt: now,
      })
      .where(and(eq(payments.orderId, orderId), eq(payments.status, "READY")));
  });
}

export const expireOrder = (deps: Deps, orderId: string, reason: string) =>
  endPending(deps, orderId, "EXPIRED", reason);
export const failOrder = (deps: Deps, orderId: string, reason: string, code?: string) =>
  endPending(deps, orderId, "PAYMENT_FAILED", reason, code);
