import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Cluster } from "ioredis";
import { keySlot, scanKeys } from "../../src/infra/redisClient.ts";
import { liveStoreIds } from "../../src/store/day/dayRecord.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { startRedisCluster, type TestCluster } from "../helpers/redisCluster.ts";
import { openShop } from "../helpers/shop.ts";
import { makeTestDeps, post } from "../helpers/testDeps.ts";
import { closeAndReport, openStoreWithFeed, paidIds, payThroughSkills } from "./clusterDay.ts";

const emu = startTestEmulator();
let cluster: TestCluster;
let t: ReturnType<typeof makeTestDeps>;

beforeAll(async () => {
  cluster = await startRedisCluster();
  t = makeTestDeps({ env: emu.env, workers: true, cluster });
}, 30_000);
afterAll(async () => {
  await t?.close();
  await cluster?.stop();
  await emu.stop();
});

describe("a store day on a Redis Cluster (3 masters + 3 replicas)", () => {
  test("login, open, paid orders on the feed once each, accept/ready/cancel, close → report", async () => {
    const shop = await openStoreWithFeed(t.app, t.deps);
    const paid = [];
    for (let i = 0; i < 4; i++) paid.push(await payThroughSkills(t.app, emu, shop.itemId));
    for (const p of paid) expect(p.page).toContain("결제가 완료됐어요");
    await shop.feed.until((f) => paidIds(f).length >= 4, 5000, "four paid orders");
    expect(paidIds(shop.feed).sort()).toEqual(paid.map((p) => p.orderId).sort());

    const [a, b, c] = paid;
    expect((await post(t.app, `/store/orders/${a!.orderId}/accept`, shop.cookie)).status).toBe(200);
    expect((await post(t.app, `/store/orders/${a!.orderId}/ready`, shop.cookie)).status).toBe(200);
    expect((await post(t.app, `/store/orders/${b!.orderId}/accept`, shop.cookie)).status).toBe(200);
    const canceled = await post(t.app, `/store/orders/${c!.orderId}/cancel`, shop.cookie, {
      reason: "재료 소진",
    });
    expect(canceled.status).toBe(200);
    expect((await emu.payment(c!.tid)).canceled_amount).toBe(4500);
    await shop.feed.until(
      (f) =>
        ["order.accepted", "order.ready", "order.canceled"].every((e) => f.types().includes(e)),
      5000,
      "the moves",
    );

    // The rest is handed over: a day closes once no order is waiting.
    const handOver = [`${a!.orderId}/pickup`, `${b!.orderId}/ready`, `${b!.orderId}/pickup`];
    handOver.push(
      `${paid[3]!.orderId}/accept`,
      `${paid[3]!.orderId}/ready`,
      `${paid[3]!.orderId}/pickup`,
    );
    for (const step of handOver) {
      expect((await post(t.app, `/store/orders/${step}`, shop.cookie)).status).toBe(200);
    }
    const report = await closeAndReport(t.app, shop.cookie, shop.feed);
    expect(report.orderCount).toBe(4);
    expect(report.netAmount).toBe(3 * 4500);
    // Every key of the day lived on the cluster: the store's slot, BullMQ's tagged prefix.
    expect(t.deps.keys.queuePrefix).toStartWith("{");
  }, 50_000);

  test("the second visit: the same customer-facing flow works on the next day", async () => {
    const shop = await openStoreWithFeed(t.app, t.deps);
    const again = await payThroughSkills(t.app, emu, shop.itemId);
    expect(again.page).toContain("결제가 완료됐어요");
    await shop.feed.until((f) => paidIds(f).includes(again.orderId), 5000, "the paid order");
    expect(paidIds(shop.feed)).toEqual([again.orderId]);
  }, 30_000);

  test("an approval outcome published by another process on the platform reaches this one's waiting page", async () => {
    const other = makeTestDeps({ env: emu.env, cluster, prefix: t.prefix });
    try {
      const heard = t.deps.approvals.next("approve-elsewhere", 10_000);
      // Its subscriber may still be connecting; the publisher needs none.
      await other.deps.approvals.finished("approve-elsewhere", {
        outcome: "paid",
        pickupNumber: 7,
      });
      expect(await heard.promise).toEqual({ outcome: "paid", pickupNumber: 7 });
    } finally {
      await other.close();
    }
  });

  test("our hash slots are Redis's, one store's keys share one slot, and BullMQ's keys share one", async () => {
    const node = t.deps.redis as Cluster;
    const keys = t.deps.keys;
    const store = "01a2b3c4-0000-7000-8000-000000000000";
    const storeKeys = [
      keys.day(store),
      keys.dayStream(store, "d1"),
      keys.control(store),
      keys.order(store, "o1"),
      keys.entryMemo(store, "o1"),
      keys.session(store, "s1"),
      keys.storeSession(store),
      keys.lastDay(store),
      keys.storeLimit(store, "place"),
    ];
    for (const key of [...storeKeys, keys.cart("user-1"), "plain", "{}x", "a{b}c{d}"]) {
      expect(keySlot(key)).toBe(Number(await node.cluster("KEYSLOT", key)));
    }
    expect(new Set(storeKeys.map(keySlot)).size).toBe(1);
    const bull = ["payment", "notify", "accounting", "sweep"].map(
      (q) => `${keys.queuePrefix}:${q}:wait`,
    );
    expect(new Set(bull.map(keySlot)).size).toBe(1);
  });

  test("SCAN finds keys on every master (a cluster has no KEYS over all nodes)", async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `${t.prefix}:scan:{${i}}`);
    for (const key of keys) await t.deps.redis.set(key, "1");
    const masters = (t.deps.redis as Cluster).nodes("master");
    const holding = await Promise.all(masters.map(async (m) => (await m.dbsize()) > 0));
    expect(holding.filter(Boolean).length).toBeGreaterThan(1);
    const found: string[] = [];
    for await (const key of scanKeys(t.deps.redis, `${t.prefix}:scan:*`)) found.push(key);
    expect(found.sort()).toEqual([...keys].sort());
    // And the live days of several stores, whichever master holds them.
    const shops = [await openShop(t.deps), await openShop(t.deps), await openShop(t.deps)];
    const live = await liveStoreIds(t.deps);
    for (const shop of shops) expect(live.has(shop.storeId)).toBe(true);
  });

  test("each store with a feed here has one blocking reader on its slot's master; it goes with the feed", async () => {
    const here = makeTestDeps({ env: emu.env, workers: true, cluster });
    try {
      const hub = here.deps.feeds.hub;
      const a = await openStoreWithFeed(here.app, here.deps);
      const b = await openStoreWithFeed(here.app, here.deps);
      const paid = await payThroughSkills(here.app, emu, b.itemId);
      await b.feed.until((f) => paidIds(f).includes(paid.orderId), 5000, "b's paid order");
      expect(paidIds(a.feed)).toEqual([]);
      expect(hub.laneCount).toBe(2);
      a.feed.abort();
      b.feed.abort();
      const deadline = Date.now() + 5000;
      while (hub.laneCount > 0 && Date.now() < deadline) await Bun.sleep(50);
      expect(hub.laneCount).toBe(0);
    } finally {
      await here.close();
    }
  });
});
