import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { addToCart } from "../../src/ordering/cart.ts";
import { paymentOf } from "../../src/ordering/pendingOrder.ts";
import { placeOrder } from "../../src/ordering/placeOrder.ts";
import { approvePayment, completePaidOrder } from "../../src/payment/approvePayment.ts";
import { moveDay, readyDay } from "../../src/store/day/dayBusiness.ts";
import { addMenuItems } from "../../src/store/menu/menu.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { orders } from "../helpers/tables.ts";
import { testDb } from "../helpers/testDb.ts";
import { makeTestDeps, seedStore } from "../helpers/testDeps.ts";

const emu = startTestEmulator();
const t = makeTestDeps({ db: await testDb(), env: emu.env, workers: true });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

let storeId = "";
let latte = "";
beforeAll(async () => {
  storeId = (await seedStore(t.deps)).storeId;
  const [item] = await addMenuItems(t.deps.db, storeId, [
    {
      name: "카페라떼",
      price: 5000,
      category: "커피",
      soldOut: false,
      optionGroups: [
        {
          name: "온도",
          required: true,
          choices: [
            { name: "핫", priceDelta: 0 },
            { name: "아이스", priceDelta: 0 },
          ],
        },
        { name: "샷 추가", required: false, choices: [{ name: "1샷", priceDelta: 500 }] },
      ],
    },
  ]);
  latte = item!.itemId;
  await readyDay(t.deps, storeId);
  await moveDay(t.deps, storeId, "open");
});

let customer = 0;
/** A customer fills a cart and places it: returns the order and its KakaoPay tid. */
async function placedOrder() {
  const botUserKey = `user-${++customer}`;
  const added = await addToCart(t.deps, botUserKey, {
    itemId: latte,
    qty: 2,
    options: { 온도: "아이스", "샷 추가": "1샷" },
  });
  expect(added.kind).toBe("added");
  const placed = await placeOrder(t.deps, { botUserKey, customerName: `손님${customer}` });
  if (placed.kind !== "ready") throw new Error(`place: ${placed.kind}`);
  return { botUserKey, order: placed.order, tid: (await paymentOf(t.deps, placed.order.id))!.tid! };
}

const approvalPath = (location: string) => {
  const url = new URL(location);
  return `${url.pathname}${url.search}`;
};
const orderRow = async (id: string) =>
  (await t.deps.db.select().from(orders).where(eq(orders.id, id)))[0]!;
const paidEntries = async () => {
  const day = await t.deps.redis.hget(t.deps.keys.day(storeId), "dayId");
  const entries = await t.deps.redis.xrange(t.deps.keys.dayStream(storeId, day!), "-", "+");
  return entries.filter(([, f]) => f[1] === "order.paid").map(([, f]) => JSON.parse(f[3]!));
};

describe("approval", () => {
  test("the customer approves: one capture, PAID with pickup number, order.paid with items and options", async () => {
    const { order, tid } = await placedOrder();
    expect(order.totalAmount).toBe(11000);
    const location = await emu.customerApproves(tid);
    const res = await t.app.request(approvalPath(location));
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain("결제가 완료됐어요");
    const row = await orderRow(order.id);
    expect(row.status).toBe("PAID");
    expect(page).toContain(`<p class="pickup">${row.pickupNumber}</p>`);
    expect(await emu.payment(tid)).toMatchObject({ status: "SUCCESS_PAYMENT", capture_count: 1 });
    const entry = (await paidEntries()).find((e) => e.orderId === order.id);
    expect(entry).toMatchObject({
      id: order.id,
      pickupNumber: row.pickupNumber,
      totalAmount: 11000,
      customerName: `손님${customer}`,
      items: [
        {
          name: "카페라떼",
          qty: 2,
          unitPrice: 5000,
          amount: 11000,
          options: [
            { group: "온도", choice: "아이스", priceDelta: 0 },
            { group: "샷 추가", choice: "1샷", priceDelta: 500 },
          ],
        },
      ],
    });
  });

  test("a paid order asks KakaoPay twice: ready and approve, no order-status check", async () => {
    const calls: string[] = [];
    const kp = t.deps.kakaopay;
    const original = { ...kp };
    const counted =
      <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) =>
      (...a: A) => {
        calls.push(name);
        return fn(...a);
      };
    Object.assign(kp, {
      ready: counted("ready", original.ready),
      approve: counted("approve", original.approve),
      order: counted("order", original.order),
      cancel: counted("cancel", original.cancel),
    });
    try {
      const { order, tid } = await placedOrder();
      const res = await t.app.request(approvalPath(await emu.customerApproves(tid)));
      expect(await res.text()).toContain("결제가 완료됐어요");
      expect((await orderRow(order.id)).status).toBe("PAID");
      expect(calls).toEqual(["ready", "approve"]);
    } finally {
      Object.assign(kp, original);
    }
  });

  test("captured, then the day went on BREAK before the job ran: the retry completes it (no expiry with the money taken)", async () => {
    const { order, tid } = await placedOrder();
    const pgToken = new URL(await emu.customerApproves(tid)).searchParams.get("pg_token")!;
    await t.deps.kakaopay.approve({
      tid,
      partnerOrderId: order.id,
      partnerUserId: order.botUserKey,
      pgToken,
    });
    await moveDay(t.deps, storeId, "break");
    try {
      const retried = await approvePayment(t.deps, { orderId: order.id, pgToken });
      expect(retried.outcome).toBe("paid");
      expect((await orderRow(order.id)).status).toBe("PAID");
      expect((await emu.payment(tid)).capture_count).toBe(1);
      expect((await paidEntries()).filter((e) => e.orderId === order.id)).toHaveLength(1);
    } finally {
      await moveDay(t.deps, storeId, "reopen");
    }
  });

  test("10 concurrent approve requests: 1 capture, 1 order.paid, 1 PAID row", async () => {
    const { order, tid } = await placedOrder();
    const path = approvalPath(await emu.customerApproves(tid));
    const pages = await Promise.all(Array.from({ length: 10 }, () => t.app.request(path)));
    for (const p of pages) expect(p.status).toBe(200);
    expect((await emu.payment(tid)).capture_count).toBe(1);
    expect((await paidEntries()).filter((e) => e.orderId === order.id)).toHaveLength(1);
    expect((await orderRow(order.id)).status).toBe("PAID");
  });

  test("100 orders paid concurrently get pickup numbers with no gap or repeat", async () => {
    const placed = [];
    for (let i = 0; i < 100; i++) placed.push(await placedOrder());
    const before = (await paidEntries()).length;
    const locations = await Promise.all(placed.map((p) => emu.customerApproves(p.tid)));
    await Promise.all(locations.map((l) => t.app.request(approvalPath(l))));
    const rows = await Promise.all(placed.map((p) => orderRow(p.order.id)));
    const numbers = rows.map((r) => r.pickupNumber!).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 100 }, (_, i) => before + i + 1));
    expect(await paidEntries()).toHaveLength(before + 100);
  }, 60_000);

  test("a crash after the capture and before the append: the retry appends once", async () => {
    const { order, tid } = await placedOrder();
    const location = new URL(await emu.customerApproves(tid));
    const pgToken = location.searchParams.get("pg_token")!;
    // The capture happened, then the process died.
    await t.deps.kakaopay.approve({
      tid,
      partnerOrderId: order.id,
      partnerUserId: order.botUserKey,
      pgToken,
    });
    expect((await orderRow(order.id)).status).toBe("PENDING_PAYMENT");
    const retried = await approvePayment(t.deps, { orderId: order.id, pgToken });
    expect(retried.outcome).toBe("paid");
    expect((await emu.payment(tid)).capture_count).toBe(1);
    expect((await paidEntries()).filter((e) => e.orderId === order.id)).toHaveLength(1);
  });

  test("a crash after the append and before SQLite: the retry finds the memo, appends nothing", async () => {
    const { order, tid } = await placedOrder();
    const pgToken = new URL(await emu.customerApproves(tid)).searchParams.get("pg_token")!;
    await t.deps.kakaopay.approve({
      tid,
      partnerOrderId: order.id,
      partnerUserId: order.botUserKey,
      pgToken,
    });
    const first = await completePaidOrder(t.deps, order.id);
    // Roll SQLite back to before its write, as if the process died right after the script.
    await t.deps.db
      .update(orders)
      .set({ status: "PENDING_PAYMENT", pickupNumber: null })
      .where(eq(orders.id, order.id));
    const retried = await approvePayment(t.deps, { orderId: order.id, pgToken });
    expect(retried).toEqual(first);
    expect(await orderRow(order.id)).toMatchObject({
      status: "PAID",
      pickupNumber: (first as { pickupNumber: number }).pickupNumber,
    });
    expect((await paidEntries()).filter((e) => e.orderId === order.id)).toHaveLength(1);
  });

  test("the customer cancels at KakaoPay: PAYMENT_FAILED (customer_canceled), nothing captured", async () => {
    const { order, tid } = await placedOrder();
    const location = await emu.customerLeaves(tid, "cancel");
    const res = await t.app.request(approvalPath(location));
    expect(await res.text()).toContain("결제를 취소했어요");
    expect(await orderRow(order.id)).toMatchObject({
      status: "PAYMENT_FAILED",
      failureReason: "customer_canceled",
    });
    expect((await emu.payment(tid)).capture_count).toBe(0);
  });

  test("the payment fails at KakaoPay: PAYMENT_FAILED (payment_failed); the link again says the same", async () => {
    const { order, tid } = await placedOrder();
    const location = await emu.customerLeaves(tid, "fail");
    expect(location).toContain(`/pay/kakaopay/${order.id}/fail`);
    const res = await t.app.request(approvalPath(location));
    expect(await res.text()).toContain("결제에 실패했어요");
    expect(await orderRow(order.id)).toMatchObject({
      status: "PAYMENT_FAILED",
      failureReason: "payment_failed",
    });
    const again = await t.app.request(approvalPath(location));
    expect(await again.text()).toContain("결제에 실패했어요");
    expect((await emu.payment(tid)).capture_count).toBe(0);
    const foreign = await t.app.request("/pay/kakaopay/00000000-0000-0000-0000-000000000000/fail");
    expect(foreign.status).toBe(404);
  });

  test("a wrong pg_token or a foreign order id: a clear page, nothing captured, nothing written", async () => {
    const { order, tid } = await placedOrder();
    await emu.customerApproves(tid);
    const wrong = await t.app.request(`/pay/kakaopay/${order.id}/approve?pg_token=forged123`);
    expect(await wrong.text()).toContain("결제를 확인하지 못했어요");
    expect((await orderRow(order.id)).status).toBe("PENDING_PAYMENT");
    expect((await emu.payment(tid)).capture_count).toBe(0);
    const foreign = await t.app.request(
      "/pay/kakaopay/00000000-0000-0000-0000-000000000000/approve?pg_token=x",
    );
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toContain("주문을 찾을 수 없어요");
  });

  test("the day on BREAK before approval: EXPIRED, nothing captured", async () => {
    const { order, tid } = await placedOrder();
    const location = await emu.customerApproves(tid);
    await moveDay(t.deps, storeId, "break");
    try {
      const res = await t.app.request(approvalPath(location));
      expect(await res.text()).toContain("가게가 지금 주문을 받지 않아");
      expect(await orderRow(order.id)).toMatchObject({
        status: "EXPIRED",
        failureReason: "store_not_open",
      });
      expect((await emu.payment(tid)).capture_count).toBe(0);
    } finally {
      await moveDay(t.deps, storeId, "reopen");
    }
  });
});
