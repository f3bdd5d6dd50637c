import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { runAccounting } from "../../src/accounting/accounting.ts";
import { addToCart } from "../../src/ordering/cart.ts";
import { paymentOf } from "../../src/ordering/pendingOrder.ts";
import { placeOrder } from "../../src/ordering/placeOrder.ts";
import { moveDay, readyDay } from "../../src/store/day/dayBusiness.ts";
import { addMenuItems } from "../../src/store/menu/menu.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { paidOrder } from "../helpers/orders.ts";
import { orders, payments, settlements } from "../helpers/tables.ts";
import { databaseEnv, testDb } from "../helpers/testDb.ts";
import { login, makeTestDeps, post, redisUrl, seedStore } from "../helpers/testDeps.ts";

const emu = startTestEmulator();
const t = makeTestDeps({ db: await testDb(), env: emu.env });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

type Menu = { latte: string; cookie: string };
async function openStore(addr: string) {
  const store = await seedStore(t.deps);
  const [latte, cookie] = await addMenuItems(t.deps.db, store.storeId, [
    { name: "카페라떼", price: 5000, category: "커피", soldOut: false, optionGroups: [] },
    { name: "쿠키", price: 3000, category: "디저트", soldOut: false, optionGroups: [] },
  ]);
  const session = (await login(t.app, store, { addr })).cookie;
  await readyDay(t.deps, store.storeId);
  await moveDay(t.deps, store.storeId, "open");
  return { store, session, menu: { latte: latte!.itemId, cookie: cookie!.itemId } as Menu };
}

/** A customer approves at KakaoPay, KakaoPay captures, and the approval never reaches us. */
async function lostApproval(itemId: string) {
  const botUserKey = `lost-${Date.now()}-${Math.random()}`;
  await addToCart(t.deps, botUserKey, { itemId, qty: 1, options: {} });
  const placed = await placeOrder(t.deps, { botUserKey, customerName: "손님" });
  if (placed.kind !== "ready") throw new Error(placed.kind);
  const tid = (await paymentOf(t.deps, placed.order.id))!.tid!;
  const pgToken = new URL(await emu.customerApproves(tid)).searchParams.get("pg_token")!;
  await t.deps.kakaopay.approve({
    tid,
    partnerOrderId: placed.order.id,
    partnerUserId: botUserKey,
    pgToken,
  });
  return { order: placed.order, tid };
}

async function closeDay(storeId: string, session: string) {
  await moveDay(t.deps, storeId, "closing");
  const dayId = (await t.deps.redis.hget(t.deps.keys.day(storeId), "dayId"))!;
  const last = (await t.deps.redis.hget(t.deps.keys.day(storeId), "lastEntryId"))!;
  const res = await post(t.app, "/store/day/close", session, { lastEventId: `${dayId}:${last}` });
  expect(res.status).toBe(202);
  return dayId;
}

describe("accounting of a day built through the real flow", () => {
  let s: Awaited<ReturnType<typeof openStore>>;
  let dayId = "";
  let lost: Awaited<ReturnType<typeof lostApproval>>;
  let canceledButCaptured: Awaited<ReturnType<typeof paidOrder>>;
  let canceled: Awaited<ReturnType<typeof paidOrder>>;
  const sold: number[] = [];

  beforeAll(async () => {
    s = await openStore("10.9.0.1");
    for (const [item, qty] of [
      [s.menu.latte, 2],
      [s.menu.cookie, 1],
      [s.menu.latte, 1],
    ] as const) {
      const { order } = await paidOrder(t.deps, emu, item, { qty });
      sold.push(order.totalAmount);
      await post(t.app, `/store/orders/${order.id}/ready`, s.session);
      await post(t.app, `/store/orders/${order.id}/pickup`, s.session);
    }
    canceled = await paidOrder(t.deps, emu, s.menu.cookie, { qty: 2 });
    expect(
      (
        await post(t.app, `/store/orders/${canceled.order.id}/cancel`, s.session, {
          reason: "품절",
        })
      ).status,
    ).toBe(200);
    // Canceled on our side, but the refund never happened at KakaoPay (e.g. a lost call).
    canceledButCaptured = await paidOrder(t.deps, emu, s.menu.latte);
    await t.deps.db
      .update(orders)
      .set({ status: "CANCELED", canceledAt: Date.now() })
      .where(eq(orders.id, canceledButCaptured.order.id));
    await t.deps.redis.hset(
      t.deps.keys.order(s.store.storeId, canceledButCaptured.order.id),
      "status",
      "CANCELED",
    );
    lost = await lostApproval(s.menu.latte);
    dayId = await closeDay(s.store.storeId, s.session);
  });

  test("close expired the unpaid order; the day record is CLOSED", async () => {
    expect(
      (await t.deps.db.select().from(orders).where(eq(orders.id, lost.order.id)))[0]?.status,
    ).toBe("EXPIRED");
  });

  test("reconciles, refunds what is provably wrong, reports totals equal to the orders", async () => {
    const progress: { phase: string; done: number; total: number }[] = [];
    const report = await runAccounting(t.deps, { storeId: s.store.storeId, dayId }, (p) => {
      progress.push(p);
    });
    const soldTotal = sold.reduce((a, b) => a + b, 0);
    expect(report.orderCount).toBe(5);
    expect(report.canceledCount).toBe(2);
    // gross = every captured total: 3 sold + 2 canceled + the stray capture (5,000).
    expect(report.grossAmount).toBe(soldTotal + 6000 + 5000 + 5000);
    expect(report.refundAmount).toBe(6000 + 5000 + 5000);
    expect(report.netAmount).toBe(soldTotal);
    expect(report.byItem).toEqual([
      { name: "카페라떼", qty: 3, amount: 15000 },
      { name: "쿠키", qty: 1, amount: 3000 },
    ]);
    expect(report.byHour.reduce((a, h) => a + h.amount, 0)).toBe(soldTotal);
    expect(report.averageTicket).toBe(Math.round(soldTotal / 3));
    const kinds = report.findings.map((f) => [f.orderId, f.kind]);
    expect(kinds).toContainEqual([lost.order.id, "captured_without_order"]);
    expect(kinds).toContainEqual([canceledButCaptured.order.id, "canceled_but_captured"]);
    expect(await emu.payment(lost.tid)).toMatchObject({
      status: "CANCEL_PAYMENT",
      canceled_amount: 5000,
    });
    expect(await emu.payment(canceledButCaptured.tid)).toMatchObject({ status: "CANCEL_PAYMENT" });
    expect(progress.at(-1)).toMatchObject({ phase: "cleanup", done: 6, total: 6 });
    // Every order with a payment was asked (the default); the 3 sold ones also agree
    // everywhere with KakaoPay's recorded approval.
    expect(report.kakaoPay).toEqual({ asked: 6, approvalRecorded: 3 });
    const settlement = (
      await t.deps.db.select().from(settlements).where(eq(settlements.dayId, dayId))
    )[0];
    expect(settlement).toMatchObject({ netAmount: soldTotal, status: "PENDING" });
  });

  test("the stream, the memos and the live keys are gone afterwards", async () => {
    expect(await t.deps.redis.exists(t.deps.keys.dayStream(s.store.storeId, dayId))).toBe(0);
    expect(
      await t.deps.redis.exists(t.deps.keys.entryMemo(s.store.storeId, canceled.order.id)),
    ).toBe(0);
    expect(await t.deps.redis.exists(t.deps.keys.order(s.store.storeId, canceled.order.id))).toBe(
      0,
    );
    expect(await t.deps.redis.exists(t.deps.keys.lastDay(s.store.storeId))).toBe(0);
  });

  test("a re-run gives the same report and refunds nothing twice", async () => {
    const first = await (
      await t.app.request(`/store/days/${dayId}/report`, { headers: { cookie: s.session } })
    ).json();
    const before = await emu.payment(lost.tid);
    const again = await runAccounting(t.deps, { storeId: s.store.storeId, dayId });
    expect(again).toEqual(first);
    expect(await emu.payment(lost.tid)).toEqual(before);
  });

  test("the report routes: past days, a day's report; another store's day is 404", async () => {
    const days = await (
      await t.app.request("/store/days", { headers: { cookie: s.session } })
    ).json();
    expect(days.days[0]).toMatchObject({ id: dayId, state: "CLOSED", reportReady: true });
    const other = await openStore("10.9.0.2");
    const res = await t.app.request(`/store/days/${dayId}/report`, {
      headers: { cookie: other.session },
    });
    expect(res.status).toBe(404);
    const open = await t.app.request(`/store/days/nope/report`, { headers: { cookie: s.session } });
    expect(open.status).toBe(404);
  });
});

describe("a paid order KakaoPay no longer holds", () => {
  /** KakaoPay refunds the payment on its own side (the merchant's admin page, say): we never hear. */
  async function refundedAtKakaoPay(paid: Awaited<ReturnType<typeof paidOrder>>) {
    await t.deps.kakaopay.cancel({
      tid: paid.tid,
      cancelAmount: paid.order.totalAmount,
      cancelAvailableAmount: paid.order.totalAmount,
    });
  }

  test("is found even when SQLite, the stream and the recorded approval all agree (the default asks every order)", async () => {
    const s = await openStore("10.9.3.2");
    const fine = await paidOrder(t.deps, emu, s.menu.latte);
    const refunded = await paidOrder(t.deps, emu, s.menu.cookie);
    for (const { order } of [fine, refunded]) {
      await post(t.app, `/store/orders/${order.id}/ready`, s.session);
      await post(t.app, `/store/orders/${order.id}/pickup`, s.session);
    }
    await refundedAtKakaoPay(refunded);
    const dayId = await closeDay(s.store.storeId, s.session);
    const report = await runAccounting(t.deps, { storeId: s.store.storeId, dayId });
    expect(report.findings.map((f) => [f.orderId, f.kind])).toEqual([
      [refunded.order.id, "paid_not_captured"],
    ]);
    expect(report.kakaoPay).toEqual({ asked: 2, approvalRecorded: 2 });
  });

  test("in-question mode: found when the day stream lacks it or its approval is not recorded; a re-run reports the same", async () => {
    const deps = {
      ...t.deps,
      config: { ...t.deps.config, accountingAskKakaoPay: "in-question" as const },
    };
    const s = await openStore("10.9.3.1");
    const fine = await paidOrder(t.deps, emu, s.menu.latte);
    const notInStream = await paidOrder(t.deps, emu, s.menu.latte);
    const notRecorded = await paidOrder(t.deps, emu, s.menu.cookie);
    const wrongAmount = await paidOrder(t.deps, emu, s.menu.cookie);
    for (const { order } of [fine, notInStream, notRecorded, wrongAmount]) {
      await post(t.app, `/store/orders/${order.id}/ready`, s.session);
      await post(t.app, `/store/orders/${order.id}/pickup`, s.session);
    }
    for (const paid of [notInStream, notRecorded, wrongAmount]) await refundedAtKakaoPay(paid);
    const memo = await t.deps.redis.get(
      t.deps.keys.entryMemo(s.store.storeId, notInStream.order.id),
    );
    const stream = t.deps.keys.dayStream(s.store.storeId, notInStream.order.dayId);
    expect(await t.deps.redis.xdel(stream, memo!.split("|")[0]!)).toBe(1);
    await t.deps.db
      .update(payments)
      .set({ status: "READY", approvedAt: null })
      .where(eq(payments.orderId, notRecorded.order.id));
    await t.deps.db
      .update(payments)
      .set({ amount: 1000 })
      .where(eq(payments.orderId, wrongAmount.order.id));
    const dayId = await closeDay(s.store.storeId, s.session);

    const report = await runAccounting(deps, { storeId: s.store.storeId, dayId });
    expect(report.findings.map((f) => [f.orderId, f.kind]).sort()).toEqual(
      [
        [notInStream.order.id, "paid_missing_from_stream"],
        [notInStream.order.id, "paid_not_captured"],
        [notRecorded.order.id, "paid_not_captured"],
        [wrongAmount.order.id, "paid_not_captured"],
      ].sort(),
    );
    expect(report.findings.find((f) => f.kind === "paid_not_captured")?.detail).toBe(
      "KakaoPay CANCEL_PAYMENT",
    );
    expect(report.kakaoPay).toEqual({ asked: 3, approvalRecorded: 1 });
    expect(report.findings.some((f) => f.orderId === fine.order.id)).toBe(false);
    // The stream is gone now; the re-run still counts what the first run asked.
    expect(await runAccounting(deps, { storeId: s.store.storeId, dayId })).toEqual(report);
  });
});

describe("accounting killed mid-run", () => {
  test("the worker dies halfway; the retry ends with the same report as an uninterrupted run", async () => {
    const s = await openStore("10.9.1.1");
    for (let i = 0; i < 3; i++) {
      const { order } = await paidOrder(t.deps, emu, s.menu.latte);
      await post(t.app, `/store/orders/${order.id}/ready`, s.session);
      await post(t.app, `/store/orders/${order.id}/pickup`, s.session);
    }
    const lost = await lostApproval(s.menu.cookie);
    // Only this day's job may wait in the queue (the other days were run directly above).
    await t.deps.queues.accounting.drain();
    const dayId = await closeDay(s.store.storeId, s.session);

    const child = Bun.spawn(["bun", `${import.meta.dir}/../payment/crashWorker.ts`], {
      env: {
        ...process.env,
        ...emu.env,
        DATA_DIR: t.dir,
        ...databaseEnv(t.deps),
        TEST_REDIS_URL: redisUrl(),
        TEST_KEY_PREFIX: t.prefix,
        SO_FAILPOINT: "accounting_mid",
        LOG_LEVEL: "silent",
      },
      stdout: "ignore",
      stderr: "ignore",
    });
    expect(await child.exited).toBe(137);
    // Halfway: the stray capture is already refunded, the report not yet written.
    expect(await emu.payment(lost.tid)).toMatchObject({ status: "CANCEL_PAYMENT" });
    expect(await t.deps.redis.exists(t.deps.keys.dayStream(s.store.storeId, dayId))).toBe(1);
    const report = await runAccounting(t.deps, { storeId: s.store.storeId, dayId });
    expect(report).toMatchObject({
      orderCount: 3,
      netAmount: 15000,
      grossAmount: 18000,
      refundAmount: 3000,
    });
    expect(report.findings.map((f) => f.kind)).toEqual(["captured_without_order"]);
    expect((await emu.payment(lost.tid)).canceled_amount).toBe(3000);
  }, 30_000);
});

describe("Redis lost the close (AOF drops the last second on a crash)", () => {
  test("accounting finds the day live again in Redis and removes that live state", async () => {
    const s = await openStore("10.9.2.1");
    const dayId = await closeDay(s.store.storeId, s.session);
    // The crash took the close with it: the live hash is back, SQLite says CLOSED.
    await t.deps.redis.hset(t.deps.keys.day(s.store.storeId), "dayId", dayId, "state", "CLOSING");
    await runAccounting(t.deps, { storeId: s.store.storeId, dayId });
    expect(await t.deps.redis.exists(t.deps.keys.day(s.store.storeId))).toBe(0);
    const day = await (
      await t.app.request("/store/day", { headers: { cookie: s.session } })
    ).json();
    expect(day).toEqual({ day: null });
  });
});
