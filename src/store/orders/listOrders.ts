import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { OrderStatus } from "../../../db/model.ts";
import type { Deps } from "../../deps.ts";
import { readLiveDay } from "../day/liveDay.ts";

export const boardStatuses: OrderStatus[] = [
  "PAID",
  "ACCEPTED",
  "READY",
  "PICKED_UP",
  "CANCELING",
  "CANCELED",
];

/** The day the counter is looking at: the live one, else the most recent. */
async function todayId(deps: Deps, storeId: string) {
  const live = await readLiveDay(deps, storeId);
  if (live) return live.dayId;
  const { dayBusinesses } = deps.db.t;
  const [latest] = await deps.db
    .select({ id: dayBusinesses.id })
    .from(dayBusinesses)
    .where(eq(dayBusinesses.storeId, storeId))
    .orderBy(desc(dayBusinesses.readyAt))
    .limit(1);
  return latest?.id;
}

/** GET /store/orders: today's paid orders (or those of `statuses`) with their lines. */
export async function listTodayOrders(
  deps: Deps,
  storeId: string,
  statuses: OrderStatus[] = boardStatuses,
) {
  const dayId = await todayId(deps, storeId);
  if (!dayId) return { dayId: null, orders: [] };
  const { orderItems, orders } = deps.db.t;
  const rows = await deps.db
    .select()
    .from(orders)
    .where(and(eq(orders.dayId, dayId), inArray(orders.status, statuses)))
    .orderBy(asc(orders.pickupNumber), asc(orders.createdAt));
  const lines = rows.length
    ? await deps.db
        .select()
        .from(orderItems)
        .where(
          inArray(
            orderItems.orderId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  const byOrder = Map.groupBy(lines, (l) => l.orderId);
  return {
    dayId,
    orders: rows.map((o) => ({
      id: o.id,
      pickupNumber: o.pickupNumber,
      status: o.status,
      totalAmount: o.totalAmount,
      customerName: o.customerName,
      itemSummary: o.itemSummary,
      items: (byOrder.get(o.id) ?? []).map((l) => ({
        name: l.name,
        qty: l.qty,
        unitPrice: l.unitPrice,
        options: l.options,
        amount: l.amount,
      })),
      createdAt: o.createdAt,
      paidAt: o.paidAt,
      acceptedAt: o.acceptedAt,
      readyAt: o.readyAt,
      pickedUpAt: o.pickedUpAt,
      canceledAt: o.canceledAt,
      cancelReason: o.cancelReason,
    })),
  };
}
