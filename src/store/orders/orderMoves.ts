import { and, eq, inArray } from "drizzle-orm";
import type { OrderStatus } from "../../../db/model.ts";
import type { Deps } from "../../deps.ts";
import { AppError, notFound } from "../../infra/errors.ts";
import { queueNotify } from "../../infra/queues.ts";
import { orderMove } from "../../stream/scripts/index.ts";

export const orderMoves = {
  accept: { from: ["PAID"], to: "ACCEPTED", event: "order.accepted", stamp: "acceptedAt" },
  // A rush may skip "accept": ready straight from PAID is allowed.
  ready: { from: ["PAID", "ACCEPTED"], to: "READY", event: "order.ready", stamp: "readyAt" },
  pickup: { from: ["READY"], to: "PICKED_UP", event: "order.picked_up", stamp: "pickedUpAt" },
} as const;
export type OrderMove = keyof typeof orderMoves;

export type StoreOrder = Deps["db"]["t"]["orders"]["$inferSelect"];

/** The store's own order, or 404 with no hint that another store's order exists. */
export async function storeOrder(
  deps: Deps,
  storeId: string,
  orderId: string,
): Promise<StoreOrder> {
  const { orders } = deps.db.t;
  const [order] = await deps.db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.storeId, storeId)));
  if (!order || order.pickupNumber === null) throw notFound("order");
  return order;
}

export const orderTransitionRefused = (state: string, action: string) =>
  new AppError(
    409,
    "invalid_transition",
    `The order is ${state}; "${action}" is not allowed now.`,
    {
      state,
    },
  );

/** accept · ready · pickup: one Lua step (state + stream entry), then SQLite; repeats are no-ops. */
export async function moveOrder(deps: Deps, storeId: string, orderId: string, move: OrderMove) {
  const order = await storeOrder(deps, storeId, orderId);
  const rule = orderMoves[move];
  const now = deps.clock.now();
  const moved = await orderMove(
    deps.redis,
    {
      order: deps.keys.order(storeId, order.id),
      stream: deps.keys.dayStream(storeId, order.dayId),
      day: deps.keys.day(storeId),
    },
    {
      dayId: order.dayId,
      from: rule.from,
      to: rule.to,
      event: rule.event,
      data: JSON.stringify({ orderId: order.id, pickupNumber: order.pickupNumber, at: now }),
    },
  );
  if (moved.outcome === "missing") throw orderTransitionRefused(order.status, move);
  if (moved.outcome === "refused") throw orderTransitionRefused(moved.status, move);
  if (moved.outcome === "ok") {
    await writeStatus(deps, order.id, rule.to, rule.from, { [rule.stamp]: now });
    if (move === "ready") await queueNotify(deps, order, "ready");
  } else {
    // 'same': already done; make sure SQLite (and the message) caught up after any crash.
    await writeStatus(deps, order.id, rule.to, rule.from, {});
    if (move === "ready") await queueNotify(deps, order, "ready");
  }
  return { orderId: order.id, status: rule.to, pickupNumber: order.pickupNumber };
}

/** SQLite follows Redis, only forward: from one of `from` to `to`. */
export async function writeStatus(
  deps: Deps,
  orderId: string,
  to: OrderStatus,
  from: readonly OrderStatus[],
  stamps: Record<string, number>,
) {
  const { orders } = deps.db.t;
  await deps.db
    .update(orders)
    .set({ status: to, ...stamps, updatedAt: deps.clock.now() })
    .where(and(eq(orders.id, orderId), inArray(orders.status, [...from])));
}
