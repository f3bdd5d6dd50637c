import { eq } from "drizzle-orm";
import type { Deps } from "../../deps.ts";
import { compareIds, readAfter } from "../../stream/entries.ts";
import { dayRestore } from "../../stream/scripts/index.ts";
import type { LiveDay } from "./liveDay.ts";

type DayRow = Deps["db"]["t"]["dayBusinesses"]["$inferSelect"];

/**
 * Whether a day that SQLite still holds open was in fact closed: its stream says `closed`, or
 * accounting already wrote its report (and may have deleted the stream). Otherwise Redis lost
 * the live day (a power cut rolled it back), and it must be restored, not closed.
 */
export async function wasClosed(deps: Deps, storeId: string, dayId: string) {
  const { dayReports } = deps.db.t;
  const [report] = await deps.db
    .select({ dayId: dayReports.dayId })
    .from(dayReports)
    .where(eq(dayReports.dayId, dayId));
  if (report) return true;
  const entries = await readAfter(deps.redis, deps.keys.dayStream(storeId, dayId), null);
  return entries.some((e) => e.type === "closed");
}

export type DayRestore = "restored" | "state_restored" | null;

/**
 * Brings Redis up to the SQLite record when Redis is behind: the live day missing, or its last
 * transition lost (SQLite's record has seen a later entry than Redis's day hash holds).
 */
export async function restoreDayFromRecord(
  deps: Deps,
  record: DayRow,
  live: LiveDay | null,
): Promise<DayRestore> {
  if (record.state === "CLOSED") return null;
  if (live && live.dayId !== record.id) return null;
  if (live) {
    const redisBehind =
      record.lastEntryId !== null && compareIds(record.lastEntryId, live.lastEntryId) > 0;
    if (!redisBehind || live.state === record.state) return null;
  } else if (await wasClosed(deps, record.storeId, record.id)) {
    return null;
  }
  const now = deps.clock.now();
  const restored = await dayRestore(
    deps.redis,
    {
      day: deps.keys.day(record.storeId),
      stream: deps.keys.dayStream(record.storeId, record.id),
      lastDay: deps.keys.lastDay(record.storeId),
      control: deps.keys.control(record.storeId),
    },
    {
      dayId: record.id,
      state: record.state,
      readyAt: record.readyAt,
      businessDate: record.businessDate,
      openedAt: record.openedAt,
      closingAt: record.closingAt,
      readyData: JSON.stringify({
        dayId: record.id,
        state: "READY",
        businessDate: record.businessDate,
        at: record.readyAt,
      }),
      stateData: JSON.stringify({ state: record.state, at: now, restored: true }),
    },
  );
  if (restored.outcome !== "ok") return null;
  deps.log.warn(
    { storeId: record.storeId, dayId: record.id, state: record.state, hadLiveDay: Boolean(live) },
    "live day restored in Redis from the SQLite record",
  );
  return live ? "state_restored" : "restored";
}
