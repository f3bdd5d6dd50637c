import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { sweepUnpaidOrders } from "../../src/accounting/sweep.ts";
import { manualClock } from "../../src/infra/clock.ts";
import { addToCart } from "../../src/ordering/cart.ts";
import { paymentOf } from "../../src/ordering/pendingOrder.ts";
import { placeOrder } from "../../src/ordering/placeOrder.ts";
import { moveDay } from "../../src/store/day/dayBusiness.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { openShop } from "../helpers/shop.ts";
import { orders } from "../helpers/tables.ts";
import { testDb } from "../helpers/testDb.ts";
import { makeTestDeps } from "../helpers/testDeps.ts";

const emu = startTestEmulator();
const clock = manualClock();
const t = makeTestDeps({ db: await testDb(), env: emu.env, clock, workers: true });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

let storeId = "";
let itemId = "";
beforeAll(async () => {
  const shop = await openShop(t.deps);
  storeId = shop.storeId;
  itemId = shop.itemIds[0]!;
});

let n = 0;
async function unpaid(opts: { captured?: boolean } = {}) {
  const botUserKey = `sweep-${++n}`;
  await addToCart(t.deps, botUserKey, { itemId, qty: 1, options: {} });
  const placed = await placeOrder(t.deps, { botUserKey, customerName: "손님" });
  if (placed.kind !== "ready") throw new Error(placed.kind);
  const tid = (await paymentOf(t.deps, placed.order.id))!.tid!;
  if (opts.captured) {
    const pgToken = new URL(await emu.customerApproves(tid)).searchParams.get("pg_token")!;
    await t.deps.kakaopay.approve({
      tid,
      partnerOrderId: placed.order.id,
      partnerUserId: botUserKey,
      pgToken,
    });
  }
  return { order: placed.order, tid };
}
const row = async (id: string) =>
  (await t.deps.db.select().from(orders).where(eq(orders.id, id)))[0]!;
async function paidEntries(orderId: string) {
  const dayId = await t.deps.redis.hget(t.deps.keys.day(storeId), "dayId");
  const all = await t.deps.redis.xrange(t.deps.keys.dayStream(storeId, dayId!), "-", "+");
  return all.filter(([, f]) => f[1] === "order.paid" && JSON.parse(f[3]!).orderId === orderId);
}

describe("order sweep", () => {
  test("runs every minute as a BullMQ job scheduler", async () => {
    const deadline = Date.now() + 5000;
    let schedulers = await t.deps.queues.sweep.getJobSchedulers();
    while (schedulers.length === 0 && Date.now() < deadline) {
      await Bun.sleep(50);
      schedulers = await t.deps.queues.sweep.getJobSchedulers();
    }
    expect(schedulers).toMatchObject([{ key: "order-sweep", every: 60_000 }]);
  });

  test("an order unpaid for 14 minutes stays; at 16 minutes it EXPIRES", async () => {
    const { order } = await unpaid();
    clock.advance(14 * 60_000);
    await sweepUnpaidOrders(t.deps);
    expect((await row(order.id)).status).toBe("PENDING_PAYMENT");
    clock.advance(2 * 60_000);
    const result = await sweepUnpaidOrders(t.deps);
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(await row(order.id)).toMatchObject({
      status: "EXPIRED",
      failureReason: "not_paid_in_time",
    });
  });

  test("captured at KakaoPay but never completed, day OPEN → PAID with one stream entry", async () => {
    const { order, tid } = await unpaid({ captured: true });
    clock.advance(16 * 60_000);
    await sweepUnpaidOrders(t.deps);
    expect((await row(order.id)).status).toBe("PAID");
    expect(await paidEntries(order.id)).toHaveLength(1);
    await sweepUnpaidOrders(t.deps);
    expect(await paidEntries(order.id)).toHaveLength(1);
    expect((await emu.payment(tid)).capture_count).toBe(1);
  });

  test("captured but the day is no longer OPEN → refunded", async () => {
    const { order, tid } = await unpaid({ captured: true });
    await moveDay(t.deps, storeId, "break");
    try {
      clock.advance(16 * 60_000);
      await sweepUnpaidOrders(t.deps);
      expect(await row(order.id)).toMatchObject({
        status: "EXPIRED",
        failureReason: "day_not_open_refunded",
      });
      expect(await emu.payment(tid)).toMatchObject({
        status: "CANCEL_PAYMENT",
        canceled_amount: 4500,
      });
      expect(await paidEntries(order.id)).toHaveLength(0);
    } finally {
      await moveDay(t.deps, storeId, "reopen");
    }
  });
});
