import { createRoute } from "@hono/zod-openapi";
import type { Deps } from "../../deps.ts";
import { apiRouter, errors, json, jsonBody, sessionErrors } from "../../infra/api.ts";
import type { SessionEnv } from "../auth/session.ts";
import { cancelOrder } from "./cancelOrder.ts";
import { boardStatuses, listTodayOrders } from "./listOrders.ts";
import { moveOrder } from "./orderMoves.ts";
import {
  cancelBody,
  orderCanceled,
  orderList,
  orderMoved,
  orderParams,
  ordersQuery,
} from "./schema.ts";

const tags = ["orders"];
const moveErrors = errors(...sessionErrors, "invalid_input", "not_found", "invalid_transition");

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Today's orders with their lines",
  request: { query: ordersQuery },
  responses: {
    200: json(orderList, "today's orders"),
    ...errors(...sessionErrors, "invalid_input"),
  },
});

const accept = createRoute({
  method: "post",
  path: "/{id}/accept",
  tags,
  summary: "PAID → ACCEPTED (a repeat is a no-op)",
  request: { params: orderParams },
  responses: { 200: json(orderMoved, "accepted"), ...moveErrors },
});

const ready = createRoute({
  method: "post",
  path: "/{id}/ready",
  tags,
  summary: "PAID or ACCEPTED → READY; the customer is told (a repeat is a no-op)",
  request: { params: orderParams },
  responses: { 200: json(orderMoved, "ready"), ...moveErrors },
});

const pickup = createRoute({
  method: "post",
  path: "/{id}/pickup",
  tags,
  summary: "READY → PICKED_UP (a repeat is a no-op)",
  request: { params: orderParams },
  responses: { 200: json(orderMoved, "picked up"), ...moveErrors },
});

const cancel = createRoute({
  method: "post",
  path: "/{id}/cancel",
  tags,
  summary: "Full refund through KakaoPay, then CANCELED (never refunds twice)",
  request: {
    params: orderParams,
    body: jsonBody(cancelBody),
  },
  responses: {
    200: json(orderCanceled, "canceled and refunded"),
    ...errors(
      ...sessionErrors,
      "invalid_input",
      "invalid_json",
      "not_found",
      "invalid_transition",
      "cancel_in_progress",
      "payment_provider",
    ),
  },
});

/** The store's orders of today (session required by the parent app). */
export function orderRoutes(deps: Deps) {
  const app = apiRouter<SessionEnv>();
  const storeOf = (c: { get(k: "session"): { storeId: string } }) => c.get("session").storeId;

  app.openapi(list, async (c) => {
    const { status } = c.req.valid("query");
    return c.json(await listTodayOrders(deps, storeOf(c), status ?? boardStatuses), 200);
  });
  app.openapi(accept, async (c) =>
    c.json(await moveOrder(deps, storeOf(c), c.req.valid("param").id, "accept"), 200),
  );
  app.openapi(ready, async (c) =>
    c.json(await moveOrder(deps, storeOf(c), c.req.valid("param").id, "ready"), 200),
  );
  app.openapi(pickup, async (c) =>
    c.json(await moveOrder(deps, storeOf(c), c.req.valid("param").id, "pickup"), 200),
  );
  app.openapi(cancel, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await cancelOrder(deps, storeOf(c), id, c.req.valid("json").reason), 200);
  });

  return app;
}
