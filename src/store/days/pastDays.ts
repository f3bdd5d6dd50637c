import { and, desc, eq } from "drizzle-orm";
import type { DayReport } from "../../accounting/report.ts";
import type { Deps } from "../../deps.ts";
import { AppError, notFound } from "../../infra/errors.ts";

/** The store's day businesses, newest first, with their settlement (the API and the pages). */
export function pastDayRows(deps: Deps, storeId: string, limit: number) {
  const { dayBusinesses, settlements } = deps.db.t;
  return deps.db
    .select({
      day: dayBusinesses,
      netAmount: settlements.netAmount,
      settlement: settlements.status,
    })
    .from(dayBusinesses)
    .leftJoin(settlements, eq(settlements.dayId, dayBusinesses.id))
    .where(eq(dayBusinesses.storeId, storeId))
    .orderBy(desc(dayBusinesses.readyAt))
    .limit(limit);
}

/** GET /store/days: the store's day businesses, newest first, with their settlement. */
export async function listPastDays(deps: Deps, storeId: string, limit: number) {
  const rows = await pastDayRows(deps, storeId, limit);
  return {
    days: rows.map(({ day, netAmount, settlement }) => ({
      id: day.id,
      businessDate: day.businessDate,
      state: day.state,
      readyAt: day.readyAt,
      openedAt: day.openedAt,
      closedAt: day.closedAt,
      orderCount: day.orderCount,
      grossAmount: day.grossAmount,
      netAmount: netAmount ?? null,
      settlement: settlement ?? null,
      reportReady: netAmount !== null && netAmount !== undefined,
    })),
  };
}

/** GET /store/days/:id/report: the day's accounting report, once accounting has written it. */
export async function dayReportOf(deps: Deps, storeId: string, dayId: string): Promise<DayReport> {
  const { dayBusinesses, dayReports } = deps.db.t;
  const [day] = await deps.db
    .select({ id: dayBusinesses.id, state: dayBusinesses.state })
    .from(dayBusinesses)
    .where(and(eq(dayBusinesses.id, dayId), eq(dayBusinesses.storeId, storeId)));
  if (!day) throw notFound("day");
  const [row] = await deps.db.select().from(dayReports).where(eq(dayReports.dayId, dayId));
  if (!row) {
    throw new AppError(
      404,
      "report_not_ready",
      day.state === "CLOSED"
        ? "The day's accounting is still running; try again shortly."
        : "The day is not closed yet.",
      { state: day.state },
    );
  }
  return row.report as DayReport;
}
