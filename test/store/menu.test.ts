import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { orderItems } from "../../db/schema.ts";
import { moveDay, readyDay } from "../../src/store/day/dayBusiness.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { paidOrder } from "../helpers/orders.ts";
import { callSkill } from "../helpers/skill.ts";
import { login, makeTestDeps, seedStore } from "../helpers/testDeps.ts";

const emu = startTestEmulator();
const t = makeTestDeps({ env: emu.env });
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

  test("deleting or repricing an item keeps past orders intact", async () => {
    const item = await (await send("POST", "/items", { name: "스콘", price: 3500 })).json();
    const { order } = await paidOrder(t.deps, emu, item.id, { qty: 2 });
    await send("PATCH", `/items/${item.id}`, { price: 9900, name: "새 스콘" });
    await send("DELETE", `/items/${item.id}`);
    const lines = t.deps.db.select().from(orderItems).where(eq(orderItems.orderId, order.id)).all();
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
