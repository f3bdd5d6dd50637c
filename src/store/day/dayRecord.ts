import { and, desc, eq, ne } from "drizzle-orm";
import type { Deps } from "../../deps.ts";
import { forUpdate } from "../../infra/db.ts";
import { queueAccounting } from "../../infra/queues.ts";
import { scanKeys } from "../../infra/redisClient.ts";
import { compareIds, readAfter } from "../../stream/entries.ts";
import { restoreDayFromRecord } from "./dayRestore.ts";
import { type LiveDay, readLiveDay } from "./liveDay.ts";

/**
 * Brings the SQLite record up to Redis, the truth while a day is live. Runs after every state
 * change, on every day request and at start, so a crash between the Redis step and the SQLite
 * write is repaired by whoever comes next.
 */
export async function syncDayRecord(deps: Deps, storeId: string): Promise<LiveDay | null> {
  let live = await readLiveDay(deps, storeId);
  const { dayBusinesses } = deps.db.t;
  const open = await deps.db
    .select()
    .from(dayBusinesses)
    .where(and(eq(dayBusinesses.storeId, storeId), ne(dayBusinesses.state, "CLOSED")))
    .orderBy(desc(dayBusinesses.readyAt));
  // Redis behind SQLite (a power cut rolled it back): the record brings the live day back.
  const newest = open[0];
  if (newest && (await restoreDayFromRecord(deps, newest, live))) {
    live = await readLiveDay(deps, storeId);
  }
  if (live) await writeLive(deps, storeId, live);
  for (const row of open) if (row.id !== live?.dayId) await finishClosedDay(deps, storeId, row.id);
  return live;
}

async function writeLive(deps: Deps, storeId: string, live: LiveDay) {
  const { dayBusinesses } = deps.db.t;
  const values = {
    state: live.state,
    lastEntryId: live.lastEntryId,
    openedAt: live.openedAt,
    closingAt: live.closingAt,
    orderCount: live.orderCount,
    grossAmount: live.grossAmount,
    updatedAt: deps.clock.now(),
  };
  await deps.db.transaction(async (tx) => {
    // The new day's row, unless a concurrent writer made it first.
    const [created] = await tx
      .insert(dayBusinesses)
      .values({
        id: live.dayId,
        storeId,
        businessDate: live.businessDate,
        readyAt: live.readyAt,
        ...values,
      })
      .onConflictDoNothing()
      .returning({ id: dayBusinesses.id });
    if (created) return;
    const [row] = await forUpdate(
      tx,
      tx
        .select({ lastEntryId: dayBusinesses.lastEntryId })
        .from(dayBusinesses)
        .where(eq(dayBusinesses.id, live.dayId)),
    );
    // Only move forward: a slower concurrent writer must not roll the record back.
    if (row && (!row.lastEntryId || compareIds(live.lastEntryId, row.lastEntryId) > 0)) {
      await tx.update(dayBusinesses).set(values).where(eq(dayBusinesses.id, live.dayId));
    }
  });
}

/**
 * A record still open in SQLite whose live state is gone from Redis was closed by a close that
 * did not finish its SQLite write: complete it from the stream's `closed` entry and queue its
 * accounting (idempotent by job id).
 */
async function finishClosedDay(deps: Deps, storeId: string, dayId: string) {
  const entries = await readAfter(deps.redis, deps.keys.dayStream(storeId, dayId), null);
  const closed = entries.findLast((e) => e.type === "closed");
  const closedAt = closed ? Number(closed.id.split("-")[0]) : deps.clock.now();
  const jobId = await queueAccounting(deps, { storeId, dayId });
  const { dayBusinesses } = deps.db.t;
  await deps.db
    .update(dayBusinesses)
    .set({
      state: "CLOSED",
      closedAt,
      lastEntryId: closed?.id ?? entries.at(-1)?.id ?? null,
      accountingJobId: jobId,
      updatedAt: deps.clock.now(),
    })
    .where(eq(dayBusinesses.id, dayId));
  deps.log.warn(
    { storeId, dayId, hadClosedEntry: Boolean(closed) },
    "day record repaired to CLOSED",
  );
}

export async function latestDayRecord(deps: Deps, storeId: string) {
  const { dayBusinesses } = deps.db.t;
  const [latest] = await deps.db
    .select()
    .from(dayBusinesses)
    .where(eq(dayBusinesses.storeId, storeId))
    .orderBy(desc(dayBusinesses.readyAt))
    .limit(1);
  return latest;
}

/** Stores whose day is live in Redis or still open in SQLite. */
export async function liveStoreIds(deps: Deps) {
  const { dayBusinesses } = deps.db.t;
  const open = await deps.db
    .selectDistinct({ storeId: dayBusinesses.storeId })
    .from(dayBusinesses)
    .where(ne(dayBusinesses.state, "CLOSED"));
  const storeIds = new Set(open.map((r) => r.storeId));
  for await (const key of scanKeys(deps.redis, deps.keys.day("*"))) {
    const id = key.match(/\{(.+)\}/)?.[1];
    if (id) storeIds.add(id);
  }
  return storeIds;
}
