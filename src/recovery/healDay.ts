import { and, count, eq, inArray } from "drizzle-orm";
import type { OrderStatus } from "../../db/model.ts";
import type { Deps } from "../deps.ts";
import { inBatches } from "../infra/batches.ts";
import { queueNotify } from "../infra/queues.ts";
import { findOrder, markPaymentRefunded } from "../ordering/pendingOrder.ts";
import { completePaidOrder } from "../payment/approvePayment.ts";
import { KakaoPayError } from "../payment/kakaopay.ts";
import { liveStoreIds, syncDayRecord } from "../store/day/dayRecord.ts";
import { writeStatus } from "../store/orders/orderMoves.ts";
import { readAfter } from "../stream/entries.ts";
import { healMove, pickupFloor } from "../stream/scripts/index.ts";
import type { Repair } from "./repairs.ts";
import { restoreOrderFromStream } from "./restoreOrder.ts";
import { maxPickupIn, type OrderFacts, orderFacts, progress } from "./streamFacts.ts";

/** Entries and rows younger than this are left to the request or job that is writing them. */
export const SETTLE_MS = 2000;
const KAKAOPAY_CONCURRENCY = 16;

export type { HealKind, Repair } from "./repairs.ts";

type Row = Deps["db"]["t"]["orders"]["$inferSelect"] & { tid: string | null };

const moveEvent: Partial<Record<OrderStatus, string>> = {
  ACCEPTED: "order.accepted",
  READY: "order.ready",
  PICKED_UP: "order.picked_up",
  CANCELED: "order.canceled",
};
const paidLike: OrderStatus[] = ["PAID", "ACCEPTED", "READY", "PICKED_UP", "CANCELING", "CANCELED"];

/**
 * Heals a store's live day from the durable records after Redis or SQLite lost their last
 * writes (a power cut): SQLite orders × the day stream × (with `askKakaoPay`) KakaoPay. Every
 * repair goes through the same scripts as live traffic, so the counter screen receives healed
 * entries like any others, and each is recorded as a finding the day report shows.
 */
export async function healLiveDay(
  deps: Deps,
  storeId: string,
  opts: { askKakaoPay: boolean; settleMs?: number; onlyIfCountsDiffer?: boolean },
): Promise<Repair[]> {
  const before = await deps.redis.hget(deps.keys.day(storeId), "dayId");
  const live = await syncDayRecord(deps, storeId);
  if (!live) return [];
  // The minute's check stays cheap: the whole day is compared only when Redis and SQLite
  // disagree on how many orders were paid (a restart of either heals in full anyway).
  if (
    opts.onlyIfCountsDiffer &&
    before &&
    (await paidCount(deps, live.dayId)) === live.orderCount
  ) {
    return [];
  }
  const repairs: Repair[] = [];
  if (!before) repairs.push({ orderId: "", kind: "day_restored", detail: `state ${live.state}` });
  const until = deps.clock.now() - (opts.settleMs ?? SETTLE_MS);
  const entries = await readAfter(deps.redis, deps.keys.dayStream(storeId, live.dayId), null);
  const facts = orderFacts(entries, until);
  const rows = (await dayRows(deps, live.dayId)).filter((r) => r.updatedAt <= until);
  const known = new Set(rows.map((r) => r.id));
  const highest = rows.reduce((m, r) => Math.max(m, r.pickupNumber ?? 0), maxPickupIn(facts));
  repairs.push(...(await raisePickupFloor(deps, storeId, live.dayId, highest + 1)));

  for (const row of rows) repairs.push(...(await healOrder(deps, row, facts.get(row.id))));
  for (const [orderId, f] of facts) {
    if (known.has(orderId) || !f.paid || (await findOrder(deps, orderId))) continue;
    repairs.push(await restoreOrderFromStream(deps, storeId, live.dayId, f));
  }
  if (opts.askKakaoPay)
    repairs.push(...(await completeCaptured(deps, storeId, live.dayId, rows, facts, highest)));
  await recordRepairs(deps, live.dayId, repairs);
  if (repairs.length) {
    deps.log.warn({ storeId, dayId: live.dayId, repairs: countKinds(repairs) }, "live day healed");
  }
  return repairs;
}

async function paidCount(deps: Deps, dayId: string) {
  const { orders } = deps.db.t;
  const [row] = await deps.db
    .select({ n: count() })
    .from(orders)
    .where(and(eq(orders.dayId, dayId), inArray(orders.status, paidLike)));
  return row?.n ?? 0;
}

async function dayRows(deps: Deps, dayId: string): Promise<Row[]> {
  const { orders, payments } = deps.db.t;
  const rows = await deps.db
    .select({ order: orders, tid: payments.tid })
    .from(orders)
    .leftJoin(payments, eq(payments.orderId, orders.id))
    .where(eq(orders.dayId, dayId));
  return rows.map((r) => ({ ...r.order, tid: r.tid }));
}

/** One order: whichever of SQLite and the stream is further along brings the other up. */
async function healOrder(deps: Deps, row: Row, f: OrderFacts | undefined): Promise<Repair[]> {
  const out: Repair[] = [];
  if (paidLike.includes(row.status) && row.pickupNumber !== null) {
    if (!f?.paid) {
      await completePaidOrder(deps, row.id, { keepPickup: row.pickupNumber });
      out.push({
        orderId: row.id,
        kind: "paid_restored_to_stream",
        detail: `pickup ${row.pickupNumber}`,
      });
    }
    const streamProgress = f ? (progress[f.status] ?? 0) : 1;
    if ((progress[row.status] ?? 0) > streamProgress && moveEvent[row.status]) {
      if (await appendMove(deps, row)) {
        out.push({ orderId: row.id, kind: "move_restored_to_stream", detail: row.status });
      }
    } else if (f && (progress[f.status] ?? 0) > (progress[row.status] ?? 0)) {
      await catchUpStatus(deps, row, f);
      out.push({
        orderId: row.id,
        kind: "status_restored_to_db",
        detail: `${row.status} → ${f.status}`,
      });
    }
    return out;
  }
  if (f?.paid) {
    // The stream has the order paid; SQLite lost the PAID mark (and maybe later moves).
    await completePaidOrder(deps, row.id);
    out.push({
      orderId: row.id,
      kind: "paid_restored_to_db",
      detail: `pickup ${f.paid.pickupNumber}`,
    });
    if (f.status !== "PAID") await catchUpStatus(deps, { ...row, status: "PAID" }, f);
  }
  return out;
}

/** SQLite kept a move the stream lost: append it again, and queue its customer message. */
async function appendMove(deps: Deps, row: Row) {
  const canceled = row.status === "CANCELED";
  const data = {
    orderId: row.id,
    pickupNumber: row.pickupNumber,
    at: row.updatedAt,
    restored: true,
    ...(canceled ? { reason: row.cancelReason ?? "", refunded: row.totalAmount } : {}),
  };
  const healed = await healMove(
    deps.redis,
    {
      order: deps.keys.order(row.storeId, row.id),
      stream: deps.keys.dayStream(row.storeId, row.dayId),
      day: deps.keys.day(row.storeId),
    },
    {
      dayId: row.dayId,
      status: row.status,
      event: moveEvent[row.status]!,
      data: JSON.stringify(data),
      refunded: canceled ? row.totalAmount : 0,
    },
  );
  if (healed.outcome !== "ok") return false;
  if (row.status === "READY") await queueNotify(deps, row, "ready");
  if (canceled) await queueNotify(deps, row, "canceled");
  return true;
}

/** The stream kept a move SQLite lost: SQLite follows, only forward. */
async function catchUpStatus(deps: Deps, row: Pick<Row, "id" | "status">, f: OrderFacts) {
  const from = paidLike.filter((s) => (progress[s] ?? 0) < (progress[f.status] ?? 0));
  if (f.status === "CANCELED") {
    const now = deps.clock.now();
    const { orders } = deps.db.t;
    await deps.db.transaction(async (tx) => {
      await tx
        .update(orders)
        .set({
          status: "CANCELED",
          cancelReason: f.canceled?.reason ?? null,
          canceledAt: now,
          updatedAt: now,
        })
        .where(and(eq(orders.id, row.id), eq(orders.status, row.status)));
      await markPaymentRefunded(tx, row.id, f.canceled?.refunded ?? 0, now);
    });
    return;
  }
  await writeStatus(deps, row.id, f.status, from, {});
}

async function raisePickupFloor(deps: Deps, storeId: string, dayId: string, floor: number) {
  const raised = await pickupFloor(deps.redis, { day: deps.keys.day(storeId) }, { dayId, floor });
  return raised.outcome === "raised"
    ? [
        {
          orderId: "",
          kind: "pickup_counter_raised" as const,
          detail: `next pickup ${raised.nextPickup}`,
        },
      ]
    : [];
}

/**
 * Orders still PENDING_PAYMENT that KakaoPay captured, with no `order.paid` anywhere: their
 * approval was lost with Redis (or SQLite). Their customers may have been shown a pickup number
 * that is now lost too, so the numbers just above the highest known are skipped, one per such
 * order, before they are completed: no number is ever handed out twice.
 */
async function completeCaptured(
  deps: Deps,
  storeId: string,
  dayId: string,
  rows: Row[],
  facts: Map<string, OrderFacts>,
  highest: number,
): Promise<Repair[]> {
  const pending = rows.filter(
    (r) => r.status === "PENDING_PAYMENT" && r.tid && !facts.get(r.id)?.paid,
  );
  // KakaoPay unreachable: stop asking (the sweep settles these later) rather than wait on each.
  let reachable = true;
  const captured = (
    await inBatches(
      pending,
      async (r) => {
        if (!reachable) return null;
        const status = await capturedAt(deps, r.tid!);
        if (status === "unavailable") reachable = false;
        return status === true ? r : null;
      },
      KAKAOPAY_CONCURRENCY,
    )
  ).filter((r) => r !== null);
  if (captured.length === 0) return [];
  const out: Repair[] = [
    ...(await raisePickupFloor(deps, storeId, dayId, highest + 1 + captured.length)),
  ];
  for (const r of captured) {
    const done = await completePaidOrder(deps, r.id);
    const detail = done.outcome === "paid" ? `pickup ${done.pickupNumber}` : done.outcome;
    out.push({ orderId: r.id, kind: "captured_completed", detail });
  }
  return out;
}

async function capturedAt(deps: Deps, tid: string): Promise<boolean | "unavailable"> {
  try {
    return (await deps.kakaopay.order(tid)).status === "SUCCESS_PAYMENT";
  } catch (err) {
    if (err instanceof KakaoPayError) return false;
    deps.log.warn({ tid, err: (err as Error).message }, "heal: KakaoPay status unavailable");
    return "unavailable";
  }
}

async function recordRepairs(deps: Deps, dayId: string, repairs: Repair[]) {
  if (repairs.length === 0) return;
  await deps.db
    .insert(deps.db.t.accountingFindings)
    .values(
      repairs.map((r) => ({
        dayId,
        orderId: r.orderId,
        kind: r.kind,
        refunded: 0,
        detail: r.detail,
      })),
    )
    .onConflictDoNothing();
}

export function countKinds(repairs: Repair[]) {
  const counts: Record<string, number> = {};
  for (const r of repairs) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return counts;
}

/** Every store with a live day (in Redis or in SQLite), healed one after another. */
export async function healAllLiveDays(
  deps: Deps,
  opts: { askKakaoPay: boolean; settleMs?: number; onlyIfCountsDiffer?: boolean },
) {
  const all: Repair[] = [];
  for (const storeId of await liveStoreIds(deps)) {
    try {
      all.push(...(await healLiveDay(deps, storeId, opts)));
    } catch (err) {
      deps.log.error({ storeId, err: (err as Error).message }, "healing a live day failed");
    }
  }
  return all;
}
