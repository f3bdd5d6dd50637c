import { afterAll, expect, test } from "bun:test";
import { ACCOUNTING_KAKAOPAY_SHARE } from "../../src/accounting/reconcile.ts";
import { loadReport } from "../../src/accounting/report.ts";
import { loadConfig } from "../../src/config.ts";
import { redisOptionsFromUrl } from "../../src/infra/embeddedRedis.ts";
import { closeDay, moveDay, readyDay } from "../../src/store/day/dayBusiness.ts";
import { accountingWorker } from "../../workers/accounting.ts";
import { seedBusyDay } from "../helpers/bulkDay.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { makeTestDeps, redisUrl, seedStore } from "../helpers/testDeps.ts";

const emu = startTestEmulator();
const t = makeTestDeps({ env: { ...emu.env, ACCOUNTING_CONCURRENCY: "3" } });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

test("ACCOUNTING_CONCURRENCY: 8 closed days at once by default; a bad value is one line", () => {
  expect(loadConfig({}).accountingConcurrency).toBe(8);
  expect(loadConfig({ ACCOUNTING_CONCURRENCY: "3" }).accountingConcurrency).toBe(3);
  expect(() => loadConfig({ ACCOUNTING_CONCURRENCY: "0" })).toThrow(/ACCOUNTING_CONCURRENCY/);
});

test("stores closing at once: the worker, ACCOUNTING_CONCURRENCY jobs at a time, reports every day whole and leaves live payments their KakaoPay slots", async () => {
  const worker = accountingWorker(t.deps, redisOptionsFromUrl(redisUrl()));
  expect(worker.concurrency).toBe(3);
  const days: { storeId: string; dayId: string; gross: number }[] = [];
  for (let i = 0; i < 4; i++) {
    const { storeId } = await seedStore(t.deps, { name: `동시 마감 ${i}` });
    await readyDay(t.deps, storeId);
    await moveDay(t.deps, storeId, "open");
    const dayId = (await t.deps.redis.hget(t.deps.keys.day(storeId), "dayId"))!;
    const { gross } = await seedBusyDay(t.deps, t.deps.kakaopay, emu.url, storeId, dayId, 30);
    await moveDay(t.deps, storeId, "closing");
    days.push({ storeId, dayId, gross });
  }
  // What the customers' live payments in this process would find taken: the accounting jobs
  // together keep to their share of the KakaoPay client's slots.
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, t.deps.kakaopay.guard.inFlight());
  }, 1);
  await Promise.all(
    days.map(async ({ storeId, dayId }) => {
      const last = await t.deps.redis.hget(t.deps.keys.day(storeId), "lastEntryId");
      await closeDay(t.deps, storeId, `${dayId}:${last}`);
    }),
  );
  const results = await Promise.all(
    days.map(async ({ dayId }) => {
      for (;;) {
        const job = await t.deps.queues.accounting.getJob(dayId);
        // Read again once completed: the copy fetched before it completed has no return value.
        if (job && (await job.isCompleted()))
          return (await t.deps.queues.accounting.getJob(dayId))?.returnvalue;
        if (job && (await job.isFailed())) throw new Error(job.failedReason);
        await Bun.sleep(20);
      }
    }),
  );
  clearInterval(sampler);
  await worker.close();
  expect(peak).toBeGreaterThan(0);
  expect(peak).toBeLessThanOrEqual(ACCOUNTING_KAKAOPAY_SHARE);
  expect(t.deps.kakaopay.guard.maxConcurrent - ACCOUNTING_KAKAOPAY_SHARE).toBeGreaterThanOrEqual(
    48,
  );
  for (const [i, { dayId, gross }] of days.entries()) {
    expect(results[i]).toMatchObject({ orderCount: 30, netAmount: gross, findings: 0 });
    expect(Object.keys(results[i]!.ms ?? {})).toContain("report");
    const report = await loadReport(t.deps, dayId);
    expect(report).toMatchObject({ orderCount: 30, grossAmount: gross, findings: [] });
    expect(report?.kakaoPay).toEqual({ asked: 30, approvalRecorded: 30 });
  }
}, 60_000);
