import { and, eq, inArray } from "drizzle-orm";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../infra/errors.ts";
import { newId } from "../../infra/ids.ts";
import { queueAccounting } from "../../infra/queues.ts";
import { parseEventId } from "../../stream/feed.ts";
import { dayClose, dayMove, dayReady } from "../../stream/scripts/index.ts";
import { latestDayRecord, syncDayRecord } from "./dayRecord.ts";
import { businessDateOf, invalidTransition, readLiveDay } from "./liveDay.ts";

export const dayMoves = {
  open: { from: ["READY"], to: "OPEN", stamp: "openedAt" },
  break: { from: ["OPEN"], to: "BREAK", stamp: "" },
  reopen: { from: ["BREAK"], to: "OPEN", stamp: "" },
  closing: { from: ["OPEN", "BREAK"], to: "CLOSING", stamp: "closingAt" },
} as const;
export type DayMove = keyof typeof dayMoves;

/** `ready`: a new day business with its stream's first entry and its SQLite record. */
export async function readyDay(deps: Deps, storeId: string) {
  await syncDayRecord(deps, storeId);
  const dayId = newId();
  const now = deps.clock.now();
  const businessDate = businessDateOf(now);
  const ready = await dayReady(
    deps.redis,
    {
      day: deps.keys.day(storeId),
      stream: deps.keys.dayStream(storeId, dayId),
      lastDay: deps.keys.lastDay(storeId),
      control: deps.keys.control(storeId),
    },
    {
      dayId,
      now,
      businessDate,
      data: JSON.stringify({ dayId, state: "READY", businessDate, at: now }),
    },
  );
  if (ready.outcome !== "ok") throw invalidTransition(ready.state, "ready");
  deps.metrics.dayTransitions.inc({ to: "READY" });
  await syncDayRecord(deps, storeId);
  return { dayId };
}

/** open · break · reopen · closing: one atomic Redis step, then the SQLite record follows. */
export async function moveDay(deps: Deps, storeId: string, move: DayMove) {
  const rule = dayMoves[move];
  for (let attempt = 0; attempt < 3; attempt++) {
    const live = await syncDayRecord(deps, storeId);
    if (!live) throw invalidTransition(null, move);
    const now = deps.clock.now();
    const moved = await dayMove(
      deps.redis,
      { day: deps.keys.day(storeId), stream: deps.keys.dayStream(storeId, live.dayId) },
      {
        dayId: live.dayId,
        now,
        from: rule.from,
        to: rule.to,
        data: JSON.stringify({ state: rule.to, at: now }),
        stamp: rule.stamp,
      },
    );
    if (moved.outcome === "stale") continue;
    if (moved.outcome !== "ok") throw invalidTransition(moved.state, move);
    deps.metrics.dayTransitions.inc({ to: rule.to });
    await syncDayRecord(deps, storeId);
    return;
  }
  throw new AppError(409, "conflict", "The day business changed meanwhile; please try again.");
}

const openOrderStatuses = ["PAID", "ACCEPTED", "READY", "CANCELING"] as const;

/**
 * `close`: refuses in the contract's order (invalid_transition, client_behind, orders_open);
 * then `closed` is appended and the live state removed in one step, and accounting queued.
 */
export async function closeDay(deps: Deps, storeId: string, lastEventId: string) {
  const seen = parseEventId(lastEventId);
  if (!seen?.dayId) {
    throw new AppError(
      400,
      "invalid_last_event_id",
      "lastEventId must be an event id of the feed.",
    );
  }
  const live = await syncDayRecord(deps, storeId);
  if (!live) return repeatedClose(deps, storeId, seen.dayId);
  const closable = live.state === "CLOSING" || (live.state === "READY" && live.orderCount === 0);
  if (!closable) throw invalidTransition(live.state, "close");
  const seenEntry = seen.dayId === live.dayId ? seen.entryId : "";
  await refuseIfBehind(deps, storeId, live.dayId, seenEntry, live.lastEntryId);
  await refuseIfOrdersOpen(deps, live.dayId);
  await expirePendingOrders(deps, live.dayId);

  const now = deps.clock.now();
  const closed = await dayClose(
    deps.redis,
    { day: deps.keys.day(storeId), stream: deps.keys.dayStream(storeId, live.dayId) },
    {
      dayId: live.dayId,
      seenEntry,
      data: JSON.stringify({ dayId: live.dayId, state: "CLOSED", at: now }),
    },
  );
  if (closed.outcome === "behind") throw clientBehind(closed.missed);
  if (closed.outcome !== "ok") throw invalidTransition(closed.state, "close");
  deps.metrics.dayTransitions.inc({ to: "CLOSED" });
  const accountingJobId = await queueAccounting(deps, { storeId, dayId: live.dayId });
  const { dayBusinesses } = deps.db.t;
  await deps.db
    .update(dayBusinesses)
    .set({
      state: "CLOSED",
      closedAt: now,
      lastEntryId: closed.entryId,
      orderCount: live.orderCount,
      grossAmount: live.grossAmount,
      accountingJobId,
      updatedAt: now,
    })
    .where(eq(dayBusinesses.id, live.dayId));
  return { accountingJobId };
}

/** A repeated close of the day just closed answers as the first did. */
async function repeatedClose(deps: Deps, storeId: string, seenDayId: string) {
  const last = await latestDayRecord(deps, storeId);
  if (last?.state === "CLOSED" && last.id === seenDayId && last.accountingJobId) {
    return { accountingJobId: last.accountingJobId };
  }
  throw invalidTransition(null, "close");
}

async function refuseIfBehind(
  deps: Deps,
  storeId: string,
  dayId: string,
  seenEntry: string,
  lastEntryId: string,
) {
  if (seenEntry === lastEntryId) return;
  const key = deps.keys.dayStream(storeId, dayId);
  const missed = seenEntry
    ? (await deps.redis.xrange(key, `(${seenEntry}`, "+")).length
    : await deps.redis.xlen(key);
  if (missed === 0) {
    throw new AppError(400, "invalid_last_event_id", "lastEventId is not an entry of this day.");
  }
  throw clientBehind(missed);
}

const clientBehind = (missed: number) =>
  new AppError(
    409,
    "client_behind",
    `This screen has not received ${missed} event(s) yet; wait for it to catch up and try again.`,
    { missed },
  );

async function refuseIfOrdersOpen(deps: Deps, dayId: string) {
  const { orders } = deps.db.t;
  const open = await deps.db
    .select({ pickupNumber: orders.pickupNumber })
    .from(orders)
    .where(and(eq(orders.dayId, dayId), inArray(orders.status, [...openOrderStatuses])));
  if (open.length === 0) return;
  const pickupNumbers = open.map((o) => o.pickupNumber).filter((n): n is number => n !== null);
  throw new AppError(
    409,
    "orders_open",
    `${open.length} order(s) are not picked up or canceled yet.`,
    { pickupNumbers: pickupNumbers.sort((a, b) => a - b) },
  );
}

/**
 * Unpaid orders cannot be approved once the day is not OPEN: they expire with the day. A capture
 * that slipped through anyway is refunded by the payment job or by accounting.
 */
async function expirePendingOrders(deps: Deps, dayId: string) {
  const { orders } = deps.db.t;
  await deps.db
    .update(orders)
    .set({
      status: "EXPIRED",
      failureReason: "day_closed",
      cartKey: null,
      updatedAt: deps.clock.now(),
    })
    .where(and(eq(orders.dayId, dayId), eq(orders.status, "PENDING_PAYMENT")));
}

/** GET /store/day */
export async function dayView(deps: Deps, storeId: string) {
  const live = await syncDayRecord(deps, storeId);
  if (!live) return { day: null };
  const {
    dayId,
    state,
    openedAt,
    orderCount,
    grossAmount,
    businessDate,
    canceledCount,
    refundAmount,
  } = live;
  return {
    day: {
      id: dayId,
      state,
      openedAt,
      orderCount,
      grossAmount,
      canceledCount,
      refundAmount,
      businessDate,
    },
  };
}

export { readLiveDay };
