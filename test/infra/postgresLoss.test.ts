import { afterAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { openPostgres } from "../../src/infra/dbPostgres.ts";
import { addToCart } from "../../src/ordering/cart.ts";
import { moveDay, readyDay } from "../../src/store/day/dayBusiness.ts";
import { addMenuItems } from "../../src/store/menu/menu.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { freshDatabase, whileDatabaseDown, whileDatabaseSilent } from "../helpers/postgres.ts";
import { callSkill } from "../helpers/skill.ts";
import { login, makeTestDeps, seedStore } from "../helpers/testDeps.ts";

// PostgreSQL goes away under a running app (a restart or failover cuts every connection): answers
// are a clear 503 within 5 s, /healthz says so, nothing is half-written, and everything works
// again by itself once the server is back.
const emu = startTestEmulator();
const t = makeTestDeps({ env: emu.env, db: await openPostgres(await freshDatabase()) });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

/** An open store with its counter logged in, and a customer with a coffee in the cart. */
async function openStoreWithCart(addr: string, customer: string) {
  const store = await seedStore(t.deps);
  const [item] = await addMenuItems(t.deps.db, store.storeId, [
    { name: "아메리카노", price: 4500, category: "커피", soldOut: false, optionGroups: [] },
  ]);
  await readyDay(t.deps, store.storeId);
  await moveDay(t.deps, store.storeId, "open");
  const { cookie } = await login(t.app, store, { addr });
  await addToCart(t.deps, customer, { itemId: item!.itemId, qty: 1, options: {} });
  const { orders } = t.deps.db.t;
  const ordersOf = () => t.deps.db.select().from(orders).where(eq(orders.botUserKey, customer));
  return { cookie, customer, ordersOf };
}

test("PostgreSQL lost: 503 within 5 s, healthz 503, no order half-written; back by itself", async () => {
  const { cookie, customer, ordersOf } = await openStoreWithCart("10.9.0.1", "pg-loss-customer");

  await whileDatabaseDown(async () => {
    for (const path of ["/store/orders", "/store/menu"]) {
      const started = performance.now();
      const res = await t.app.request(path, { headers: { cookie } });
      expect(performance.now() - started).toBeLessThan(5000);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: "unavailable" });
    }
    const health = await t.app.request("/healthz");
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, postgres: false, redis: true });
    // The customer's 주문하기 gets a polite answer in the chat, not an error page.
    const placed = await callSkill(t.app, "/orders/place", customer);
    expect(placed.text).not.toContain("basicCard");
  });

  // Back: the pool reconnects on its own; the same cart is ordered once.
  const deadline = Date.now() + 10_000;
  while ((await t.app.request("/healthz")).status !== 200 && Date.now() < deadline) {
    await Bun.sleep(100);
  }
  expect((await t.app.request("/healthz")).status).toBe(200);
  expect(await ordersOf()).toHaveLength(0);
  const placed = await callSkill(t.app, "/orders/place", customer);
  expect(placed.template.outputs[0]!.basicCard.buttons[0].webLinkUrl).toBeString();
  expect(await ordersOf()).toHaveLength(1);
  expect((await t.app.request("/store/orders", { headers: { cookie } })).status).toBe(200);
}, 60_000);

test("PostgreSQL silent (a partition): 503 within 5 s, nothing written late; back by itself", async () => {
  const { cookie, customer, ordersOf } = await openStoreWithCart("10.9.0.2", "pg-silent-customer");

  await whileDatabaseSilent(async () => {
    // Three at once: the pool's connections stay stuck while the server is silent.
    const asked = performance.now();
    const answers = await Promise.all([
      t.app.request("/store/orders", { headers: { cookie } }),
      t.app.request("/store/menu", { headers: { cookie } }),
      callSkill(t.app, "/orders/place", customer),
    ]);
    expect(performance.now() - asked).toBeLessThan(5000);
    for (const res of answers.slice(0, 2) as Response[]) {
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: "unavailable" });
    }
    expect((answers[2] as { text: string }).text).not.toContain("basicCard");
    expect((await t.app.request("/healthz")).status).toBe(503);
  });

  // Heard again: what the silent server had queued was cancelled or rolled back, not written
  // behind the customer's back; the same cart is then ordered once.
  const deadline = Date.now() + 10_000;
  while ((await t.app.request("/healthz")).status !== 200 && Date.now() < deadline) {
    await Bun.sleep(100);
  }
  expect(await ordersOf()).toHaveLength(0);
  const placed = await callSkill(t.app, "/orders/place", customer);
  expect(placed.template.outputs[0]!.basicCard.buttons[0].webLinkUrl).toBeString();
  expect(await ordersOf()).toHaveLength(1);
  expect((await t.app.request("/store/menu", { headers: { cookie } })).status).toBe(200);
}, 60_000);
