import { createRoute } from "@hono/zod-openapi";
import type { Deps } from "../../deps.ts";
import { apiRouter, errors, json, jsonBody, noContent, sessionErrors } from "../../infra/api.ts";
import type { SessionEnv } from "../auth/session.ts";
import { closeDay, dayView, moveDay, readyDay } from "./dayBusiness.ts";
import { closeBody, dayClosed, liveDay } from "./schema.ts";

const tags = ["day"];
const moveErrors = errors(...sessionErrors, "invalid_transition", "conflict");

const view = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "The live day business, or {day: null}",
  responses: { 200: json(liveDay, "the live day"), ...errors(...sessionErrors) },
});

const ready = createRoute({
  method: "post",
  path: "/ready",
  tags,
  summary: "Start a new day business (READY)",
  responses: { 204: noContent("ready"), ...moveErrors },
});

const open = createRoute({
  method: "post",
  path: "/open",
  tags,
  summary: "READY → OPEN",
  responses: { 204: noContent("open"), ...moveErrors },
});

const takeBreak = createRoute({
  method: "post",
  path: "/break",
  tags,
  summary: "OPEN → BREAK",
  responses: { 204: noContent("on break"), ...moveErrors },
});

const reopen = createRoute({
  method: "post",
  path: "/reopen",
  tags,
  summary: "BREAK → OPEN",
  responses: { 204: noContent("open"), ...moveErrors },
});

const closing = createRoute({
  method: "post",
  path: "/closing",
  tags,
  summary: "OPEN or BREAK → CLOSING (no new orders)",
  responses: { 204: noContent("closing"), ...moveErrors },
});

const close = createRoute({
  method: "post",
  path: "/close",
  tags,
  summary: "Close check, CLOSED, accounting queued (a repeat answers the same job)",
  request: { body: jsonBody(closeBody) },
  responses: {
    202: json(dayClosed, "closed; the accounting job is queued"),
    ...errors(
      ...sessionErrors,
      "invalid_input",
      "invalid_json",
      "invalid_last_event_id",
      "invalid_transition",
      "client_behind",
      "orders_open",
      "conflict",
    ),
  },
});

/** Day business routes; the session middleware is applied by the parent store app. */
export function dayRoutes(deps: Deps) {
  const app = apiRouter<SessionEnv>();
  const storeOf = (c: { get(k: "session"): { storeId: string } }) => c.get("session").storeId;

  app.openapi(view, async (c) => c.json(await dayView(deps, storeOf(c)), 200));
  app.openapi(ready, async (c) => {
    await readyDay(deps, storeOf(c));
    return c.body(null, 204);
  });
  app.openapi(open, async (c) => {
    await moveDay(deps, storeOf(c), "open");
    return c.body(null, 204);
  });
  app.openapi(takeBreak, async (c) => {
    await moveDay(deps, storeOf(c), "break");
    return c.body(null, 204);
  });
  app.openapi(reopen, async (c) => {
    await moveDay(deps, storeOf(c), "reopen");
    return c.body(null, 204);
  });
  app.openapi(closing, async (c) => {
    await moveDay(deps, storeOf(c), "closing");
    return c.body(null, 204);
  });
  app.openapi(close, async (c) =>
    c.json(await closeDay(deps, storeOf(c), c.req.valid("json").lastEventId), 202),
  );

  return app;
}
