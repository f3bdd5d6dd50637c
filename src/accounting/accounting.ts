import { eq } from "drizzle-orm";
import type { Deps } from "../deps.ts";
import { inBatches, Limiter } from "../infra/batches.ts";
import { failpoint } from "../infra/failpoints.ts";
import type { AccountingJob } from "../infra/queues.ts";
import type { KakaoPayOrder } from "../payment/kakaopay.ts";
import { parseEntry } from "../stream/entries.ts";
import liveStatusesLua from "./liveStatuses.lua" with { type: "text" };
import { nextTurn, type PhaseTimes, roundTimes, timed } from "./phases.ts";
import {
  ACCOUNTING_KAKAOPAY_SHARE,
  asksKakaoPay,
  type DayOrder,
  dayOrderIds,
  dayOrderPages,
  kakaoPayOrder,
  reconcileOrder,
  STATUS_CONCURRENCY,
  type StreamFacts,
} from "./reconcile.ts";
import { buildReport, type DayReport, saveReport } from "./report.ts";

export type Progress = (p: { phase: string; done: number; total: number }) => Promise<void> | void;

/**
 * The accounting batch of one closed day: reconcile every order (SQLite × day stream × KakaoPay),
 * write the report and the settlement, then delete the day's stream and live keys. Every step can
 * be repeated, so a retry after a crash anywhere ends with the same report.
 */
export async function runAccounting(
  deps: Deps,
  job: AccountingJob,
  progress: Progress = () => {},
  times: PhaseTimes = {},
  /** the process's share of KakaoPay for accounting, shared by its concurrent jobs */
  kakaoPayShare = new Limiter(ACCOUNTING_KAKAOPAY_SHARE),
) {
  const { dayBusinesses } = deps.db.t;
  const [day] = await deps.db.select().from(dayBusinesses).where(eq(dayBusinesses.id, job.dayId));
  if (!day || day.storeId !== job.storeId)
    throw new Error(`no day ${job.dayId} for store ${job.storeId}`);
  if (day.state !== "CLOSED") throw new Error(`day ${job.dayId} is ${day.state}, not CLOSED`);

  // The stream (Redis) is read while the orders (SQLite) and their live states (Redis) are.
  const [stream, pages] = await Promise.all([
    timed(times, "stream", () => streamFacts(deps, job)),
    readOrders(deps, job, times),
  ]);
  const total = pages.reduce((n, p) => n + p.orders.length, 0);
  let done = 0;
  let findings = 0;
  for (const { orders: page, live } of pages) {
    const kakao = await timed(times, "kakaopay", () =>
      kakaoPayStatuses(deps, page, stream, kakaoPayShare),
    );
    const results = await timed(times, "reconcile", () =>
      inBatches(
        page.map((o, i) => ({ o, k: kakao[i]! })),
        ({ o, k }) => reconcileOrder(deps, o, stream, live.get(o.id) ?? null, k),
        STATUS_CONCURRENCY,
      ),
    );
    findings += results.reduce((s, r) => s + r.length, 0);
    done += page.length;
    await progress({ phase: "reconcile", done, total });
    deps.log.info({ dayId: job.dayId, done, total, findings }, "accounting: orders reconciled");
    failpoint("accounting_mid");
    await nextTurn();
  }
  const report = await timed(times, "report", () => buildReport(deps, day));
  await timed(times, "save", () => saveReport(deps, report));
  await progress({ phase: "report", done: total, total });
  const ids = pages.flatMap((p) => p.orders.map((o) => o.id));
  await timed(times, "cleanup", () => cleanUp(deps, job, ids));
  await progress({ phase: "cleanup", done: total, total });
  deps.log.info(
    {
      dayId: job.dayId,
      orders: total,
      net: report.netAmount,
      findings: report.findings.length,
      ms: roundTimes(times),
    },
    "accounting: day settled",
  );
  return report satisfies DayReport;
}

/** The day's orders page by page, each with its orders' live statuses from Redis. */
async function readOrders(deps: Deps, job: AccountingJob, times: PhaseTimes) {
  const ids = await timed(times, "orders", () => dayOrderIds(deps, job.dayId));
  const out: { orders: DayOrder[]; live: Map<string, string | null> }[] = [];
  const pages = dayOrderPages(deps, ids);
  for (;;) {
    const next = await timed(times, "orders", () => pages.next());
    if (next.done) return out;
    const orders = next.value;
    out.push({
      orders,
      live: await timed(times, "live", () => liveStatuses(deps, job.storeId, orders)),
    });
    await nextTurn();
  }
}

/** KakaoPay's answers for the orders of `page` it is asked about (`asksKakaoPay`), else null. */
async function kakaoPayStatuses(
  deps: Deps,
  page: DayOrder[],
  stream: StreamFacts | null,
  share: Limiter,
) {
  return inBatches(
    page,
    async (o): Promise<KakaoPayOrder | null> =>
      asksKakaoPay(o, stream, deps.config.accountingAskKakaoPay)
        ? share.run(() => kakaoPayOrder(deps, o.tid!))
        : null,
    STATUS_CONCURRENCY,
  );
}

const STREAM_PAGE = 1000;

/**
 * The orders the day stream holds an `order.paid` of; null once the stream is gone (a re-run).
 * Read and parsed a page at a time, so the event loop (the API, in a ROLE=all process) gets a
 * turn between pages; only `order.paid` entries are parsed.
 */
async function streamFacts(deps: Deps, job: AccountingJob): Promise<StreamFacts | null> {
  const key = deps.keys.dayStream(job.storeId, job.dayId);
  if (!(await deps.redis.exists(key))) return null;
  const facts: StreamFacts = new Set();
  let start = "-";
  for (;;) {
    const raw = (await deps.redis.xrange(key, start, "+", "COUNT", STREAM_PAGE)) as [
      string,
      string[],
    ][];
    for (const r of raw) {
      const entry = parseEntry(r);
      if (entry.type !== "order.paid") continue;
      const { orderId } = JSON.parse(entry.data) as { orderId?: string };
      if (orderId) facts.add(orderId);
    }
    if (raw.length < STREAM_PAGE) return facts;
    start = `(${raw[raw.length - 1]![0]}`;
  }
}

async function liveStatuses(deps: Deps, storeId: string, page: DayOrder[]) {
  const keys = page.map((o) => deps.keys.order(storeId, o.id));
  const res = (await deps.redis.eval(liveStatusesLua, keys.length, ...keys)) as string[];
  return new Map(page.map((o, i) => [o.id, res[i] || null]));
}

/** Deletes the day stream, the exactly-once memos and the orders' live state. */
async function cleanUp(deps: Deps, job: AccountingJob, orderIds: string[]) {
  // 500 orders a call, one call at a time: the event loop gets a turn between calls.
  for (let i = 0; i < orderIds.length; i += 500) {
    const keys = orderIds
      .slice(i, i + 500)
      .flatMap((id) => [deps.keys.entryMemo(job.storeId, id), deps.keys.order(job.storeId, id)]);
    await deps.redis.unlink(...keys);
  }
  await deps.redis.unlink(deps.keys.dayStream(job.storeId, job.dayId));
  // SQLite says CLOSED only after Redis closed the day; a live hash for this day means Redis lost
  // the close (AOF everysec drops the last second on a crash): finish it.
  if ((await deps.redis.hget(deps.keys.day(job.storeId), "dayId")) === job.dayId) {
    await deps.redis.del(deps.keys.day(job.storeId));
    deps.log.warn(
      { dayId: job.dayId },
      "accounting removed a live state Redis had lost the close of",
    );
  }
  // The pointer to the latest day goes too, unless a new day has started meanwhile.
  const lastDay = deps.keys.lastDay(job.storeId);
  if ((await deps.redis.get(lastDay)) === job.dayId) await deps.redis.del(lastDay);
}
