import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { healWhenRedisRestarts } from "../../src/recovery/redisRestart.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { startRedisCluster, type TestCluster } from "../helpers/redisCluster.ts";
import { makeTestDeps } from "../helpers/testDeps.ts";
import { openFeed, openStoreWithFeed, paidIds, payThroughSkills } from "./clusterDay.ts";

const emu = startTestEmulator();
let cluster: TestCluster;
let t: ReturnType<typeof makeTestDeps>;
let stopWatching = () => {};

beforeAll(async () => {
  cluster = await startRedisCluster();
  t = makeTestDeps({ env: emu.env, workers: true, cluster });
  // As the server does at start (src/server.ts).
  stopWatching = await healWhenRedisRestarts(t.deps);
}, 30_000);
afterAll(async () => {
  stopWatching();
  // A job caught by the failover is not waited for (as in failover.test.ts): the cluster goes next.
  await t?.close(1000);
  await cluster?.stop();
  await emu.stop();
});

type Feed = Awaited<ReturnType<typeof openFeed>>;

/**
 * A counter screen opening its feed now, as EventSource does: a 503 right after the failover is
 * retried; a 401 (logged out) fails the test. Returns the paid orders it is shown.
 */
async function freshFeedPaid(cookie: string, expected: string[]) {
  let shown: string[] = [];
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const probe = await t.app.request("/store/day", { headers: { cookie } });
    expect(probe.status).not.toBe(401);
    if (probe.status !== 200) {
      await Bun.sleep(200);
      continue;
    }
    const feed: Feed = await openFeed(t.app, cookie);
    await feed
      .until((f) => expected.every((id) => paidIds(f).includes(id)), 1000, "paid")
      .catch(() => {});
    feed.abort();
    shown = paidIds(feed);
    if (expected.every((id) => shown.includes(id))) break;
  }
  return shown;
}

describe("a failover loses the master's last writes (asynchronous replication)", () => {
  test("the paid order the promoted replica never got is healed back: on the feed once, listed, its number not reused", async () => {
    const shop = await openStoreWithFeed(t.app, t.deps);
    const first = await payThroughSkills(t.app, emu, shop.itemId);
    await shop.feed.until((f) => paidIds(f).includes(first.orderId), 5000, "first paid");
    shop.feed.abort();

    // The replica stops replicating; an order is paid on the master alone, then the master dies.
    const resume = await cluster.pauseReplicaOf(t.deps.keys.day(shop.storeId));
    const lost = await payThroughSkills(t.app, emu, shop.itemId);
    expect(lost.page).toContain("결제가 완료됐어요");
    await cluster.killMasterOf(t.deps.keys.day(shop.storeId), resume);

    // Healed after the failover: a counter screen opening now sees both orders, once each.
    const shown = await freshFeedPaid(shop.cookie, [first.orderId, lost.orderId]);
    expect(shown.filter((id) => id === lost.orderId)).toHaveLength(1);
    expect(shown.filter((id) => id === first.orderId)).toHaveLength(1);

    // The next customer does not get the lost order's pickup number.
    const next = await payThroughSkills(t.app, emu, shop.itemId);
    expect(next.page).toContain("결제가 완료됐어요");
    const list = await t.app.request("/store/orders?status=PAID", {
      headers: { cookie: shop.cookie },
    });
    const listed = ((await list.json()) as { orders: { id: string; pickupNumber: number }[] })
      .orders;
    const ids = listed.map((o) => o.id);
    for (const p of [first, lost, next]) expect(ids).toContain(p.orderId);
    const numbers = listed.map((o) => o.pickupNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
  }, 55_000);
});
