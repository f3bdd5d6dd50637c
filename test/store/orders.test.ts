import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { moveDay, readyDay } from "../../src/store/day/dayBusiness.ts";
import { addMenuItems } from "../../src/store/menu/menu.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { paidOrder } from "../helpers/orders.ts";
import { orders } from "../helpers/tables.ts";
import { testDb } from "../helpers/testDb.ts";
import { login, makeTestDeps, post, seedStore } from "../helpers/testDeps.ts";

const emu = startTestEmulator();
const t = makeTestDeps({ db: await testDb(), env: emu.env, workers: true });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

let store: Awaited<ReturnType<typeof seedStore>>;
let cookie = "";
let itemId = "";
let otherCookie = "";
beforeAll(async () => {
  store = await seedStore(t.deps);
  itemId = (
    await addMenuItems(t.deps.db, store.storeId, [
      { name: "아메리카노", price: 4500, category: "커피", soldOut: false, optionGroups: [] },
    ])
  )[0]!.itemId;
  cookie = (await login(t.app, store, { addr: "10.7.0.1" })).cookie;
  await readyDay(t.deps, store.storeId);
  await moveDay(t.deps, store.storeId, "open");
  const other = await seedStore(t.deps);
  otherCookie = (await login(t.app, other, { addr: "10.7.0.2" })).cookie;
}, 20_000);

const act = (orderId: string, action: string, body?: unknown, as = cookie) =>
  post(t.app, `/store/orders/${orderId}/${action}`, as, body);
const row = async (id: string) =>
  (await t.deps.db.select().from(orders).where(eq(orders.id, id)))[0]!;
async function entriesOf(orderId: string) {
  const dayId = await t.deps.redis.hget(t.deps.keys.day(store.storeId), "dayId");
  const all = await t.deps.redis.xrange(t.deps.keys.dayStream(store.storeId, dayId!), "-", "+");
  return all.filter(([, f]) => JSON.parse(f[3]!).orderId === orderId).map(([, f]) => f[1]);
}
async function eventsTo(userId: string) {
  const res = await fetch(`${emu.url}/_emulator/events?userId=${encodeURIComponent(userId)}`);
  return (
    (await res.json()) as { events: { event: { name: string; data: Record<string, string> } }[] }
  ).events;
}
async function until(check: () => Promise<boolean>, ms = 8000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await Bun.sleep(50);
  }
  throw new Error("condition not reached");
}

describe("order handling", () => {
  test("accept → ready → pickup: each appends its event once, SQLite follows; repeats are no-ops", async () => {
    const { order } = await paidOrder(t.deps, emu, itemId);
    for (const [action, status] of [
      ["accept", "ACCEPTED"],
      ["ready", "READY"],
      ["pickup", "PICKED_UP"],
    ] as const) {
      const res = await act(order.id, action);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        orderId: order.id,
        status,
        pickupNumber: order.pickupNumber,
      });
      const again = await act(order.id, action);
      expect(again.status).toBe(200);
      expect((await row(order.id)).status).toBe(status);
    }
    expect(await entriesOf(order.id)).toEqual([
      "order.paid",
      "order.accepted",
      "order.ready",
      "order.picked_up",
    ]);
    expect((await row(order.id)).pickedUpAt).toBeGreaterThan(0);
  });

  test("refused transitions are 409 invalid_transition with the current state", async () => {
    const { order } = await paidOrder(t.deps, emu, itemId);
    const pickup = await act(order.id, "pickup");
    expect(pickup.status).toBe(409);
    expect(await pickup.json()).toMatchObject({ error: "invalid_transition", state: "PAID" });
    await act(order.id, "ready");
    const accept = await act(order.id, "accept");
    expect(await accept.json()).toMatchObject({ error: "invalid_transition", state: "READY" });
    expect(await entriesOf(order.id)).toEqual(["order.paid", "order.ready"]);
  });

  test("another store's order is 404 with no hint; a bad id is 400", async () => {
    const { order } = await paidOrder(t.deps, emu, itemId);
    const res = await act(order.id, "accept", undefined, otherCookie);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "not_found" });
    expect((await act("nope!", "accept")).status).toBe(400);
    expect((await act("00000000-0000-0000-0000-000000000000", "accept")).status).toBe(404);
    expect((await row(order.id)).status).toBe("PAID");
  });

  test("ready twice → one Event API message with the pickup number and store name", async () => {
    const { order, botUserKey } = await paidOrder(t.deps, emu, itemId);
    await Promise.all([act(order.id, "ready"), act(order.id, "ready")]);
    await act(order.id, "ready");
    await until(async () => (await eventsTo(botUserKey)).length > 0);
    await Bun.sleep(300);
    const sent = await eventsTo(botUserKey);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.event).toMatchObject({
      name: "order_ready",
      data: { pickupNumber: String(order.pickupNumber), storeName: "테스트 카페" },
    });
  });

  test("the Event API failing twice then OK → exactly one message delivered", async () => {
    const { order, botUserKey } = await paidOrder(t.deps, emu, itemId);
    await emu.fault("/v2/bots/*/talk", "5xx", 2);
    await act(order.id, "ready");
    await until(async () => (await eventsTo(botUserKey)).length > 0, 15_000);
    await Bun.sleep(300);
    expect(await eventsTo(botUserKey)).toHaveLength(1);
  }, 20_000);

  test("GET /store/orders lists today's paid orders with items; ?status= filters; bad status is 400", async () => {
    const { order } = await paidOrder(t.deps, emu, itemId, { qty: 2 });
    const res = await t.app.request("/store/orders", { headers: { cookie } });
    const body = await res.json();
    const mine = body.orders.find((o: { id: string }) => o.id === order.id);
    expect(mine).toMatchObject({
      pickupNumber: order.pickupNumber,
      status: "PAID",
      totalAmount: 9000,
      items: [{ name: "아메리카노", qty: 2, amount: 9000 }],
    });
    const paidOnly = await (
      await t.app.request("/store/orders?status=PICKED_UP", { headers: { cookie } })
    ).json();
    expect(paidOnly.orders.every((o: { status: string }) => o.status === "PICKED_UP")).toBe(true);
    expect((await t.app.request("/store/orders?status=NOPE", { headers: { cookie } })).status).toBe(
      400,
    );
    const other = await (
      await t.app.request("/store/orders", { headers: { cookie: otherCookie } })
    ).json();
    expect(other.orders).toHaveLength(0);
  });
});

describe("cancel with refund", () => {
  test("cancel refunds in full, appends order.canceled, tells the customer; a repeat answers the same", async () => {
    const { order, tid, botUserKey } = await paidOrder(t.deps, emu, itemId);
    const res = await act(order.id, "cancel", { reason: "재료 소진" });
    expect(res.status).toBe(200);
    const first = await res.json();
    expect(first).toEqual({
      orderId: order.id,
      status: "CANCELED",
      refunded: 4500,
      reason: "재료 소진",
    });
    const again = await act(order.id, "cancel", { reason: "다른 이유" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect(await emu.payment(tid)).toMatchObject({
      status: "CANCEL_PAYMENT",
      canceled_amount: 4500,
    });
    expect(await row(order.id)).toMatchObject({ status: "CANCELED", cancelReason: "재료 소진" });
    expect(await entriesOf(order.id)).toEqual(["order.paid", "order.canceled"]);
    const day = (await (await t.app.request("/store/day", { headers: { cookie } })).json()).day;
    expect(day.canceledCount).toBeGreaterThanOrEqual(1);
    expect(day.refundAmount).toBeGreaterThanOrEqual(4500);
    await until(async () => (await eventsTo(botUserKey)).length > 0);
    expect((await eventsTo(botUserKey))[0]!.event.name).toBe("order_canceled");
    const metrics = await (
      await t.app.request("/metrics", { headers: { authorization: "Bearer test-operator-token" } })
    ).text();
    expect(metrics).toMatch(/refunds_total\{by="store_cancel"\} [1-9]/);
    expect(metrics).toMatch(/orders_paid_total [1-9]/);
  });

  test("10 concurrent cancels → one refund at KakaoPay", async () => {
    const { order, tid } = await paidOrder(t.deps, emu, itemId);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => act(order.id, "cancel", { reason: "중복 주문" })),
    );
    for (const r of results) expect(r.status).toBe(200);
    const payment = (await emu.payment(tid)) as { cancel_count?: number; canceled_amount: number };
    expect(payment.cancel_count).toBe(1);
    expect(payment.canceled_amount).toBe(4500);
    expect((await entriesOf(order.id)).filter((e) => e === "order.canceled")).toHaveLength(1);
  });

  test("KakaoPay failing → 502 payment_provider and the order still PAID; then it works", async () => {
    const { order, tid } = await paidOrder(t.deps, emu, itemId);
    await emu.fault("/online/v1/payment/cancel", "5xx", 1);
    const res = await act(order.id, "cancel", { reason: "테스트" });
    expect(res.status).toBe(502);
    expect((await res.json()).error).toBe("payment_provider");
    expect((await row(order.id)).status).toBe("PAID");
    expect((await emu.payment(tid)).status).toBe("SUCCESS_PAYMENT");
    expect(await entriesOf(order.id)).toEqual(["order.paid"]);
    expect((await act(order.id, "cancel", { reason: "테스트" })).status).toBe(200);
  });

  test("a cancel whose answer is lost (timeout) is resolved by the order status, never refunded twice", async () => {
    const { order, tid } = await paidOrder(t.deps, emu, itemId);
    // The emulator holds the answer past our 3 s timeout, then refunds once we gave up.
    await emu.fault("/online/v1/payment/cancel", "slow", 1, 10_000);
    const first = await act(order.id, "cancel", { reason: "느린 응답" });
    expect(first.status).toBe(200);
    expect((await row(order.id)).status).toBe("CANCELED");
    const retry = await act(order.id, "cancel", { reason: "느린 응답" });
    expect(retry.status).toBe(200);
    const payment = (await emu.payment(tid)) as { cancel_count?: number; canceled_amount: number };
    expect(payment).toMatchObject({ cancel_count: 1, canceled_amount: 4500 });
  }, 15_000);

  test("missing or overlong reasons are 400 and change nothing", async () => {
    const { order } = await paidOrder(t.deps, emu, itemId);
    expect((await act(order.id, "cancel", {})).status).toBe(400);
    expect((await act(order.id, "cancel", { reason: "   " })).status).toBe(400);
    expect((await act(order.id, "cancel", { reason: "가".repeat(201) })).status).toBe(400);
    expect((await row(order.id)).status).toBe("PAID");
  });

  test("a picked-up order cannot be canceled", async () => {
    const { order } = await paidOrder(t.deps, emu, itemId);
    await act(order.id, "ready");
    await act(order.id, "pickup");
    const res = await act(order.id, "cancel", { reason: "늦은 취소" });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "invalid_transition", state: "PICKED_UP" });
  });
});
