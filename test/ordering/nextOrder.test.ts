import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { manualClock } from "../../src/infra/clock.ts";
import { closeDay, moveDay, readyDay } from "../../src/store/day/dayBusiness.ts";
import { moveOrder } from "../../src/store/orders/orderMoves.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { americano } from "../helpers/menu.ts";
import { openShop } from "../helpers/shop.ts";
import { callSkill, type SkillAnswer } from "../helpers/skill.ts";
import { orders } from "../helpers/tables.ts";
import { testDb } from "../helpers/testDb.ts";
import { makeTestDeps } from "../helpers/testDeps.ts";

// A regular: the same customer orders again and again at the same store, one item at a time.
const emu = startTestEmulator();
const clock = manualClock();
const t = makeTestDeps({ db: await testDb(), env: emu.env, workers: true, clock });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

let shop: Awaited<ReturnType<typeof openShop>>;
const item: Record<string, string> = {};
beforeAll(async () => {
  shop = await openShop(t.deps, [
    americano,
    { name: "치즈케이크", price: 6000, category: "디저트", soldOut: false, optionGroups: [] },
    { name: "소금빵", price: 3500, category: "빵", soldOut: false, optionGroups: [] },
  ]);
  const [a, c, b] = shop.itemIds;
  Object.assign(item, { americano: a, cheesecake: c, bread: b });
});

let n = 0;
const newUser = () => `regular-${++n}-${Date.now()}`;

const sheetOf = (placed: SkillAnswer) => {
  const card = placed.template.outputs[0]!.basicCard;
  if (!card) throw new Error(`no order sheet: ${JSON.stringify(placed.template.outputs)}`);
  return card as { title: string; description: string; buttons: { webLinkUrl: string }[] };
};

/** 담기 → 주문하기 through the skills: the order sheet the customer sees. */
async function order(user: string, itemId: string) {
  await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId } });
  return sheetOf(await callSkill(t.app, "/orders/place", user));
}

/** The customer pays on KakaoPay's page and lands on our approval page. */
async function pay(sheet: ReturnType<typeof sheetOf>) {
  const payUrl = sheet.buttons[0]!.webLinkUrl;
  const tid = payUrl.split("/").at(-1)!;
  const location = new URL(await emu.customerApproves(tid));
  const page = await t.app.request(location.pathname + location.search);
  expect(await page.text()).toContain("결제가 완료됐어요");
  const orderId = location.pathname.split("/").at(-2)!;
  const row = (await t.deps.db.select().from(orders).where(eq(orders.id, orderId)))[0]!;
  expect(row.status).toBe("PAID");
  return { tid, orderId, pickupNumber: row.pickupNumber!, payUrl };
}

async function nextDay() {
  const paid = await t.deps.db.select().from(orders).where(eq(orders.storeId, shop.storeId));
  for (const o of paid.filter((o) => o.status === "PAID")) {
    await moveOrder(t.deps, shop.storeId, o.id, "ready");
    await moveOrder(t.deps, shop.storeId, o.id, "pickup");
  }
  await moveDay(t.deps, shop.storeId, "closing");
  const day = await t.deps.redis.hmget(t.deps.keys.day(shop.storeId), "dayId", "lastEntryId");
  await closeDay(t.deps, shop.storeId, `${day[0]}:${day[1]}`);
  clock.advance(24 * 3600 * 1000);
  await readyDay(t.deps, shop.storeId);
  await moveDay(t.deps, shop.storeId, "open");
}

describe("a regular's next order is a new order with its own payment", () => {
  test("three one-item orders in a row the same day, then one the next day: each its own order, tid and pickup number", async () => {
    const user = newUser();
    const paid: Awaited<ReturnType<typeof pay>>[] = [];
    const sequence = [
      [item.americano!, "아메리카노", "4,500원"],
      [item.cheesecake!, "치즈케이크", "6,000원"],
      [item.bread!, "소금빵", "3,500원"],
    ] as const;
    for (const [itemId, name, price] of sequence) {
      const sheet = await order(user, itemId);
      expect(sheet.title).toContain(price);
      expect(sheet.description).toContain(name);
      paid.push(await pay(sheet));
      expect((await callSkill(t.app, "/cart", user)).text).toContain("비어 있어요");
    }
    expect(new Set(paid.map((p) => p.orderId)).size).toBe(3);
    expect(new Set(paid.map((p) => p.tid)).size).toBe(3);
    expect(new Set(paid.map((p) => p.pickupNumber)).size).toBe(3);
    for (const p of paid) expect((await emu.payment(p.tid)).capture_count).toBe(1);

    // The next day, a new day business of the same store: the same one-item cart again.
    await nextDay();
    const sheet = await order(user, item.americano!);
    expect(sheet.title).toContain("4,500원");
    const tomorrow = await pay(sheet);
    expect(paid.map((p) => p.orderId)).not.toContain(tomorrow.orderId);
    expect(paid.map((p) => p.tid)).not.toContain(tomorrow.tid);
    const mine = await t.deps.db.select().from(orders).where(eq(orders.botUserKey, user));
    expect(mine).toHaveLength(4);
    expect(mine.map((o) => o.itemSummary)).toEqual([
      "아메리카노",
      "치즈케이크",
      "소금빵",
      "아메리카노",
    ]);
  }, 30_000);

  test("the cart emptied after pay, then a cart of the same size: a new order sheet, not the paid one", async () => {
    const user = newUser();
    const first = await pay(await order(user, item.americano!));
    const sheet = await order(user, item.cheesecake!);
    expect(sheet.title).toContain("6,000원");
    expect(sheet.description).toContain("치즈케이크");
    expect(sheet.description).not.toContain("아메리카노");
    expect(sheet.buttons[0]!.webLinkUrl).not.toBe(first.payUrl);
    const second = await pay(sheet);
    expect(second.orderId).not.toBe(first.orderId);
    expect(second.pickupNumber).not.toBe(first.pickupNumber);
  });

  test("a cart emptied by the customer before paying, then a new one: not the earlier unpaid order", async () => {
    const user = newUser();
    const unpaid = await order(user, item.americano!);
    await callSkill(t.app, "/cart/clear", user);
    const sheet = await order(user, item.bread!);
    expect(sheet.description).toContain("소금빵");
    expect(sheet.buttons[0]!.webLinkUrl).not.toBe(unpaid.buttons[0]!.webLinkUrl);
    await pay(sheet);
    // Paying the new order leaves nothing in the cart; the earlier link still pays only itself.
    expect((await callSkill(t.app, "/cart", user)).text).toContain("비어 있어요");
  });

  test("paying an earlier order's link does not empty a newer cart", async () => {
    const user = newUser();
    const earlier = await order(user, item.americano!);
    await callSkill(t.app, "/cart/clear", user);
    await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.bread } });
    await pay(earlier);
    expect((await callSkill(t.app, "/cart", user)).text).toContain("소금빵");
  });

  test("another store's item replacing the cart is a new order too", async () => {
    const user = newUser();
    const other = await openShop(t.deps, [
      { name: "아메리카노", price: 4000, category: "커피", soldOut: false, optionGroups: [] },
    ]);
    const here = await order(user, item.americano!);
    const ask = await callSkill(t.app, "/cart/add", user, {
      clientExtra: { itemId: other.itemIds[0] },
    });
    const replace = ask.template.quickReplies!.find((q) => q.label === "비우고 담기")!;
    await callSkill(t.app, "/cart/add", user, { clientExtra: replace.extra });
    const there = sheetOf(await callSkill(t.app, "/orders/place", user));
    expect(there.title).toContain("4,000원");
    expect(there.buttons[0]!.webLinkUrl).not.toBe(here.buttons[0]!.webLinkUrl);
  });
});

describe("the same cart pressed again is the same order", () => {
  test("주문하기 twice at once and once more later: one order, one KakaoPay link", async () => {
    const user = newUser();
    await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.cheesecake } });
    const presses = await Promise.all(
      [1, 2, 3].map(() => callSkill(t.app, "/orders/place", user).then(sheetOf)),
    );
    const again = sheetOf(await callSkill(t.app, "/orders/place", user));
    const links = new Set([...presses, again].map((s) => s.buttons[0]!.webLinkUrl));
    expect(links.size).toBe(1);
    const mine = await t.deps.db.select().from(orders).where(eq(orders.botUserKey, user));
    expect(mine).toHaveLength(1);
  });

  test("a cart saved before carts had their own id (still in Redis) can be ordered, once", async () => {
    const user = newUser();
    // An old-style cart: version and body only, as the previous release wrote it.
    const line = { itemId: item.bread, name: "소금빵", unitPrice: 3500, qty: 2, options: [] };
    const body = { storeId: shop.storeId, storeName: "테스트 카페", lines: [line] };
    await t.deps.redis.hset(t.deps.keys.cart(user), "version", "1", "body", JSON.stringify(body));
    await t.deps.redis.expire(t.deps.keys.cart(user), 1800);
    const [a, b] = await Promise.all([
      callSkill(t.app, "/orders/place", user, { clientExtra: { cartVersion: 1 } }),
      callSkill(t.app, "/orders/place", user, { clientExtra: { cartVersion: 1 } }),
    ]);
    expect(sheetOf(a).title).toContain("7,000원");
    expect(sheetOf(b).buttons[0]!.webLinkUrl).toBe(sheetOf(a).buttons[0]!.webLinkUrl);
    await pay(sheetOf(a));
    const next = await order(user, item.bread!);
    expect(next.title).toContain("3,500원");
    expect(next.buttons[0]!.webLinkUrl).not.toBe(sheetOf(a).buttons[0]!.webLinkUrl);
  });
});
