import { afterAll, expect, test } from "bun:test";
import { runAccounting } from "../../src/accounting/accounting.ts";
import { moveDay, readyDay } from "../../src/store/day/dayBusiness.ts";
import { addMenuItems } from "../../src/store/menu/menu.ts";
import { seedBusyDay } from "../helpers/bulkDay.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { paidOrder } from "../helpers/orders.ts";
import { login, makeTestDeps, post, seedStore } from "../helpers/testDeps.ts";

// The seed's "Get Order" concern: accounting a big day must not stall ordering or reads.
const emu = startTestEmulator();
const t = makeTestDeps({ env: emu.env });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

test("accounting a 5,000-order day while another store takes orders and its counter polls the orders", async () => {
  const big = await seedStore(t.deps);
  const bigSession = (await login(t.app, big, { addr: "10.10.0.1" })).cookie;
  await readyDay(t.deps, big.storeId);
  await moveDay(t.deps, big.storeId, "open");
  const dayId = (await t.deps.redis.hget(t.deps.keys.day(big.storeId), "dayId"))!;
  const { gross } = await seedBusyDay(t.deps, t.deps.kakaopay, emu.url, big.storeId, dayId, 5000);
  await moveDay(t.deps, big.storeId, "closing");
  const last = await t.deps.redis.hget(t.deps.keys.day(big.storeId), "lastEntryId");
  expect(
    (await post(t.app, "/store/day/close", bigSession, { lastEventId: `${dayId}:${last}` })).status,
  ).toBe(202);

  const busy = await seedStore(t.deps);
  const busySession = (await login(t.app, busy, { addr: "10.10.0.2" })).cookie;
  const itemId = (
    await addMenuItems(t.deps.db, busy.storeId, [
      { name: "라떼", price: 5000, category: "커피", soldOut: false, optionGroups: [] },
    ])
  )[0]!.itemId;
  await readyDay(t.deps, busy.storeId);
  await moveDay(t.deps, busy.storeId, "open");

  let running = true;
  const readLatencies: number[] = [];
  const payLatencies: number[] = [];
  const reader = (async () => {
    while (running) {
      const started = performance.now();
      const res = await t.app.request("/store/orders", { headers: { cookie: busySession } });
      expect(res.status).toBe(200);
      await res.json();
      readLatencies.push(performance.now() - started);
      await Bun.sleep(10);
    }
  })();
  const orderer = (async () => {
    let paid = 0;
    while (running) {
      const started = performance.now();
      await paidOrder(t.deps, emu, itemId);
      payLatencies.push(performance.now() - started);
      paid++;
    }
    return paid;
  })();

  const accountingStarted = performance.now();
  const report = await runAccounting(t.deps, { storeId: big.storeId, dayId });
  const accountingMs = performance.now() - accountingStarted;
  running = false;
  const paid = await orderer;
  await reader;

  expect(report.orderCount).toBe(5000);
  expect(report.grossAmount).toBe(gross);
  expect(report.findings).toEqual([]);
  expect(paid).toBeGreaterThan(0);
  expect(readLatencies.length).toBeGreaterThan(0);
  const listed = await (
    await t.app.request("/store/orders", { headers: { cookie: busySession } })
  ).json();
  expect(listed.orders).toHaveLength(paid);
  console.log(
    `accounting 5000 orders: ${accountingMs.toFixed(0)} ms; meanwhile ${paid} orders paid ` +
      `(p50 ${pct(payLatencies, 0.5).toFixed(1)} ms, max ${Math.max(...payLatencies).toFixed(1)} ms) and ` +
      `${readLatencies.length} order reads (p50 ${pct(readLatencies, 0.5).toFixed(1)} ms, p99 ${pct(readLatencies, 0.99).toFixed(1)} ms, max ${Math.max(...readLatencies).toFixed(1)} ms)`,
  );
}, 120_000);
