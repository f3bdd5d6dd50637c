import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { moveDay, readyDay } from "../../src/store/day/dayBusiness.ts";
import { addMenuItems } from "../../src/store/menu/menu.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { latteWithSizes } from "../helpers/menu.ts";
import { callSkill, skillPayload } from "../helpers/skill.ts";
import { menuItems, orders, stores } from "../helpers/tables.ts";
import { testDb } from "../helpers/testDb.ts";
import { makeTestDeps, SEOUL, seedStore } from "../helpers/testDeps.ts";

const emu = startTestEmulator();
const t = makeTestDeps({ db: await testDb(), env: emu.env, workers: true });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

let cafe = "";
let bakery = "";
const item: Record<string, string> = {};
beforeAll(async () => {
  cafe = (await seedStore(t.deps, { name: "성수 스킬카페" })).storeId;
  bakery = (await seedStore(t.deps, { name: "강남 스킬베이커리" })).storeId;
  const [latte, cookie, soldOut] = await addMenuItems(t.deps.db, cafe, [
    latteWithSizes(),
    { name: "쿠키", price: 3000, category: "디저트", soldOut: false, optionGroups: [] },
    { name: "딸기케이크", price: 7000, category: "디저트", soldOut: true, optionGroups: [] },
  ]);
  const [bread] = await addMenuItems(t.deps.db, bakery, [
    { name: "소금빵", price: 3500, category: "빵", soldOut: false, optionGroups: [] },
  ]);
  Object.assign(item, {
    latte: latte!.itemId,
    cookie: cookie!.itemId,
    soldOut: soldOut!.itemId,
    bread: bread!.itemId,
  });
  await readyDay(t.deps, cafe);
  await moveDay(t.deps, cafe, "open");
  // The bakery is 5 km away (Gangnam) and not open.
  await t.deps.db.update(stores).set({ lat: 37.4979, lng: 127.0276 }).where(eq(stores.id, bakery));
});

let n = 0;
const newUser = () => `skill-user-${++n}`;

describe("skill routes: the door", () => {
  test("no or wrong x-skill-key → 401", async () => {
    const body = JSON.stringify(skillPayload("u"));
    const none = await t.app.request("/kakao/skill/stores", { method: "POST", body });
    expect(none.status).toBe(401);
    const wrong = await t.app.request("/kakao/skill/stores", {
      method: "POST",
      body,
      headers: { "x-skill-key": "nope-nope-nope" },
    });
    expect(wrong.status).toBe(401);
  });

  test("malformed JSON → 400; a payload without userRequest.user.id → 400 naming the field", async () => {
    const headers = { "x-skill-key": "test-skill-key", "content-type": "application/json" };
    const bad = await t.app.request("/kakao/skill/cart", { method: "POST", headers, body: "{" });
    expect(bad.status).toBe(400);
    const payload = skillPayload("u") as { userRequest: { user: Partial<{ id: string }> } };
    delete payload.userRequest.user.id;
    const noUser = await t.app.request("/kakao/skill/cart", {
      method: "POST",
      headers,
      body: JSON.stringify(payload),
    });
    expect(noUser.status).toBe(400);
    const json = await noUser.json();
    expect(json.issues[0].path).toBe("userRequest.user.id");
  });
});

describe("stores and menu", () => {
  test("search by name shows the store with its state and a menu button", async () => {
    const res = await callSkill(t.app, "/stores", newUser(), { params: { query: "스킬카페" } });
    const cards = res.template.outputs[0]!.carousel.items;
    expect(cards).toHaveLength(1);
    expect(cards[0].title).toBe("성수 스킬카페");
    expect(cards[0].description).toContain("주문 가능");
    expect(cards[0].buttons[0]).toMatchObject({ label: "메뉴 보기", extra: { storeId: cafe } });
  });

  test("by location: nearest first, with the distance", async () => {
    const res = await callSkill(t.app, "/stores", newUser(), {
      utterance: "가게 찾기",
      clientExtra: { lat: SEOUL.lat, lng: SEOUL.lng },
    });
    const titles = res.template.outputs[0]!.carousel.items.map((c: { title: string }) => c.title);
    expect(titles.indexOf("성수 스킬카페")).toBeLessThan(titles.indexOf("강남 스킬베이커리"));
    expect(res.text).toContain("영업 전");
  });

  test("nothing found is a polite message with a way forward", async () => {
    const res = await callSkill(t.app, "/stores", newUser(), { params: { query: "없는가게이름" } });
    expect(res.template.outputs[0]!.simpleText.text).toContain("찾은 가게가 없어요");
    expect(res.template.quickReplies!.length).toBeGreaterThan(0);
  });

  test("the menu marks sold-out items and offers no add button for them", async () => {
    const res = await callSkill(t.app, "/menu", newUser(), { clientExtra: { storeId: cafe } });
    const cards = res.template.outputs.flatMap((o) => o.carousel?.items ?? []);
    const soldOut = cards.find((c: { title: string }) => c.title.includes("딸기케이크"));
    expect(soldOut.title).toBe("[품절] 딸기케이크");
    expect(soldOut.buttons ?? []).toHaveLength(0);
    const latte = cards.find((c: { title: string }) => c.title === "카페라떼");
    expect(latte.description).toContain("5,000원");
    expect(latte.buttons[0]).toMatchObject({ label: "담기", extra: { itemId: item.latte } });
  });
});

describe("cart", () => {
  test("required options are asked by quick replies that carry the choice back", async () => {
    const user = newUser();
    const first = await callSkill(t.app, "/cart/add", user, {
      clientExtra: { itemId: item.latte },
    });
    expect(first.template.outputs[0]!.simpleText.text).toContain("온도");
    const ice = first.template.quickReplies!.find((q) => q.label === "아이스")!;
    const second = await callSkill(t.app, "/cart/add", user, { clientExtra: ice.extra });
    expect(second.template.outputs[0]!.simpleText.text).toContain("사이즈");
    const large = second.template.quickReplies!.find((q) => q.label.startsWith("라지"))!;
    expect(large.label).toBe("라지 +500원");
    const added = await callSkill(t.app, "/cart/add", user, { clientExtra: large.extra });
    expect(added.template.outputs[0]!.simpleText.text).toContain("5,500원");
    const ttl = await t.deps.redis.ttl(t.deps.keys.cart(user));
    expect(ttl).toBeGreaterThan(1790);
    expect(ttl).toBeLessThanOrEqual(1800);
  });

  test("client-sent prices are ignored: totals come from the menu", async () => {
    const user = newUser();
    await callSkill(t.app, "/cart/add", user, {
      clientExtra: { itemId: item.cookie, qty: 2, price: 1, totalAmount: 10 },
    });
    const cart = await callSkill(t.app, "/cart", user);
    expect(cart.text).toContain("합계 6,000원");
  });

  test("wrong item, wrong option, bad quantity and sold-out are polite refusals that write nothing", async () => {
    const user = newUser();
    const cases: [Record<string, unknown>, string][] = [
      [{ itemId: "no-such-item" }, "찾지 못했어요"],
      [{ itemId: item.latte, options: { 온도: "미지근" } }, "고를 수 없어요"],
      [{ itemId: item.latte, options: { 토핑: "치즈" } }, "옵션이 없어요"],
      [{ itemId: item.cookie, qty: 0 }, "수량은"],
      [{ itemId: item.cookie, qty: 100 }, "수량은"],
      [{ itemId: item.soldOut }, "품절"],
      [{}, "찾지 못했어요"],
    ];
    for (const [extra, text] of cases) {
      const res = await callSkill(t.app, "/cart/add", user, { clientExtra: extra });
      expect(res.template.outputs[0]!.simpleText.text).toContain(text);
    }
    expect(await t.deps.redis.exists(t.deps.keys.cart(user))).toBe(0);
  });

  test("an item of another store asks before replacing the cart", async () => {
    const user = newUser();
    await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.cookie } });
    const ask = await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.bread } });
    expect(ask.template.outputs[0]!.simpleText.text).toContain("성수 스킬카페");
    const replace = ask.template.quickReplies!.find((q) => q.label === "비우고 담기")!;
    expect(await callSkill(t.app, "/cart", user).then((r) => r.text)).toContain("쿠키");
    await callSkill(t.app, "/cart/add", user, { clientExtra: replace.extra });
    const cart = await callSkill(t.app, "/cart", user);
    expect(cart.text).toContain("소금빵");
    expect(cart.text).not.toContain("쿠키");
  });

  test("a sold-out toggle takes effect at once; clear empties the cart", async () => {
    const user = newUser();
    await t.deps.db.update(menuItems).set({ soldOut: true }).where(eq(menuItems.id, item.cookie!));
    const refused = await callSkill(t.app, "/cart/add", user, {
      clientExtra: { itemId: item.cookie },
    });
    expect(refused.text).toContain("품절");
    await t.deps.db.update(menuItems).set({ soldOut: false }).where(eq(menuItems.id, item.cookie!));
    await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.cookie } });
    await callSkill(t.app, "/cart/clear", user);
    expect((await callSkill(t.app, "/cart", user)).text).toContain("비어 있어요");
  });
});

describe("place", () => {
  async function cartWithCookie(user: string) {
    await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.cookie, qty: 2 } });
    const cart = await callSkill(t.app, "/cart", user);
    return cart.template.quickReplies!.find((q) => q.label === "주문하기")!.extra as {
      cartVersion: number;
    };
  }
  const ordersOf = async (user: string) =>
    await t.deps.db.select().from(orders).where(eq(orders.botUserKey, user));

  test("the answer is a basicCard whose first button opens KakaoPay; the same cart version twice is one order", async () => {
    const user = newUser();
    const extra = await cartWithCookie(user);
    const [a, b] = await Promise.all([
      callSkill(t.app, "/orders/place", user, { clientExtra: extra }),
      callSkill(t.app, "/orders/place", user, { clientExtra: extra }),
    ]);
    const card = a.template.outputs[0]!.basicCard;
    // our own default picture, at PUBLIC_URL (test/kakao/stores.test.ts fetches it)
    expect(card.thumbnail.imageUrl).toStartWith(
      `${t.deps.config.publicUrl}/assets/thumbnail.png?v=`,
    );
    expect(card.buttons[0].action).toBe("webLink");
    expect(card.buttons[0].webLinkUrl).toStartWith(`${emu.url}/_emulator/pay/`);
    expect(b.template.outputs[0]!.basicCard.buttons[0].webLinkUrl).toBe(card.buttons[0].webLinkUrl);
    expect(await ordersOf(user)).toHaveLength(1);
    expect((await ordersOf(user))[0]).toMatchObject({
      status: "PENDING_PAYMENT",
      totalAmount: 6000,
    });
  });

  test("refused politely while the day is READY, on BREAK or CLOSING; nothing written", async () => {
    const user = newUser();
    const extra = await cartWithCookie(user);
    await moveDay(t.deps, cafe, "break");
    try {
      const res = await callSkill(t.app, "/orders/place", user, { clientExtra: extra });
      expect(res.template.outputs[0]!.simpleText.text).toContain("잠시 휴식 중");
    } finally {
      await moveDay(t.deps, cafe, "reopen");
    }
    const other = newUser();
    await callSkill(t.app, "/cart/add", other, { clientExtra: { itemId: item.bread } });
    const ready = await callSkill(t.app, "/orders/place", other);
    expect(ready.template.outputs[0]!.simpleText.text).toContain("주문을 받지 않아요");
    expect(await ordersOf(user)).toHaveLength(0);
    expect(await ordersOf(other)).toHaveLength(0);
  });

  test("refused politely while the day is READY or CLOSING too", async () => {
    const user = newUser();
    await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.bread } });
    await readyDay(t.deps, bakery);
    const ready = await callSkill(t.app, "/orders/place", user);
    expect(ready.template.outputs[0]!.simpleText.text).toContain("영업 준비 중");
    await moveDay(t.deps, bakery, "open");
    await moveDay(t.deps, bakery, "closing");
    const closing = await callSkill(t.app, "/orders/place", user);
    expect(closing.template.outputs[0]!.simpleText.text).toContain("마감 중");
    expect(await ordersOf(user)).toHaveLength(0);
  });

  test("a stale cart version shows the cart again instead of ordering", async () => {
    const user = newUser();
    const extra = await cartWithCookie(user);
    await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.cookie } });
    const res = await callSkill(t.app, "/orders/place", user, { clientExtra: extra });
    expect(res.text).toContain("바뀌었어요");
    expect(await ordersOf(user)).toHaveLength(0);
  });

  test("KakaoPay ready failing: a polite message, order PAYMENT_FAILED, nothing charged; retry works", async () => {
    const user = newUser();
    await cartWithCookie(user);
    await emu.fault("/online/v1/payment/ready", "5xx", 1);
    const res = await callSkill(t.app, "/orders/place", user);
    expect(res.template.outputs[0]!.simpleText.text).toContain("결제된 금액은 없어요");
    expect(await ordersOf(user)).toMatchObject([{ status: "PAYMENT_FAILED" }]);
    const again = await callSkill(t.app, "/orders/place", user);
    expect(again.template.outputs[0]!.basicCard).toBeDefined();
    expect(await ordersOf(user)).toHaveLength(2);
  });
});

describe("end to end over HTTP", () => {
  test("chat → KakaoPay page → approval page → the store's feed shows the order; orders lists it", async () => {
    const user = newUser();
    await callSkill(t.app, "/cart/add", user, {
      clientExtra: { itemId: item.latte, options: { 온도: "핫", 사이즈: "라지" } },
    });
    const placed = await callSkill(t.app, "/orders/place", user);
    const payUrl: string = placed.template.outputs[0]!.basicCard.buttons[0].webLinkUrl;
    const page = await fetch(payUrl);
    expect(await page.text()).toContain("5,500원");
    const tid = payUrl.split("/").at(-1)!;
    const location = await emu.customerApproves(tid);
    const approval = await t.app.request(new URL(location).pathname + new URL(location).search);
    const html = await approval.text();
    expect(html).toContain("결제가 완료됐어요");
    const order = (await ordersOf(user))[0]!;
    expect(order.status).toBe("PAID");
    const day = await t.deps.redis.hget(t.deps.keys.day(cafe), "dayId");
    const entries = await t.deps.redis.xrange(t.deps.keys.dayStream(cafe, day!), "-", "+");
    const paid = entries
      .map(([, f]) => ({ type: f[1], data: JSON.parse(f[3]!) }))
      .filter((e) => e.data.orderId === order.id);
    expect(paid).toHaveLength(1);
    expect(paid[0]!.data).toMatchObject({
      pickupNumber: order.pickupNumber,
      totalAmount: 5500,
      items: [{ name: "카페라떼", options: [{ choice: "핫" }, { choice: "라지" }] }],
    });
    const mine = await callSkill(t.app, "/orders", user);
    expect(mine.template.outputs[0]!.listCard.items[0].title).toBe(
      `#${order.pickupNumber} 카페라떼(핫·라지)`,
    );
    expect(mine.text).toContain("주문 접수");
    expect((await callSkill(t.app, "/cart", user)).text).toContain("비어 있어요");
  });
});

async function ordersOf(user: string) {
  return await t.deps.db.select().from(orders).where(eq(orders.botUserKey, user));
}
