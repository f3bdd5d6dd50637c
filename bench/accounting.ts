// bun run bench:accounting [--orders 10000]: the accounting batch of one busy day (orders written
// directly, each with a real capture at the KakaoPay emulator over HTTP). Prints figures only.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runAccounting } from "../src/accounting/accounting.ts";
import { startEmbeddedRedis } from "../src/infra/embeddedRedis.ts";
import { closeDay, moveDay, readyDay } from "../src/store/day/dayBusiness.ts";
import { seedBusyDay } from "../test/helpers/bulkDay.ts";
import { startTestEmulator } from "../test/helpers/emulator.ts";
import { makeTestDeps, seedStore } from "../test/helpers/testDeps.ts";

const { values } = parseArgs({ options: { orders: { type: "string", default: "10000" } } });
const n = Number(values.orders);
const embedded = process.env.REDIS_URL
  ? null
  : await startEmbeddedRedis({ dataDir: mkdtempSync(join(tmpdir(), "so-bench-acc-")) });
process.env.TEST_REDIS_URL = process.env.REDIS_URL ?? embedded!.url;

const emu = startTestEmulator();
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
let report: Awaited<ReturnType<typeof runAccounting>> | null = null;
for (let i = 0; i < 2; i++) {
  const started = performance.now();
  report = await runAccounting(t.deps, { storeId, dayId });
  runs.push(performance.now() - started);
}
console.log(
  `# cpus 2; load average ${(await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).join(" ")}; emulator in-process over HTTP`,
);
console.log(`seeded ${n} captured orders in ${(seedMs / 1000).toFixed(1)} s`);
console.log(
  `accounting first run   ${runs[0]!.toFixed(0)} ms  (${(n / (runs[0]! / 1000)).toFixed(0)} orders/s; KakaoPay status per order, stream read, report, cleanup)`,
);
console.log(
  `accounting re-run      ${runs[1]!.toFixed(0)} ms  (stream already gone; same report: ${report?.orderCount} orders, net ${report?.netAmount.toLocaleString("ko-KR")}원)`,
);
console.log(
  `goal: a 10,000-order day in under 2 s — ${n >= 10000 ? (runs[0]! < 2000 ? "met" : "missed") : `ran ${n} orders`}`,
);
await t.close();
await emu.stop();
await embedded?.stop();
process.exit(0);
