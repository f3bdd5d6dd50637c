import { createRoute } from "@hono/zod-openapi";
import type { Deps } from "../../deps.ts";
import { apiRouter, errors, json, sessionErrors } from "../../infra/api.ts";
import type { SessionEnv } from "../auth/session.ts";
import { dayReportOf, listPastDays } from "./pastDays.ts";
import { dayParams, dayReport, daysQuery, pastDays } from "./schema.ts";

const tags = ["days"];

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Past day businesses, newest first",
  request: { query: daysQuery },
  responses: { 200: json(pastDays, "the days"), ...errors(...sessionErrors, "invalid_input") },
});

const report = createRoute({
  method: "get",
  path: "/{id}/report",
  tags,
  summary: "A day's accounting report",
  request: { params: dayParams },
  responses: {
    200: json(dayReport, "the report"),
    ...errors(...sessionErrors, "invalid_input", "not_found", "report_not_ready"),
  },
});

/** GET /store/days and /store/days/:id/report (session required by the parent app). */
export function daysRoutes(deps: Deps) {
  const app = apiRouter<SessionEnv>();
  const storeOf = (c: { get(k: "session"): { storeId: string } }) => c.get("session").storeId;

  app.openapi(list, async (c) =>
    c.json(await listPastDays(deps, storeOf(c), c.req.valid("query").limit), 200),
  );
  app.openapi(report, async (c) =>
    c.json(await dayReportOf(deps, storeOf(c), c.req.valid("param").id), 200),
  );

  return app;
}
