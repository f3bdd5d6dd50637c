import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { seedDemo } from "../../src/cli/demoSeed.ts";
import { moveDay, readyDay } from "../../src/store/day/dayBusiness.ts";
import { listMenu } from "../../src/store/menu/menu.ts";
import { menuVersionKey } from "../../src/store/menu/menuCache.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { paidOrder } from "../helpers/orders.ts";
import { callSkill } from "../helpers/skill.ts";
import { orderItems } from "../helpers/tables.ts";
import { testDb } from "../helpers/testDb.ts";
import { login, makeTestDeps, seedStore } from "../helpers/testDeps.ts";

const emu = startTestEmulator();
const t = makeTestDeps({ db: await testDb(), env: emu.env });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

let store: Awaited<ReturnType<typeof seedStore>>;
let cookie = "";
let otherCookie = "";
beforeAll(async () => {
  store = await seedStore(t.deps);
  cookie = (await login(t.app, store, { addr: "10.8.0.1" })).cookie;
  otherCookie = (await login(t.app, await seedStore(t.deps), { addr: "10.8.0.2" })).cookie;
  await readyDay(t.deps, store.storeId);
  await moveDay(t.deps, store.storeId, "open");
});

const send = (
  method: string,
  path: string,
  body?: unknown,
  as = cookie,
  headers: Record<string, string> = {},
) =>
  t.app.request(`/store/menu${path}`, {
    method,
    headers: { cookie: as, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const menu = async (as = cookie) =>
  (await (await send("GET", "", undefined, as)).json()).items as {
    id: string;
    name: string;
    soldOut: boolean;
    price: number;
  }[];

const latte = {
  name: "카페라떼",
  price: 5000,
  category: "커피",
  optionGroups: [{ name: "온도", required: true, choices: [{ name: "핫" }, { name: "아이스" }] }],
};

describe("menu", () => {
  test("create, read, patch and delete an item with option groups", async () => {
    const created = await send("POST", "/items", latte);
    expect(created.status).toBe(201);
    const item = await created.json();
    expect(item).toMatchObject({ name: "카페라떼", price: 5000, soldOut: false });
    expect(item.optionGroups[0].choices[0]).toEqual({ name: "핫", priceDelta: 0 });
    const patched = await send("PATCH", `/items/${item.id}`, { price: 5500, soldOut: true });
    expect(await patched.json()).toMatchObject({ price: 5500, soldOut: true, name: "카페라떼" });
    expect((await menu()).find((i) => i.id === item.id)).toMatchObject({
      price: 5500,
      soldOut: true,
    });
    expect((await send("DELETE", `/items/${item.id}`)).status).toBe(204);
    expect((await menu()).find((i) => i.id === item.id)).toBeUndefined();
    expect((await send("PATCH", `/items/${item.id}`, { price: 1 })).status).toBe(404);
  });

  test("field errors: 400 with zod issues, nothing written", async () => {
    const before = (await menu()).length;
    const cases: [unknown, string][] = [
      [{ ...latte, price: 4500.5 }, "price"],
      [{ ...latte, price: 0 }, "price"],
      [{ ...latte, price: 10_000_001 }, "price"],
      [{ ...latte, price: "4500" }, "price"],
      [{ ...latte, name: "" }, "name"],
      [{ ...latte, optionGroups: [{ name: "온도", choices: [] }] }, "optionGroups.0.choices"],
      [
        { ...latte, optionGroups: [{ name: "온도", choices: [{ name: "핫", priceDelta: 0.5 }] }] },
        "optionGroups.0.choices.0.priceDelta",
      ],
      [{ ...latte, imageUrl: "javascript:alert(1)" }, "imageUrl"],
    ];
    for (const [body, path] of cases) {
      const res = await send("POST", "/items", body);
      expect(res.status).toBe(400);
      const json = await res.json();
      expect(json.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    expect((await send("PATCH", "/items/whatever", {})).status).toBe(400);
    expect((await menu()).length).toBe(before);
  });

  test("another store's item is 404 and unchanged", async () => {
    const item = await (await send("POST", "/items", latte)).json();
    expect((await send("PATCH", `/items/${item.id}`, { soldOut: true }, otherCookie)).status).toBe(
      404,
    );
    expect((await send("DELETE", `/items/${item.id}`, undefined, otherCookie)).status).toBe(404);
    expect((await menu()).find((i) => i.id === item.id)?.soldOut).toBe(false);
    expect((await menu(otherCookie)).find((i) => i.id === item.id)).toBeUndefined();
  });

  test("sold out blocks adding to the cart at once; back in stock works again", async () => {
    const item = await (await send("POST", "/items", { name: "쿠키", price: 3000 })).json();
    await send("PATCH", `/items/${item.id}`, { soldOut: true });
    const refused = await callSkill(t.app, "/cart/add", "menu-user-1", {
      clientExtra: { itemId: item.id },
    });
    expect(refused.template.outputs[0]!.simpleText.text).toContain("품절");
    await send("PATCH", `/items/${item.id}`, { soldOut: false });
    const added = await callSkill(t.app, "/cart/add", "menu-user-1", {
      clientExtra: { itemId: item.id },
    });
    expect(added.template.outputs[0]!.simpleText.text).toContain("담았어요");
  });

  test("the chat menu shows a change on the very next call: sold out, a new item, another API process's change, the day's state", async () => {
    const shop = await seedStore(t.deps, { name: "품절 카페" });
    const as = (await login(t.app, shop, { addr: "10.8.0.9" })).cookie;
    await readyDay(t.deps, shop.storeId);
    await moveDay(t.deps, shop.storeId, "open");
    const chat = async () => {
      const res = await callSkill(t.app, "/menu", "menu-fresh-user", {
        clientExtra: { storeId: shop.storeId },
      });
      const cards = res.template.outputs.flatMap((o) => o.carousel?.items ?? []);
      return { text: res.text, titles: cards.map((c: { title: string }) => c.title) };
    };
    const cookie = await (
      await send("POST", "/items", { name: "쿠키", price: 3000, category: "디저트" }, as)
    ).json();
    expect((await chat()).titles).toEqual(["쿠키"]);
    expect((await chat()).titles).toEqual(["쿠키"]);

    await send("PATCH", `/items/${cookie.id}`, { soldOut: true }, as);
    expect((await chat()).titles).toEqual(["[품절] 쿠키"]);
    await send("POST", "/items", { name: "스콘", price: 3500, category: "디저트" }, as);
    expect((await chat()).titles).toEqual(["[품절] 쿠키", "스콘"]);

    // Another API process: its own write to the shared database, then its bump of the store's
    // menu version in Redis; nothing of it reaches this process's memory.
    const { menuItems } = t.deps.db.t;
    await t.deps.db.update(menuItems).set({ soldOut: false }).where(eq(menuItems.id, cookie.id));
    await t.deps.redis.incr(menuVersionKey(t.deps, shop.storeId));
    expect((await chat()).titles).toEqual(["쿠키", "스콘"]);

    await moveDay(t.deps, shop.storeId, "break");
    expect((await chat()).text).toContain("주문은 영업 중에만 받아요");
    await moveDay(t.deps, shop.storeId, "reopen");
    expect((await chat()).text).not.toContain("주문은 영업 중에만 받아요");
  });

  test("deleting or repricing an item keeps past orders intact", async () => {
    const item = await (await send("POST", "/items", { name: "스콘", price: 3500 })).json();
    const { order } = await paidOrder(t.deps, emu, item.id, { qty: 2 });
    await send("PATCH", `/items/${item.id}`, { price: 9900, name: "새 스콘" });
    await send("DELETE", `/items/${item.id}`);
    const lines = await t.deps.db.select().from(orderItems).where(eq(orderItems.orderId, order.id));
    expect(lines).toMatchObject([{ name: "스콘", unitPrice: 3500, qty: 2, amount: 7000 }]);
    const listed = await (await t.app.request("/store/orders", { headers: { cookie } })).json();
    expect(listed.orders.find((o: { id: string }) => o.id === order.id)).toMatchObject({
      totalAmount: 7000,
      items: [{ name: "스콘" }],
    });
  });
});

describe("cross-origin writes", () => {
  test("a POST from another site is 403 and writes nothing; same-origin works", async () => {
    const before = (await menu()).length;
    const evil = await send("POST", "/items", latte, cookie, { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect((await evil.json()).error).toBe("forbidden_origin");
    const crossSite = await send("POST", "/items", latte, cookie, {
      "sec-fetch-site": "cross-site",
    });
    expect(crossSite.status).toBe(403);
    const dayClose = await t.app.request("/store/day/break", {
      method: "POST",
      headers: { cookie, origin: "https://evil.example" },
    });
    expect(dayClose.status).toBe(403);
    expect((await menu()).length).toBe(before);
    const same = await send("POST", "/items", latte, cookie, { origin: "http://localhost:3000" });
    expect(same.status).toBe(201);
  });
});

describe("menu order: the store decides, the chat follows", () => {
  type Listed = { items: { id: string; name: string; category: string; sortOrder: number }[] };
  let shop: Awaited<ReturnType<typeof seedStore>>;
  let as = "";
  const ids: Record<string, string> = {};
  const add = async (name: string, category: string) => {
    const res = await send("POST", "/items", { name, price: 3000, category }, as);
    expect(res.status).toBe(201);
    const item = await res.json();
    ids[name] = item.id;
    return item;
  };
  const listed = async () =>
    (await (await send("GET", "", undefined, as)).json()) as Listed & { categories: string[] };
  const names = async () => (await listed()).items.map((i) => `${i.category}:${i.name}`);
  const chatNames = async () => {
    const res = await callSkill(t.app, "/menu", "menu-order-user", {
      clientExtra: { storeId: shop.storeId },
    });
    return res.template.outputs
      .flatMap((o) => o.carousel?.items ?? [])
      .map((c: { title: string }) => c.title);
  };
  const order = (body: unknown, cookieOf = as) => send("POST", "/order", body, cookieOf);

  beforeAll(async () => {
    shop = await seedStore(t.deps, { name: "순서 카페" });
    as = (await login(t.app, shop, { addr: "10.8.0.3" })).cookie;
  });

  test("categories in the order they were entered, items likewise; new ones at the end", async () => {
    await add("아메리카노", "커피");
    await add("쿠키", "디저트");
    await add("라떼", "커피");
    await add("자몽에이드", "논커피");
    const first = await listed();
    expect(first.categories).toEqual(["커피", "디저트", "논커피"]);
    expect(first.items.map((i) => `${i.name}:${i.sortOrder}`)).toEqual([
      "아메리카노:0",
      "라떼:1",
      "쿠키:0",
      "자몽에이드:0",
    ]);
    expect(await chatNames()).toEqual(["아메리카노", "라떼", "쿠키", "자몽에이드"]);
  });

  test("POST /store/menu/order moves categories and items; the chat shows the new order", async () => {
    const moved = await order({ categories: ["디저트", "커피"] });
    expect(moved.status).toBe(200);
    expect((await moved.json()).categories).toEqual(["디저트", "커피", "논커피"]);
    expect((await order({ items: [ids.라떼] })).status).toBe(200);
    expect(await names()).toEqual([
      "디저트:쿠키",
      "커피:라떼",
      "커피:아메리카노",
      "논커피:자몽에이드",
    ]);
    await add("콜드브루", "커피"); // a new item: the end of its category
    // moving an item to another category puts it at that category's end
    await send("PATCH", `/items/${ids.쿠키}`, { category: "커피" }, as);
    await add("스콘", "디저트"); // 디저트 keeps its place though it was empty
    expect(await names()).toEqual([
      "디저트:스콘",
      "커피:라떼",
      "커피:아메리카노",
      "커피:콜드브루",
      "커피:쿠키",
      "논커피:자몽에이드",
    ]);
    expect(await chatNames()).toEqual([
      "스콘",
      "라떼",
      "아메리카노",
      "콜드브루",
      "쿠키",
      "자몽에이드",
    ]);
    // the next visit (a new session) sees the same order
    const again = (await login(t.app, shop, { addr: "10.8.0.4" })).cookie;
    expect((await (await send("GET", "", undefined, again)).json()).categories).toEqual([
      "디저트",
      "커피",
      "논커피",
    ]);
    as = again;
  });

  test("refusals: unknown category 400, another store's item 404, repeats 400; nothing moves", async () => {
    const before = await names();
    const unknown = await order({ categories: ["주류"] });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: "unknown_category", category: "주류" });
    const otherItem = await (await send("POST", "/items", latte, otherCookie)).json();
    expect((await order({ items: [ids.라떼, otherItem.id] })).status).toBe(404);
    expect((await order({ items: [ids.라떼, ids.라떼] })).status).toBe(400);
    expect((await order({})).status).toBe(400);
    expect((await order({ categories: ["커피"] }, "")).status).toBe(401);
    expect(await names()).toEqual(before);
  });

  test("the demo café shows 커피 before 디저트, in the chat too", async () => {
    const demo = await seedDemo(t.deps.db, t.deps.config);
    const categories = [
      ...new Set((await listMenu(t.deps.db, demo.storeId)).map((i) => i.category)),
    ];
    expect(categories).toEqual(["커피", "논커피", "디저트"]);
    const res = await callSkill(t.app, "/menu", "menu-demo-user", {
      clientExtra: { storeId: demo.storeId },
    });
    const titles = res.template.outputs
      .flatMap((o) => o.carousel?.items ?? [])
      .map((c: { title: string }) => c.title);
    expect(titles[0]).toBe("아메리카노");
    expect(titles.at(-1)).toBe("크로플");
  });
});
