// bun run bench:store [--orders 2000] [--concurrency 16]: the counter's order actions under load:
// accept / ready / pickup throughput over HTTP (in-process app, real Redis + SQLite), and the
// time from `ready` to the customer's Event API call at the emulator (the notify job). Figures only.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { inBatches } from "../src/infra/batches.ts";
import { startEmbeddedRedis } from "../src/infra/embeddedRedis.ts";
import { moveDay, readyDay } from "../src/store/day/dayBusiness.ts";
import { addMenuItems } from "../src/store/menu/menu.ts";
import { startTestEmulator } from "../test/helpers/emulator.ts";
import { paidOrder } from "../test/helpers/orders.ts";
import { login, makeTestDeps, post, seedStore } from "../test/helpers/testDeps.ts";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
  },
});
const n = Number(values.orders);
const concurrency = Number(values.concurrency);
const embedded = process.env.REDIS_URL
  ? null
  : await startEmbeddedRedis({ dataDir: mkdtempSync(join(tmpdir(), "so-bench-store-")) });
process.env.TEST_REDIS_URL = process.env.REDIS_URL ?? embedded!.url;

const emu = startTestEmulator();
const t = makeTestDeps({ env: emu.env, workers: true });
const store = await seedStore(t.deps);
const cookie = (await login(t.app, store)).cookie;
const [added] = await addMenuItems(t.deps.db, store.storeId, [
  { name: "아메리카노", price: 4500, category: "커피", soldOut: false, optionGroups: [] },
]);
const itemId = added!.itemId;
await readyDay(t.deps, store.storeId);
await moveDay(t.deps, store.storeId, "open");
const orders = await inBatches(
  Array.from({ length: n }, (_, i) => i),
  async (i) => (await paidOrder(t.deps, emu, itemId, { botUserKey: `bench-${i}` })).order,
  8,
);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
const readySentAt = new Map<string, number>();
const rows: string[] = [];
for (const action of ["accept", "ready", "pickup"] as const) {
  const latencies: number[] = [];
  const started = performance.now();
  await inBatches(
    orders,
    async (o) => {
      const t0 = performance.now();
      if (action === "ready") readySentAt.set(`bench-${orders.indexOf(o)}`, Date.now());
      const res = await post(t.app, `/store/orders/${o.id}/${action}`, cookie);
      if (res.status !== 200) throw new Error(`${action} ${res.status}`);
      latencies.push(performance.now() - t0);
    },
    concurrency,
  );
  const seconds = (performance.now() - started) / 1000;
  rows.push(
    `${action.padEnd(7)} ${(n / seconds).toFixed(0).padStart(7)} /s   p50 ${pct(latencies, 0.5).toFixed(1)} ms  p99 ${pct(latencies, 0.99).toFixed(1)} ms`,
  );
}

// Wait for every "your order is ready" message, then match each to its `ready` request.
const deadline = Date.now() + 60_000;
let events: { at: string; user: { id: string }[]; event: { name: string } }[] = [];
while (Date.now() < deadline) {
  events = (
    (await (await fetch(`${emu.url}/_emulator/events`)).json()) as { events: typeof events }
  ).events.filter((e) => e.event.name === "order_ready");
  if (events.length >= n) break;
  await Bun.sleep(100);
}
const notifyLatency = events
  .map((e) => Date.parse(e.at) - (readySentAt.get(e.user[0]!.id) ?? Number.NaN))
  .filter(Number.isFinite);
console.log(
  `# cpus 2; load ${(await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).join(" ")}; ${n} paid orders, ${concurrency} concurrent store requests, app in-process, emulator in-process`,
);
console.log("action  throughput   latency");
for (const r of rows) console.log(r);
console.log(
  `ready → Event API call at the emulator: ${notifyLatency.length}/${n} delivered, p50 ${pct(notifyLatency, 0.5)} ms, p99 ${pct(notifyLatency, 0.99)} ms, max ${Math.max(...notifyLatency)} ms`,
);
await t.close();
await emu.stop();
await embedded?.stop();
process.exit(0);
