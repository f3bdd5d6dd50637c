// bun run bench:accounting [--orders 10000] [--stores 100] [--per-store 200]: the accounting batch
// of one busy day (orders written directly, each with a real capture at the KakaoPay emulator over
// HTTP), then --stores stores of --per-store orders each closing in the same minute: every close
// queues its accounting job at once and the accounting worker (as the app runs it, concurrency 2)
// works through them; the figure is the first close to the last report. --stores 0 skips it.
// Prints figures only.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runAccounting } from "../src/accounting/accounting.ts";
import type { PhaseTimes } from "../src/accounting/phases.ts";
import { redisOptionsFromUrl, startEmbeddedRedis } from "../src/infra/embeddedRedis.ts";
import { closeDay, moveDay, readyDay } from "../src/store/day/dayBusiness.ts";
import { seedBusyDay } from "../test/helpers/bulkDay.ts";
import { makeTestDeps, seedStore } from "../test/helpers/testDeps.ts";
import { accountingWorker } from "../workers/accounting.ts";
import type { EmulatorSnapshot } from "./ordersEmulator.ts";
import { Child } from "./rpc.ts";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "10000" },
    stores: { type: "string", default: "100" },
    "per-store": { type: "string", default: "200" },
  },
});
const n = Number(values.orders);
const embedded = process.env.REDIS_URL
  ? null
  : await startEmbeddedRedis({ dataDir: mkdtempSync(join(tmpdir(), "so-bench-acc-")) });
process.env.TEST_REDIS_URL = process.env.REDIS_URL ?? embedded!.url;

const emulator = new Child("emulator", join(import.meta.dir, "ordersEmulator.ts"), [], {});
const emu = await emulator.call<{ url: string; env: Record<string, string> }>("setup");
const t = makeTestDeps({ env: emu.env });
const { storeId } = await seedStore(t.deps);
await readyDay(t.deps, storeId);
await moveDay(t.deps, storeId, "open");
const dayId = (await t.deps.redis.hget(t.deps.keys.day(storeId), "dayId"))!;
const seedStart = performance.now();
await seedBusyDay(t.deps, t.deps.kakaopay, emu.url, storeId, dayId, n);
const seedMs = performance.now() - seedStart;
await moveDay(t.deps, storeId, "closing");
const last = await t.deps.redis.hget(t.deps.keys.day(storeId), "lastEntryId");
await closeDay(t.deps, storeId, `${dayId}:${last}`);

const runs: number[] = [];
const phases: PhaseTimes[] = [];
let report: Awaited<ReturnType<typeof runAccounting>> | null = null;
const cpu: { app: number; emulator: number }[] = [];
for (let i = 0; i < 2; i++) {
  await emulator.call<EmulatorSnapshot>("snapshot");
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const times: PhaseTimes = {};
  report = await runAccounting(t.deps, { storeId, dayId }, () => {}, times);
  runs.push(performance.now() - started);
  phases.push(times);
  const app = process.cpuUsage(cpuBefore);
  const emuCpu = await emulator.call<EmulatorSnapshot>("snapshot");
  cpu.push({ app: (app.user + app.system) / 1000, emulator: emuCpu.cpuUs / 1000 });
}
console.log(
  `# cpus 2; load average ${(await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).join(" ")}; emulator in-process over HTTP`,
);
console.log(`seeded ${n} captured orders in ${(seedMs / 1000).toFixed(1)} s`);
console.log(
  `accounting first run   ${runs[0]!.toFixed(0)} ms  (${(n / (runs[0]! / 1000)).toFixed(0)} orders/s; KakaoPay status per order, stream read, report, cleanup)`,
);
console.log(`  ${showPhases(phases[0]!, cpu[0]!)}`);
console.log(
  `accounting re-run      ${runs[1]!.toFixed(0)} ms  (stream already gone; same report: ${report?.orderCount} orders, net ${report?.netAmount.toLocaleString("ko-KR")}원)`,
);
console.log(`  ${showPhases(phases[1]!, cpu[1]!)}`);
console.log(
  `goal: a 10,000-order day in under 1 s — ${n >= 10000 ? (runs[0]! < 1000 ? "met" : "missed") : `ran ${n} orders`}`,
);
const storeCount = Number(values.stores);
if (storeCount > 0) await manyStoresClosing(storeCount, Number(values["per-store"]));
await t.close();
await emulator.stop();
await embedded?.stop();
process.exit(0);

function showPhases(times: PhaseTimes, cpu: { app: number; emulator: number }) {
  const phases = Object.entries(times)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(", ");
  return `phases (ms): ${phases}; CPU: this process ${cpu.app.toFixed(0)} ms, KakaoPay emulator ${cpu.emulator.toFixed(0)} ms`;
}

/** `count` stores of `perStore` captured orders each, all closed at once; the worker reports them. */
async function manyStoresClosing(count: number, perStore: number) {
  // The busy day above was accounted by hand: its queued job is not this case's.
  await t.deps.queues.accounting.drain();
  const stores: { storeId: string; dayId: string }[] = [];
  const seeded = performance.now();
  for (let i = 0; i < count; i++) {
    const { storeId } = await seedStore(t.deps, { name: `정산 매장 ${i}` });
    await readyDay(t.deps, storeId);
    await moveDay(t.deps, storeId, "open");
    const day = (await t.deps.redis.hget(t.deps.keys.day(storeId), "dayId"))!;
    await seedBusyDay(t.deps, t.deps.kakaopay, emu.url, storeId, day, perStore);
    await moveDay(t.deps, storeId, "closing");
    stores.push({ storeId, dayId: day });
  }
  console.log(
    `seeded ${count} stores × ${perStore} captured orders in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
  );
  const started = performance.now();
  await Promise.all(
    stores.map(async ({ storeId, dayId }) => {
      const last = await t.deps.redis.hget(t.deps.keys.day(storeId), "lastEntryId");
      await closeDay(t.deps, storeId, `${dayId}:${last}`);
    }),
  );
  const closedMs = performance.now() - started;
  const worker = accountingWorker(t.deps, redisOptionsFromUrl(process.env.TEST_REDIS_URL!));
  let done = 0;
  let failed = 0;
  for (;;) {
    const counts = await t.deps.queues.accounting.getJobCounts("completed", "failed");
    done = counts.completed ?? 0;
    failed = counts.failed ?? 0;
    if (done + failed >= count || performance.now() - started > 300_000) break;
    await Bun.sleep(20);
  }
  const ms = performance.now() - started;
  await worker.close();
  console.log(
    `${count} stores closing at once: ${done} reports (${failed} failed) in ${(ms / 1000).toFixed(2)} s from the first close ` +
      `(closes ${closedMs.toFixed(0)} ms; ${((count * perStore) / (ms / 1000)).toFixed(0)} orders/s; accounting worker concurrency 2) — ` +
      `goal < 10 s: ${done === count && ms < 10_000 ? "met" : "missed"}`,
  );
}
