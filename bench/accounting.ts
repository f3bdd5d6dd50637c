// bun run bench:accounting [--orders 10000] [--stores 100] [--per-store 200] [--concurrency N]
// [--ask every|in-question] (ACCOUNTING_ASK_KAKAOPAY, default every):
// the accounting batch of one busy day (orders written directly, each with a real capture at
// the KakaoPay emulator over HTTP, the emulator in its own process as KakaoPay is), then
// --stores stores of --per-store orders each closing in the same minute: every close queues its
// accounting job at once and the accounting worker (as the app runs it; --concurrency overrides
// ACCOUNTING_CONCURRENCY) works through them; the figure is the first close to the last report.
// --stores 0 skips it. Prints per-phase times, CPU of this process and of the emulator, the
// longest event-loop stall, and what asking KakaoPay for every order would cost. Figures only.
import { mkdtempSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { runAccounting } from "../src/accounting/accounting.ts";
import type { PhaseTimes } from "../src/accounting/phases.ts";
import { STATUS_CONCURRENCY } from "../src/accounting/reconcile.ts";
import { inBatches } from "../src/infra/batches.ts";
import { redisOptionsFromUrl, startEmbeddedRedis } from "../src/infra/embeddedRedis.ts";
import { closeDay, moveDay, readyDay } from "../src/store/day/dayBusiness.ts";
import { seedBusyDay } from "../test/helpers/bulkDay.ts";
import { orders, payments } from "../test/helpers/tables.ts";
import { makeTestDeps, seedStore } from "../test/helpers/testDeps.ts";
import { accountingWorker } from "../workers/accounting.ts";
import type { EmulatorSnapshot } from "./ordersEmulator.ts";
import { Child } from "./rpc.ts";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "10000" },
    stores: { type: "string", default: "100" },
    "per-store": { type: "string", default: "200" },
    concurrency: { type: "string" },
    ask: { type: "string" },
  },
});
const n = Number(values.orders);
const load = async () => (await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).join(" ");
const embedded = process.env.REDIS_URL
  ? null
  : await startEmbeddedRedis({ dataDir: mkdtempSync(join(tmpdir(), "so-bench-acc-")) });
process.env.TEST_REDIS_URL = process.env.REDIS_URL ?? embedded!.url;
const concurrency = values.concurrency ?? process.env.ACCOUNTING_CONCURRENCY;
const ask = values.ask ?? process.env.ACCOUNTING_ASK_KAKAOPAY ?? "every";

const emulator = new Child("emulator", join(import.meta.dir, "ordersEmulator.ts"), [], {});
const emu = await emulator.call<{ url: string; env: Record<string, string> }>("setup");
const t = makeTestDeps({
  env: {
    ...emu.env,
    ACCOUNTING_ASK_KAKAOPAY: ask,
    ...(concurrency ? { ACCOUNTING_CONCURRENCY: concurrency } : {}),
  },
});
console.log(
  `# cpus ${cpus().length}; load average at start ${await load()}; KakaoPay emulator in its own process over HTTP; KakaoPay asked about ${ask === "every" ? "every order (ACCOUNTING_ASK_KAKAOPAY=every, the default)" : "the orders in question only (ACCOUNTING_ASK_KAKAOPAY=in-question)"}`,
);

const { storeId, dayId } = await openDay("정산 매장");
const seedStart = performance.now();
await seedBusyDay(t.deps, t.deps.kakaopay, emu.url, storeId, dayId, n);
console.log(
  `seeded ${n} captured orders in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
);
await closeAll([{ storeId, dayId }]);

for (const label of ["first run", "re-run   "]) {
  const times: PhaseTimes = {};
  const m = await measured(() => runAccounting(t.deps, { storeId, dayId }, () => {}, times));
  const report = await m.run();
  const checks = report.kakaoPay!;
  console.log(
    `accounting ${label}  ${m.ms.toFixed(0)} ms  (${(n / (m.ms / 1000)).toFixed(0)} orders/s; ${report.orderCount} orders, net ${report.netAmount.toLocaleString("ko-KR")}원, ${report.findings.length} findings; ` +
      `KakaoPay asked for ${checks.asked}, approval recorded for ${checks.approvalRecorded})`,
  );
  console.log(`  ${showPhases(times)}; ${m.describe()}`);
  if (label === "first run") {
    console.log(
      `goal: a 10,000-order day in under 1 s — ${n >= 10000 ? (m.ms < 1000 ? "met" : "missed") : `ran ${n} orders`} (load average now ${await load()})`,
    );
  }
}
await askEveryOrder(dayId);

const storeCount = Number(values.stores);
if (storeCount > 0) await manyStoresClosing(storeCount, Number(values["per-store"]));
await t.close();
await emulator.stop();
await embedded?.stop();
process.exit(0);

async function openDay(name: string) {
  const { storeId } = await seedStore(t.deps, { name });
  await readyDay(t.deps, storeId);
  await moveDay(t.deps, storeId, "open");
  return { storeId, dayId: (await t.deps.redis.hget(t.deps.keys.day(storeId), "dayId"))! };
}

async function closeAll(days: { storeId: string; dayId: string }[]) {
  await Promise.all(
    days.map(async ({ storeId, dayId }) => {
      await moveDay(t.deps, storeId, "closing");
      const last = await t.deps.redis.hget(t.deps.keys.day(storeId), "lastEntryId");
      await closeDay(t.deps, storeId, `${dayId}:${last}`);
    }),
  );
}

/**
 * Runs `work` once, measuring wall time, CPU of this process and of the emulator, and the
 * longest event-loop stall (a 1 ms timer's lateness: what an API request would have waited).
 */
async function measured<T>(work: () => Promise<T>) {
  const out = {
    ms: 0,
    appCpu: 0,
    emuCpu: 0,
    stall: 0,
    run: async () => {
      await emulator.call<EmulatorSnapshot>("snapshot");
      const cpu = process.cpuUsage();
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        out.stall = Math.max(out.stall, now - last - 1);
        last = now;
      }, 1);
      const started = performance.now();
      try {
        return await work();
      } finally {
        out.ms = performance.now() - started;
        clearInterval(timer);
        const used = process.cpuUsage(cpu);
        out.appCpu = (used.user + used.system) / 1000;
        out.emuCpu = (await emulator.call<EmulatorSnapshot>("snapshot")).cpuUs / 1000;
      }
    },
    describe: () =>
      `CPU: this process ${out.appCpu.toFixed(0)} ms, KakaoPay emulator ${out.emuCpu.toFixed(0)} ms; longest event-loop stall ${out.stall.toFixed(0)} ms`,
  };
  return out;
}

function showPhases(times: PhaseTimes) {
  const phases = Object.entries(times)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(", ");
  return `phases (ms; stream overlaps orders and live): ${phases}`;
}

/** The reference: what asking KakaoPay's order status for every order of the day costs. */
async function askEveryOrder(dayId: string) {
  const tids = (
    await t.deps.db
      .select({ tid: payments.tid })
      .from(payments)
      .innerJoin(orders, eq(orders.id, payments.orderId))
      .where(eq(orders.dayId, dayId))
  ).map((r) => r.tid!);
  const m = await measured(() =>
    inBatches(tids, (tid) => t.deps.kakaopay.order(tid), STATUS_CONCURRENCY),
  );
  await m.run();
  console.log(
    `reference: KakaoPay's order status for all ${tids.length} orders (${STATUS_CONCURRENCY} in flight) ${m.ms.toFixed(0)} ms; ${m.describe()}`,
  );
}

/** `count` stores of `perStore` captured orders each, all closed at once; the worker reports them. */
async function manyStoresClosing(count: number, perStore: number) {
  // The busy day above was accounted by hand: its queued job is not this case's.
  await t.deps.queues.accounting.drain();
  const stores: { storeId: string; dayId: string }[] = [];
  const seeded = performance.now();
  for (let i = 0; i < count; i++) {
    const day = await openDay(`정산 매장 ${i}`);
    await seedBusyDay(t.deps, t.deps.kakaopay, emu.url, day.storeId, day.dayId, perStore);
    stores.push(day);
  }
  console.log(
    `seeded ${count} stores × ${perStore} captured orders in ${((performance.now() - seeded) / 1000).toFixed(1)} s (load average ${await load()})`,
  );
  const worker = accountingWorker(t.deps, redisOptionsFromUrl(process.env.TEST_REDIS_URL!));
  await worker.waitUntilReady();
  let closedMs = 0;
  const m = await measured(async () => {
    const started = performance.now();
    await closeAll(stores);
    closedMs = performance.now() - started;
    for (;;) {
      const c = await t.deps.queues.accounting.getJobCounts("completed", "failed");
      if ((c.completed ?? 0) + (c.failed ?? 0) >= count || performance.now() - started > 300_000)
        return c;
      await Bun.sleep(20);
    }
  });
  const counts = await m.run();
  await worker.close();
  const jobs = await t.deps.queues.accounting.getJobs(["completed"]);
  const summed: PhaseTimes = {};
  let longestJob = 0;
  for (const job of jobs) {
    for (const [k, v] of Object.entries(job.returnvalue?.ms ?? {}))
      summed[k] = (summed[k] ?? 0) + v;
    longestJob = Math.max(longestJob, (job.finishedOn ?? 0) - (job.processedOn ?? 0));
  }
  const done = counts.completed ?? 0;
  console.log(
    `${count} stores closing at once: ${done} reports (${counts.failed ?? 0} failed) in ${(m.ms / 1000).toFixed(2)} s from the first close ` +
      `(closes ${closedMs.toFixed(0)} ms; ${((count * perStore) / (m.ms / 1000)).toFixed(0)} orders/s; accounting worker concurrency ${t.deps.config.accountingConcurrency}; longest job ${longestJob} ms) — ` +
      `goal < 10 s: ${done === count && m.ms < 10_000 ? "met" : "missed"} (load average now ${await load()})`,
  );
  console.log(`  summed over the jobs, ${showPhases(summed)}; ${m.describe()}`);
}
