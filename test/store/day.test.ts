import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { newId } from "../../src/infra/ids.ts";
import { dayClose, dayMove, dayReady } from "../../src/stream/scripts/index.ts";
import { SseReader } from "../helpers/sse.ts";
import { dayBusinesses, orders } from "../helpers/tables.ts";
import { testDb } from "../helpers/testDb.ts";
import { login, makeTestDeps, post, seedStore } from "../helpers/testDeps.ts";

const t = makeTestDeps({ db: await testDb() });
afterAll(() => t.close());

let store: Awaited<ReturnType<typeof seedStore>>;
let cookie: string;
beforeEach(async () => {
  store = await seedStore(t.deps);
  cookie = (await login(t.app, store, { addr: `10.2.${Math.floor(Math.random() * 250)}.1` }))
    .cookie;
});

const act = (path: string, body?: unknown) => post(t.app, `/store/day/${path}`, cookie, body);
const day = async () =>
  (await (await t.app.request("/store/day", { headers: { cookie } })).json()).day;
const record = async (id: string) =>
  (await t.deps.db.select().from(dayBusinesses).where(eq(dayBusinesses.id, id)))[0];
const streamOf = (dayId: string) => t.deps.keys.dayStream(store.storeId, dayId);
async function lastEventId() {
  const d = await day();
  const [last] = await t.deps.redis.xrevrange(streamOf(d.id), "+", "-", "COUNT", 1);
  return `${d.id}:${last![0]}`;
}

describe("day business state machine", () => {
  test("no day before ready; ready creates the day, its stream's first entry and its record", async () => {
    expect(await day()).toBeNull();
    expect((await act("ready")).status).toBe(204);
    const d = await day();
    expect(d).toMatchObject({ state: "READY", orderCount: 0, grossAmount: 0, openedAt: null });
    const entries = await t.deps.redis.xrange(streamOf(d.id), "-", "+");
    expect(entries).toHaveLength(1);
    expect(entries[0]![1]).toContain("ready");
    expect(await record(d.id)).toMatchObject({
      state: "READY",
      storeId: store.storeId,
      lastEntryId: entries[0]![0],
    });
  });

  test("every allowed transition moves Redis, the stream and the record together", async () => {
    await act("ready");
    const path: [string, string][] = [
      ["open", "OPEN"],
      ["break", "BREAK"],
      ["reopen", "OPEN"],
      ["break", "BREAK"],
      ["closing", "CLOSING"],
    ];
    for (const [move, state] of path) {
      expect((await act(move)).status).toBe(204);
      const d = await day();
      expect(d.state).toBe(state);
      expect((await record(d.id))?.state as string).toBe(state);
    }
    const d = await day();
    const states = (await t.deps.redis.xrange(streamOf(d.id), "-", "+")).map(
      ([, f]) => JSON.parse(f[3]!).state,
    );
    expect(states).toEqual(["READY", "OPEN", "BREAK", "OPEN", "BREAK", "CLOSING"]);
    expect(d.openedAt).toBeGreaterThan(0);
  });

  test("closing straight from OPEN is allowed", async () => {
    await act("ready");
    await act("open");
    expect((await act("closing")).status).toBe(204);
    expect((await day()).state).toBe("CLOSING");
  });

  test("every refused transition is 409 invalid_transition with the current state, and writes nothing", async () => {
    const refused: Record<string, string[]> = {
      NONE: ["open", "break", "reopen", "closing"],
      READY: ["ready", "break", "reopen", "closing"],
      OPEN: ["ready", "open", "reopen"],
      BREAK: ["ready", "open", "break"],
      CLOSING: ["ready", "open", "break", "reopen", "closing"],
    };
    const reach: Record<string, string[]> = {
      NONE: [],
      READY: ["ready"],
      OPEN: ["ready", "open"],
      BREAK: ["ready", "open", "break"],
      CLOSING: ["ready", "open", "closing"],
    };
    for (const [state, moves] of Object.entries(refused)) {
      store = await seedStore(t.deps);
      cookie = (await login(t.app, store, { addr: "10.3.0.1" })).cookie;
      for (const m of reach[state]!) expect((await act(m)).status).toBe(204);
      const before = state === "NONE" ? null : await lastEventId();
      for (const move of moves) {
        const res = await act(move);
        expect({ state, move, status: res.status }).toEqual({ state, move, status: 409 });
        const body = await res.json();
        expect(body).toMatchObject({
          error: "invalid_transition",
          state: state === "NONE" ? null : state,
        });
        expect(body.message).toBeString();
      }
      if (before) expect(await lastEventId()).toBe(before);
    }
  });

  test("10 concurrent ready calls create one day business", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => act("ready")));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    const rows = await t.deps.db
      .select()
      .from(dayBusinesses)
      .where(eq(dayBusinesses.storeId, store.storeId));
    expect(rows).toHaveLength(1);
    expect(await t.deps.redis.xlen(streamOf(rows[0]!.id))).toBe(1);
  });

  test("a crash between the Redis step and the SQLite write is repaired on the next request", async () => {
    await act("ready");
    const d = await day();
    // The Redis half of `open`, as if the process died before writing SQLite.
    await dayMove(
      t.deps.redis,
      { day: t.deps.keys.day(store.storeId), stream: streamOf(d.id) },
      {
        dayId: d.id,
        now: Date.now(),
        from: ["READY"],
        to: "OPEN",
        data: JSON.stringify({ state: "OPEN" }),
        stamp: "openedAt",
      },
    );
    expect((await record(d.id))?.state).toBe("READY");
    expect((await day()).state).toBe("OPEN");
    const repaired = (await record(d.id))!;
    expect(repaired.state).toBe("OPEN");
    expect(repaired.openedAt).toBeGreaterThan(0);
  });

  test("a crash after the Redis half of ready (no record at all) is repaired too", async () => {
    const dayId = newId();
    await dayReady(
      t.deps.redis,
      {
        day: t.deps.keys.day(store.storeId),
        stream: streamOf(dayId),
        lastDay: t.deps.keys.lastDay(store.storeId),
        control: t.deps.keys.control(store.storeId),
      },
      { dayId, now: Date.now(), businessDate: "2026-11-25", data: JSON.stringify({ dayId }) },
    );
    expect(await record(dayId)).toBeUndefined();
    // A retried `ready` is refused (the day exists) but leaves the record written.
    const retry = await act("ready");
    expect(retry.status).toBe(409);
    expect(await record(dayId)).toMatchObject({ state: "READY", businessDate: "2026-11-25" });
  });

  test("a crash after the Redis half of close is repaired: record CLOSED, accounting queued", async () => {
    await act("ready");
    const d = await day();
    const [, entryId] = (await lastEventId()).split(":");
    await dayClose(
      t.deps.redis,
      { day: t.deps.keys.day(store.storeId), stream: streamOf(d.id) },
      { dayId: d.id, seenEntry: entryId!, data: "{}" },
    );
    expect((await record(d.id))?.state).toBe("READY");
    expect(await day()).toBeNull();
    const row = (await record(d.id))!;
    expect(row.state).toBe("CLOSED");
    expect(row.closedAt).toBeGreaterThan(0);
    expect(await t.deps.queues.accounting.getJob(d.id)).toBeDefined();
  });
});

describe("close", () => {
  async function toClosing() {
    await act("ready");
    await act("open");
    await act("closing");
  }

  test("refuses before CLOSING (invalid_transition first, even with a stale id)", async () => {
    await act("ready");
    await act("open");
    const res = await act("close", { lastEventId: "x:1-0" });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "invalid_transition", state: "OPEN" });
  });

  test("client_behind counts the entries the client has not seen", async () => {
    await act("ready");
    const d = await day();
    const [first] = await t.deps.redis.xrange(streamOf(d.id), "-", "+");
    await act("open");
    await act("break");
    await act("closing");
    const res = await act("close", { lastEventId: `${d.id}:${first![0]}` });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "client_behind", missed: 3 });
    const foreign = await act("close", { lastEventId: `${newId()}:1-0` });
    expect(await foreign.json()).toMatchObject({ error: "client_behind", missed: 4 });
    expect((await day()).state).toBe("CLOSING");
  });

  test("a missing or malformed lastEventId is 400 and never closes", async () => {
    await toClosing();
    expect((await act("close", {})).status).toBe(400);
    expect((await act("close", { lastEventId: "garbage" })).status).toBe(400);
    const d = await day();
    expect((await act("close", { lastEventId: `${d.id}:99999999999999-0` })).status).toBe(400);
    expect((await day()).state).toBe("CLOSING");
  });

  test("orders_open lists the pickup numbers of unfinished orders", async () => {
    await toClosing();
    const d = await day();
    const insertOrder = async (status: "PAID" | "READY" | "PICKED_UP", pickupNumber: number) =>
      await t.deps.db.insert(orders).values({
        id: newId(),
        storeId: store.storeId,
        dayId: d.id,
        botUserKey: "u1",
        status,
        pickupNumber,
        totalAmount: 4500,
        itemSummary: "아메리카노",
      });
    await insertOrder("READY", 2);
    await insertOrder("PAID", 3);
    await insertOrder("PICKED_UP", 1);
    const res = await act("close", { lastEventId: await lastEventId() });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "orders_open", pickupNumbers: [2, 3] });
  });

  test("success: 202 with the accounting job id, feed ends with closed, a repeat answers the same", async () => {
    await toClosing();
    const d = await day();
    const seen = await lastEventId();
    const ctrl = new AbortController();
    const feed = new SseReader(
      await t.app.request(`/store/events?lastEventId=${encodeURIComponent(seen)}`, {
        headers: { cookie },
        signal: ctrl.signal,
      }),
    );
    const res = await act("close", { lastEventId: seen });
    expect(res.status).toBe(202);
    const { accountingJobId } = await res.json();
    expect(accountingJobId).toBe(d.id);
    const job = await t.deps.queues.accounting.getJob(accountingJobId);
    expect(job?.data).toEqual({ storeId: store.storeId, dayId: d.id });
    await feed.until((r) => r.events.length >= 1);
    expect(feed.types()).toEqual(["closed"]);
    ctrl.abort();
    expect(await day()).toBeNull();
    expect(await t.deps.redis.exists(t.deps.keys.day(store.storeId))).toBe(0);
    expect(await record(d.id)).toMatchObject({ state: "CLOSED", accountingJobId: d.id });
    const again = await act("close", { lastEventId: seen });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accountingJobId });
  });

  test("READY closes directly when the day has no order; then ready starts a new day", async () => {
    await act("ready");
    const first = await day();
    expect((await act("close", { lastEventId: await lastEventId() })).status).toBe(202);
    expect((await act("ready")).status).toBe(204);
    const second = await day();
    expect(second.id).not.toBe(first.id);
    expect(second.state).toBe("READY");
  });
});
