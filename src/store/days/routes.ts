import { and, desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { dayBusinesses, dayReports, settlements } from "../../../db/schema.ts";
import type { DayReport } from "../../accounting/report.ts";
import type { Deps } from "../../deps.ts";
import { AppError, notFound } from "../../infra/errors.ts";
import { validate } from "../../infra/validate.ts";
import type { SessionEnv } from "../auth/session.ts";

const dayParams = z.object({ id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "not a day id") });
const daysQuery = z.object({ limit: z.coerce.number().int().min(1).max(366).default(60) });

/** GET /store/days and /store/days/:id/report (session required by the parent app). */
export function daysRoutes(deps: Deps) {
  const app = new Hono<SessionEnv>();

  app.get("/", validate("query", daysQuery), (c) => {
    const storeId = c.get("session").storeId;
    const rows = deps.db
      .select({
        day: dayBusinesses,
        netAmount: settlements.netAmount,
        settlement: settlements.status,
      })
      .from(dayBusinesses)
      .leftJoin(settlements, eq(settlements.dayId, dayBusinesses.id))
      .where(eq(dayBusinesses.storeId, storeId))
      .orderBy(desc(dayBusinesses.readyAt))
      .limit(c.req.valid("query").limit)
      .all();
    return c.json({
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
    });
  });

  app.get("/:id/report", validate("param", dayParams), (c) => {
    const storeId = c.get("session").storeId;
    const dayId = c.req.valid("param").id;
    const day = deps.db
      .select({ id: dayBusinesses.id, state: dayBusinesses.state })
      .from(dayBusinesses)
      .where(and(eq(dayBusinesses.id, dayId), eq(dayBusinesses.storeId, storeId)))
      .get();
    if (!day) throw notFound("day");
    const row = deps.db.select().from(dayReports).where(eq(dayReports.dayId, dayId)).get();
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
    return c.json(row.report as DayReport);
  });

  return app;
}
