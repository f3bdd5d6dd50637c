import type { Deps } from "../deps.ts";
import { newId } from "../infra/ids.ts";
import { itemSummary } from "../ordering/pendingOrder.ts";
import type { Repair } from "./repairs.ts";
import type { OrderFacts } from "./streamFacts.ts";

/**
 * SQLite lost a paid order the stream still has (rolled back past its creation): rebuild its
 * rows from the `order.paid` payload and the order's live state in Redis (tid, customer key).
 */
export async function restoreOrderFromStream(
  deps: Deps,
  storeId: string,
  dayId: string,
  f: OrderFacts,
): Promise<Repair> {
  const paid = f.paid!;
  const live = await deps.redis.hmget(deps.keys.order(storeId, paid.id), "tid", "botUserKey");
  const [tid, botUserKey] = live;
  if (!tid || !botUserKey) {
    return {
      orderId: paid.id,
      kind: "order_missing_from_db",
      detail: `pickup ${paid.pickupNumber}`,
    };
  }
  const now = deps.clock.now();
  const status = f.status;
  const canceled = status === "CANCELED";
  const { orderItems, orders, payments } = deps.db.t;
  await deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(orders)
      .values({
        id: paid.id,
        storeId,
        dayId,
        botUserKey,
        customerName: paid.customerName,
        status,
        pickupNumber: paid.pickupNumber,
        totalAmount: paid.totalAmount,
        itemSummary: itemSummary(paid.items),
        createdAt: paid.paidAt,
        paidAt: paid.paidAt,
        cancelReason: f.canceled?.reason ?? null,
        canceledAt: canceled ? now : null,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: orders.id });
    if (!created) return;
    await tx
      .insert(orderItems)
      .values(paid.items.map((i) => ({ orderId: paid.id, menuItemId: null, ...i })));
    await tx
      .insert(payments)
      .values({
        id: newId(),
        orderId: paid.id,
        tid,
        status: canceled ? "CANCELED" : "APPROVED",
        amount: paid.totalAmount,
        canceledAmount: canceled ? (f.canceled?.refunded ?? paid.totalAmount) : 0,
        approvedAt: paid.paidAt,
        canceledAt: canceled ? now : null,
      })
      .onConflictDoNothing();
  });
  return {
    orderId: paid.id,
    kind: "order_restored_to_db",
    detail: `pickup ${paid.pickupNumber}, ${status}`,
  };
}
