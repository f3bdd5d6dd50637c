/**
 * Soak: many paid orders in ONE app process at a steady rate, watching its memory and event loop.
 *
 *   bun run bench:soak [--orders 30000] [--rate 200] [--cap 512]
 *
 * The processes of bench:orders (the real app as ROLE=all with its workers, the KakaoPay emulator,
 * the client with the store's live feed; Redis embedded): every order is a new customer —
 * cart/add, place, the emulator's approve, our approval page — started open-loop at --rate.
 * Every second the app's RSS, its event-loop lag (10 ms timer: p99 and max of that second) and
 * CPU are sampled and printed as a small chart. Goals: RSS flat after warm-up (the last sample
 * within 10 % of the one at 20 % of the run), lag p99 over the whole run < 20 ms. Prints the
 * load average; asserts nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedRedis } from "../src/infra/embeddedRedis.ts";
import type { ClientInit } from "./ordersClient.ts";
import type { OrdersServerSetup, ServerSnapshot } from "./ordersServer.ts";
import { Child } from "./rpc.ts";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "30000" },
    rate: { type: "string", default: "200" },
    cap: { type: "string", default: "512" },
  },
});
const total = Math.max(1, Number(values.orders) || 30_000);
const rate = Math.max(1, Number(values.rate) || 200);
const cap = Math.max(1, Number(values.cap) || 512);
const here = import.meta.dir;
const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "-");
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

type Sample = {
  s: number;
  rssMb: number;
  lagP99: number;
  lagMax: number;
  cores: number;
  paid: number;
};

function percentile(values: number[], p: number) {
  const s = Float64Array.from(values).sort();
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
}

function chart(samples: Sample[]) {
  const rows = 20;
  const step = Math.max(1, Math.ceil(samples.length / rows));
  const maxRss = Math.max(...samples.map((x) => x.rssMb));
  console.log(
    "   t s   RSS MB                                           lag p99 ms  max ms  cores   paid",
  );
  for (let i = 0; i < samples.length; i += step) {
    const x = samples[i]!;
    const bar = "█".repeat(Math.round((x.rssMb / maxRss) * 40)).padEnd(40);
    console.log(
      `${String(x.s).padStart(6)}  ${f(x.rssMb, 0).padStart(5)} ${bar}  ${f(x.lagP99).padStart(9)} ${f(x.lagMax).padStart(7)} ${f(x.cores, 2).padStart(6)} ${String(x.paid).padStart(6)}`,
    );
  }
}

async function main() {
  const redisDir = mkdtempSync(join(tmpdir(), "so-bench-soak-redis-"));
  const dataDir = mkdtempSync(join(tmpdir(), "so-bench-soak-"));
  const redis = process.env.REDIS_URL ? null : await startEmbeddedRedis({ dataDir: redisDir });
  const redisUrl = process.env.REDIS_URL ?? redis!.url;
  const emulator = new Child("emulator", join(here, "ordersEmulator.ts"), [], {});
  let app: Child | null = null;
  let client: Child | null = null;
  console.log(
    `# cpus ${cpus().length}; load average at start ${load()}; ${total} orders at ${rate}/s (≈ ${f(total / rate, 0)} s), in-flight cap ${cap}`,
  );
  try {
    const emu = await emulator.call<{ url: string; env: Record<string, string> }>("setup");
    app = new Child("app", join(here, "ordersServer.ts"), [], {
      ...emu.env,
      TEST_REDIS_URL: redisUrl,
      BENCH_DATA_DIR: dataDir,
      BENCH_PREFIX: `k${Bun.randomUUIDv7().replaceAll("-", "").slice(-12)}`,
    });
    const setup = await app.call<OrdersServerSetup>("setup", null, 60_000);
    client = new Child("client", join(here, "ordersClient.ts"), [], {
      BUN_CONFIG_MAX_HTTP_REQUESTS: String(cap * 2),
    });
    await client.call("init", {
      serverUrl: setup.url,
      emulatorUrl: emu.url,
      cookie: setup.cookie,
      skillKey: setup.skillKey,
      items: setup.items,
    } satisfies ClientInit);
    await app.call("snapshot");
    const samples: Sample[] = [];
    const lags: number[] = [];
    let done = false;
    const running = client
      .call<{
        paid: number;
        pagesPaid: number;
        shed: number;
        errors: Record<string, number>;
        ms: number;
      }>("soak", { rate, total, cap }, (total / rate) * 1000 + 120_000)
      .finally(() => {
        done = true;
      });
    const t0 = performance.now();
    while (!done) {
      await Bun.sleep(1000);
      const snap = await app.call<ServerSnapshot>("snapshot", { lagValues: true });
      const status = await client.call<{ paid: number }>("soakStatus");
      for (const v of snap.lagValues ?? []) lags.push(v);
      samples.push({
        s: Math.round((performance.now() - t0) / 1000),
        rssMb: snap.rssMb,
        lagP99: snap.loopLag.p99,
        lagMax: snap.loopLag.max,
        cores: snap.cpuUs / 1000 / snap.wallMs,
        paid: status.paid,
      });
    }
    const result = await running;
    const check = await app.call<{ byStatus: Record<string, number>; orderCount: number }>(
      "counts",
      {
        storeId: setup.storeId,
      },
    );
    console.log("");
    chart(samples);
    const warm = samples[Math.floor(samples.length * 0.2)];
    const last = samples[samples.length - 1];
    const growth = warm && last ? (last.rssMb - warm.rssMb) / warm.rssMb : Number.NaN;
    const lagP99 = percentile(lags, 99);
    const errs = Object.entries(result.errors);
    console.log("");
    console.log(
      `paid ${result.paid} of ${total} (order.paid on the feed; ${result.pagesPaid} approval pages showed the pickup number within their wait) ` +
        `in ${f(result.ms / 1000, 1)} s (${f((result.paid / result.ms) * 1000, 0)}/s), shed ${result.shed}, ` +
        `errors ${errs.length ? errs.map(([k, v]) => `${k} ×${v}`).join("; ") : 0}`,
    );
    console.log(
      `check: SQLite orders ${JSON.stringify(check.byStatus)}; day orderCount ${check.orderCount}`,
    );
    console.log(
      `RSS ${f(warm?.rssMb ?? Number.NaN, 0)} MB at ${warm?.s ?? "-"} s (20 % of the run) → ${f(last?.rssMb ?? Number.NaN, 0)} MB at the end: ` +
        `${f(growth * 100, 1)} % (goal < 10 %: ${growth < 0.1 ? "met" : "missed"}); ` +
        `event-loop lag over the run p50 ${f(percentile(lags, 50))} p99 ${f(lagP99)} max ${f(Math.max(...lags))} ms ` +
        `(goal p99 < 20 ms: ${lagP99 < 20 ? "met" : "missed"})`,
    );
    console.log(`# load average at end ${load()}`);
  } finally {
    await client?.stop();
    await app?.stop();
    await emulator.stop();
    await redis?.stop();
    rmSync(redisDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}

await main();
