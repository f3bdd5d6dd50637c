import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { startTestEmulator } from "../helpers/emulator.ts";
import { startRedisCluster, type TestCluster } from "../helpers/redisCluster.ts";
import { orders } from "../helpers/tables.ts";
import { makeTestDeps } from "../helpers/testDeps.ts";
import {
  approvalPage,
  approveAtKakaoPay,
  openStoreWithFeed,
  paidIds,
  payThroughSkills,
  placeThroughSkills,
} from "./clusterDay.ts";

const emu = startTestEmulator();
let cluster: TestCluster;
let t: ReturnType<typeof makeTestDeps>;

beforeAll(async () => {
  cluster = await startRedisCluster();
  t = makeTestDeps({ env: emu.env, workers: true, cluster });
}, 30_000);
afterAll(async () => {
  // The last test leaves no cluster: running jobs are not waited for.
  await t?.close(1000);
  await cluster?.stop();
  await emu.stop();
}, 30_000);

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await Bun.sleep(100);
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

const statusOf = async (orderId: string) =>
  (await t.deps.db.select().from(orders).where(eq(orders.id, orderId)))[0]?.status;

describe("a cluster master dies mid-day", () => {
  test("its replica takes over: ordering resumes, the held feed resumes, no paid order is lost or doubled", async () => {
    const shop = await openStoreWithFeed(t.app, t.deps);
    const paid = [await payThroughSkills(t.app, emu, shop.itemId)];
    paid.push(await payThroughSkills(t.app, emu, shop.itemId));
    await shop.feed.until((f) => paidIds(f).length === 2, 5000, "two paid orders");

    // Two customers are at KakaoPay's page when the master of the store's slot dies.
    const waiting = [
      await placeThroughSkills(t.app, shop.itemId),
      await placeThroughSkills(t.app, shop.itemId),
    ];
    let failingOver = true;
    const failover = cluster
      .killMasterOf(t.deps.keys.day(shop.storeId))
      .finally(() => (failingOver = false));
    // The counter screen keeps asking meanwhile: answered or told to retry, never logged out.
    const screen = (async () => {
      const seen = new Set<number | string>();
      while (failingOver) {
        const res = await t.app.request("/store/day", { headers: { cookie: shop.cookie } });
        // Anything else is kept with its body, to tell a logged-out screen from another fault.
        if (res.status === 200 || res.status === 503) seen.add(res.status);
        else seen.add(`${res.status} ${await res.text()}`);
        await Bun.sleep(50);
      }
      return seen;
    })();
    await Bun.sleep(300);
    // They approve while the slot has no master: their page answers (paid, or still processing).
    const approved = await Promise.all(
      waiting.map(async (w) => {
        const back = await approveAtKakaoPay(emu, w.tid);
        await approvalPage(t.app, back.path).catch(() => "");
        return { ...w, ...back };
      }),
    );
    const { killed, promoted } = await failover;
    const statuses = [...(await screen)];
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(promoted).not.toBe(killed);
    await until(async () => (await t.app.request("/healthz")).status === 200, 10_000, "healthy");
    // Back on the page after the takeover (a reload): every one of them is paid.
    for (const a of approved) {
      await until(
        async () => (await approvalPage(t.app, a.path)).includes("결제가 완료됐어요"),
        15_000,
        "the reloaded approval page says paid",
      );
      paid.push({ ...a, page: "" });
    }

    // The next customers, right after the promotion: paid, on the same feed, once each.
    for (let i = 0; i < 3; i++) paid.push(await payThroughSkills(t.app, emu, shop.itemId));
    expect(paid).toHaveLength(7);
    await until(
      async () =>
        (await Promise.all(paid.map((p) => statusOf(p.orderId)))).every((s) => s === "PAID"),
      20_000,
      "all PAID",
    );
    await shop.feed.until(
      (f) => paid.every((p) => paidIds(f).includes(p.orderId)),
      15_000,
      "every paid order on the held feed",
    );
    const ids = paidIds(shop.feed);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of paid) {
      expect((await emu.payment(p.tid)).capture_count).toBe(1);
    }
    // The day's list (Redis state + SQLite) shows each of them.
    const list = await t.app.request("/store/orders?status=PAID", {
      headers: { cookie: shop.cookie },
    });
    const listed = ((await list.json()) as { orders: { id: string }[] }).orders.map((o) => o.id);
    for (const p of paid) expect(listed).toContain(p.orderId);
  }, 55_000);

  test("the whole cluster lost: /healthz 503, requests answer a clear 503 within 5 s", async () => {
    const shop = await openStoreWithFeed(t.app, t.deps);
    shop.feed.abort();
    await cluster.killAll();
    const health = await t.app.request("/healthz");
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, redis: false });
    const started = performance.now();
    const res = await t.app.request("/store/day", { headers: { cookie: shop.cookie } });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: "unavailable" });
  }, 30_000);
});
