import { Hono } from "hono";
import { z } from "zod";
import { orderStatuses } from "../../../db/schema.ts";
import type { Deps } from "../../deps.ts";
import { validate } from "../../infra/validate.ts";
import type { SessionEnv } from "../auth/session.ts";
import { cancelOrder } from "./cancelOrder.ts";
import { boardStatuses, listTodayOrders } from "./listOrders.ts";
import { moveOrder, type OrderMove } from "./orderMoves.ts";

export const ordersQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",").map((x) => x.trim()) : undefined))
    .pipe(z.array(z.enum(orderStatuses)).optional()),
});
export const orderParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "not an order id"),
});
export const cancelBody = z.object({
  reason: z.string().trim().min(1, "a reason is required").max(200),
});

/** The store's orders of today (session required by the parent app). */
export function orderRoutes(deps: Deps) {
  const app = new Hono<SessionEnv>();

  app.get("/", validate("query", ordersQuery), async (c) => {
    const { status } = c.req.valid("query");
    return c.json(await listTodayOrders(deps, c.get("session").storeId, status ?? boardStatuses));
  });

  for (const move of ["accept", "ready", "pickup"] as OrderMove[]) {
    app.post(`/:id/${move}`, validate("param", orderParams), async (c) =>
      c.json(await moveOrder(deps, c.get("session").storeId, c.req.valid("param").id, move)),
    );
  }

  app.post("/:id/cancel", validate("param", orderParams), validate("json", cancelBody), async (c) =>
    c.json(
      await cancelOrder(
        deps,
        c.get("session").storeId,
        c.req.valid("param").id,
        c.req.valid("json").reason,
      ),
    ),
  );

  return app;
}
