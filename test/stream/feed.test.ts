import { afterAll, describe, expect, test } from "bun:test";
import { newId, newSecret } from "../../src/infra/ids.ts";
import { readyDay } from "../../src/store/day/dayBusiness.ts";
import { SseReader } from "../helpers/sse.ts";
import { login, makeTestDeps, newRedis, post, seedStore } from "../helpers/testDeps.ts";

const t = makeTestDeps({ heartbeatMs: 60 });
const feeds: AbortController[] = [];
afterAll(async () => {
  for (const f of feeds) f.abort();
  await t.close();
});

async function openFeed(cookie: string, opts: { lastEventId?: string; query?: string } = {}) {
  const ctrl = new AbortController();
  feeds.push(ctrl);
  const headers: Record<string, string> = { cookie };
  if (opts.lastEventId) headers["last-event-id"] = opts.lastEventId;
  const path = opts.query
    ? `/store/events?lastEventId=${encodeURIComponent(opts.query)}`
    : "/store/events";
  const res = await t.app.request(path, { headers, signal: ctrl.signal });
  return Object.assign(new SseReader(res), { abort: () => ctrl.abort() });
}

let addr = 0;
async function loggedInStore() {
  const store = await seedStore(t.deps);
  const { cookie } = await login(t.app, store, { addr: `10.4.0.${++addr}` });
  return { store, cookie };
}

const currentDay = async (cookie: string) =>
  (await (await t.app.request("/store/day", { headers: { cookie } })).json()).day;

/** A day of exactly `n` entries through the real routes: ready, open, then break/reopen. */
async function dayWithEntries(cookie: string, n: number) {
  expect((await post(t.app, "/store/day/ready", cookie)).status).toBe(204);
  expect((await post(t.app, "/store/day/open", cookie)).status).toBe(204);
  for (let i = 2; i < n; i++) {
    const move = i % 2 === 0 ? "break" : "reopen";
    expect((await post(t.app, `/store/day/${move}`, cookie)).status).toBe(204);
  }
}

describe("live feed", () => {
  test("SSE headers: event-stream, no buffering by proxies", async () => {
    const { cookie } = await loggedInStore();
    const feed = await openFeed(cookie);
    expect(feed.res.headers.get("content-type")).toStartWith("text/event-stream");
    expect(feed.res.headers.get("x-accel-buffering")).toBe("no");
    feed.abort();
  });

  test("before ready the feed stays open and starts with the day; ids are dayId:entryId", async () => {
    const { cookie } = await loggedInStore();
    const feed = await openFeed(cookie);
    await Bun.sleep(50);
    expect(feed.events).toHaveLength(0);
    await post(t.app, "/store/day/ready", cookie);
    await post(t.app, "/store/day/open", cookie);
    await feed.until((r) => r.events.length >= 2, 3000, "ready+open");
    const day = await currentDay(cookie);
    expect(feed.types()).toEqual(["ready", "state"]);
    expect(JSON.parse(feed.events[1]!.data)).toMatchObject({ state: "OPEN" });
    for (const e of feed.events) expect(e.id).toMatch(new RegExp(`^${day.id}:\\d+-\\d+$`));
    feed.abort();
  });

  test("no id: the whole current day from its start", async () => {
    const { cookie } = await loggedInStore();
    await dayWithEntries(cookie, 5);
    const feed = await openFeed(cookie);
    await feed.until((r) => r.events.length >= 5);
    expect(feed.types()).toEqual(["ready", "state", "state", "state", "state"]);
    feed.abort();
  });

  test("resume from every entry of a 200-entry day gets exactly the rest, in order", async () => {
    const { cookie } = await loggedInStore();
    await dayWithEntries(cookie, 200);
    const full = await openFeed(cookie);
    await full.until((r) => r.events.length >= 200, 10_000, "200 entries");
    full.abort();
    const ids = full.events.map((e) => e.id!);
    expect(new Set(ids).size).toBe(200);
    for (let i = 0; i < ids.length; i++) {
      // Alternate the header and the query form.
      const feed = await openFeed(cookie, i % 2 ? { lastEventId: ids[i] } : { query: ids[i] });
      const rest = ids.slice(i + 1);
      // The backlog is written before any heartbeat, so a heartbeat means it is complete.
      await feed.until(
        (r) => r.events.length >= rest.length && r.comments.length > 0,
        5000,
        `rest after ${i}`,
      );
      expect(feed.events.map((e) => e.id)).toEqual(rest);
      feed.abort();
    }
  }, 60_000);

  test("entries appended while the backlog is read arrive once, in order (the seam)", async () => {
    const { cookie } = await loggedInStore();
    await dayWithEntries(cookie, 50);
    const moves = (async () => {
      let ok = 0;
      for (let i = 0; i < 20; i++) {
        const res = await post(t.app, `/store/day/${i % 2 === 0 ? "break" : "reopen"}`, cookie);
        if (res.status === 204) ok++;
      }
      return ok;
    })();
    const feed = await openFeed(cookie);
    const done = await moves;
    expect(done).toBe(20);
    await feed.until((r) => r.events.length >= 70 && r.comments.length > 0, 5000, "70 entries");
    await Bun.sleep(200);
    const ids = feed.events.map((e) => e.id!);
    expect(ids).toHaveLength(70);
    expect(new Set(ids).size).toBe(70);
    const sorted = [...ids].sort((a, b) => {
      const [am, as] = a.split(":")[1]!.split("-").map(Number);
      const [bm, bs] = b.split(":")[1]!.split("-").map(Number);
      return am! - bm! || as! - bs!;
    });
    expect(ids).toEqual(sorted);
    feed.abort();
  });

  test("an id of another day, or one the stream does not hold, gets reset then the whole day", async () => {
    const { cookie } = await loggedInStore();
    await dayWithEntries(cookie, 3);
    const day = await currentDay(cookie);
    for (const stale of [`${newId()}:1-0`, `${day.id}:1-0`, "garbage"]) {
      const feed = await openFeed(cookie, { lastEventId: stale });
      await feed.until((r) => r.events.length >= 4, 3000, `reset for ${stale}`);
      expect(feed.types()).toEqual(["reset", "ready", "state", "state"]);
      expect(JSON.parse(feed.events[0]!.data)).toEqual({ dayId: day.id });
      feed.abort();
    }
  });

  test("the newest feed of a session wins; the older one gets replaced and ends", async () => {
    const { cookie } = await loggedInStore();
    const older = await openFeed(cookie);
    await Bun.sleep(30);
    const newer = await openFeed(cookie);
    await older.until((r) => r.done, 3000, "older feed to end");
    expect(older.types()).toEqual(["replaced"]);
    expect(older.events[0]!.data).toBe("{}");
    await post(t.app, "/store/day/ready", cookie);
    await newer.until((r) => r.events.length >= 1);
    expect(newer.types()).toEqual(["ready"]);
    newer.abort();
  });

  test("logout ends the feed", async () => {
    const { cookie } = await loggedInStore();
    const feed = await openFeed(cookie);
    await Bun.sleep(30);
    await t.app.request("/store/auth/logout", { method: "POST", headers: { cookie } });
    await feed.until((r) => r.done, 3000, "feed to end");
  });

  test("a heartbeat comment arrives while nothing happens", async () => {
    const { cookie } = await loggedInStore();
    const feed = await openFeed(cookie);
    await feed.until((r) => r.comments.length >= 2, 2000, "heartbeats");
    expect(feed.comments[0]).toBe(": hb");
    feed.abort();
  });

  test("after close and a new ready the same feed goes on with the new day", async () => {
    const { cookie } = await loggedInStore();
    const feed = await openFeed(cookie);
    await post(t.app, "/store/day/ready", cookie);
    await feed.until((r) => r.events.length >= 1);
    await post(t.app, "/store/day/close", cookie, { lastEventId: feed.events[0]!.id });
    await post(t.app, "/store/day/ready", cookie);
    await feed.until((r) => r.events.length >= 3);
    expect(feed.types()).toEqual(["ready", "closed", "ready"]);
    const [d1, d2] = [feed.events[0]!.id!.split(":")[0], feed.events[2]!.id!.split(":")[0]];
    expect(d1).not.toBe(d2);
    feed.abort();
  });

  test("1,000 feeds of 100 stores in one process share one blocking Redis connection", async () => {
    const admin = newRedis();
    const clients = async () => ((await admin.client("LIST")) as string).trim().split("\n");
    const before = (await clients()).length;
    const stores = await Promise.all(Array.from({ length: 100 }, () => seedStore(t.deps)));
    const opened: ReturnType<typeof openFeed>[] = [];
    for (const store of stores) {
      // Ten sessions per store, written as login writes them: the rule is one session per store,
      // but this test only needs many feeds, and each login costs an Argon2 hash.
      const device = await t.deps.db.query.devices.findFirst({
        where: (d, { eq }) => eq(d.storeId, store.storeId),
      });
      for (let i = 0; i < 10; i++) {
        const sid = newSecret();
        await t.deps.redis.hset(t.deps.keys.session(store.storeId, sid), "deviceId", device!.id);
        opened.push(openFeed(`so_session=${store.storeId}.${sid}`));
      }
    }
    const all = await Promise.all(opened);
    await Bun.sleep(300);
    expect(t.deps.feeds.size).toBeGreaterThanOrEqual(1000);
    // No connection was added for 1,000 feeds (the admin client itself is the +1).
    expect((await clients()).length).toBeLessThanOrEqual(before + 1);
    const ours = (await clients()).filter((l) => l.includes(`name=${t.prefix}-`));
    const blocking = ours.filter((l) => l.includes("cmd=xread"));
    expect(blocking).toHaveLength(1);
    expect(blocking[0]).toContain(`name=${t.prefix}-hub-reader`);
    // Every feed receives its own store's day, and only that.
    await Promise.all(stores.map((s) => readyDay(t.deps, s.storeId)));
    await Promise.all(all.map((f) => f.until((r) => r.events.length >= 1, 10_000)));
    await Bun.sleep(100);
    for (const f of all) expect(f.types()).toEqual(["ready"]);
    for (const f of all) f.abort();
    admin.disconnect();
  }, 60_000);
});

describe("a counter that stops reading", () => {
  test("is dropped once more than 1 MB waits for it (it resumes by Last-Event-ID, tested above)", async () => {
    const { store, cookie } = await loggedInStore();
    await post(t.app, "/store/day/ready", cookie);
    const ctrl = new AbortController();
    feeds.push(ctrl);
    // Opened and never read.
    await t.app.request("/store/events", { headers: { cookie }, signal: ctrl.signal });
    await Bun.sleep(50);
    const before = t.deps.feeds.size;
    const day = await currentDay(cookie);
    const key = t.deps.keys.dayStream(store.storeId, day.id);
    const pipe = t.deps.redis.pipeline();
    const filler = JSON.stringify({ note: "x".repeat(2000) });
    for (let i = 0; i < 700; i++) pipe.xadd(key, "*", "type", "state", "data", filler);
    await pipe.exec();
    const deadline = Date.now() + 5000;
    while (t.deps.feeds.size >= before && Date.now() < deadline) await Bun.sleep(20);
    expect(t.deps.feeds.size).toBe(before - 1);
  });
});
