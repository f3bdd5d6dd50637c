import { and, eq, inArray } from "drizzle-orm";
import { loadReport } from "../../accounting/report.ts";
import type { Deps } from "../../deps.ts";
import { pastDayRows } from "../../store/days/pastDays.ts";

/** The store's day businesses, newest first, with their settlement (as GET /store/days). */
export async function listDays(deps: Deps, storeId: string, limit = 120) {
  const rows = await pastDayRows(deps, storeId, limit);
  return rows.map(({ day, netAmount, settlement }) => ({
    id: day.id,
    businessDate: day.businessDate,
    state: day.state,
    readyAt: day.readyAt,
    orderCount: day.orderCount,
    netAmount,
    settlement,
  }));
}

export type DayRow = Awaited<ReturnType<typeof listDays>>[number];

/**
 * One day of this store with its report (undefined while accounting runs), as
 * GET /store/days/:id/report; another store's day is simply not found.
 */
export async function findDayReport(deps: Deps, storeId: string, dayId: string) {
  const { dayBusinesses, settlements } = deps.db.t;
  const [day] = await deps.db
    .select({
      id: dayBusinesses.id,
      businessDate: dayBusinesses.businessDate,
      state: dayBusinesses.state,
      openedAt: dayBusinesses.openedAt,
      closedAt: dayBusinesses.closedAt,
      settlement: settlements.status,
    })
    .from(dayBusinesses)
    .leftJoin(settlements, eq(settlements.dayId, dayBusinesses.id))
    .where(and(eq(dayBusinesses.id, dayId), eq(dayBusinesses.storeId, storeId)));
  if (!day) return null;
  return { day, report: await loadReport(deps, dayId) };
}

/** Pickup numbers of the orders the findings name (orders that never got one are absent). */
export async function pickupNumbers(deps: Deps, dayId: string, orderIds: string[]) {
  if (orderIds.length === 0) return new Map<string, number>();
  const { orders } = deps.db.t;
  const rows = await deps.db
    .select({ id: orders.id, pickupNumber: orders.pickupNumber })
    .from(orders)
    .where(and(eq(orders.dayId, dayId), inArray(orders.id, orderIds.slice(0, 500))));
  return new Map(
    rows.flatMap((r) => (r.pickupNumber === null ? [] : [[r.id, r.pickupNumber] as const])),
  );
}
