/**
 * Skill-route latency under open-loop load, against a bare reference in the same run.
 *
 *   bun run bench:skills [--rates 200,500,1000] [--seconds 3] [--routes stores,menu,cart/add,cart,orders/place]
 *                        [--profile DIR]
 *
 * The real app (bench/ordersServer.ts, ROLE=all, real Redis + SQLite, the KakaoPay emulator in its
 * own process) and a bare `Bun.serve` (bench/skillsBare.ts, answering each path with a JSON body
 * of the size the app answered) are driven by the same client (this process), one route at a
 * time, at fixed rates: request i is due at t0 + i ÷ rate and sent then whatever is still in
 * flight, and its latency runs from that *scheduled* time to the end of its body — so queueing in
 * the client, the kernel or the server is counted (no coordinated omission). Per route: p50,
 * p99, max, errors, and the ratio of the app's p99 to the bare server's at the same rate.
 * Routes run in the order a customer meets them: cart/add fills one cart per request (a new
 * customer each), cart shows those carts, orders/place orders them (a KakaoPay ready each).
 * The per-customer and per-store abuse limits are off (one store stands in for many), as in
 * bench:orders. Prints the load average; asserts nothing about timing.
 * Per route, what the app spent on each request, from its own counters (robust to a busy box,
 * unlike latencies): CPU µs of the app process, Redis commands (INFO commandstats; the idle
 * BullMQ workers' few polls included), SQLite statement runs, and the handler's own time.
 * --profile DIR writes Bun's CPU profile of the app (.cpuprofile + .md) and prints a summary.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { redisOptionsFromUrl, startEmbeddedRedis } from "../src/infra/embeddedRedis.ts";
import { skillPayload } from "../test/helpers/skill.ts";
import { summarizeProfile } from "./ordersProfile.ts";
import type { OrdersServerSetup, ServerSnapshot } from "./ordersServer.ts";
import { Child } from "./rpc.ts";

const ROUTES = ["stores", "menu", "cart/add", "cart", "orders/place"] as const;
type Route = (typeof ROUTES)[number];

const { values } = parseArgs({
  options: {
    rates: { type: "string", default: "200,500,1000" },
    seconds: { type: "string", default: "3" },
    routes: { type: "string", default: ROUTES.join(",") },
    profile: { type: "string" },
  },
});
const rates = values.rates
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const seconds = Math.max(1, Number(values.seconds) || 3);
const routes = values.routes.split(",").filter((r): r is Route => ROUTES.includes(r as Route));
const here = import.meta.dir;
const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "-");
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

type Stats = { n: number; p50: number; p99: number; max: number; errors: number };
function stats(ms: number[], errors: number): Stats {
  const s = Float64Array.from(ms).sort();
  const at = (p: number) =>
    s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
  return { n: s.length, p50: at(50), p99: at(99), max: s[s.length - 1] ?? Number.NaN, errors };
}

/** Redis commands processed so far (every command but INFO itself). */
async function redisCommands(redis: Redis) {
  let calls = 0;
  for (const line of (await redis.info("commandstats")).split("\n")) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (m && m[1] !== "info") calls += Number(m[2]);
  }
  return calls;
}

/** What the app spent per request of one route. */
type Cost = {
  cpuUs: number;
  /** the bare server's CPU per request at the same rate */
  bareCpuUs?: number;
  redis: number;
  sql: number;
  handlerP50: number;
  handlerP99: number;
  /** what the handler waited on, p50/p99 ms: KakaoPay calls, SQLite transactions, event-loop lag */
  waits: string;
};

type Target = { url: string; skillKey: string };
/** customers with a filled cart at this rate: botUserKey → cart version */
const carts = new Map<string, number>();

function body(route: Route, i: number, tag: string, setup: OrdersServerSetup) {
  const user = `sk-${tag}-${i}`;
  const item = setup.items[i % setup.items.length]!;
  if (route === "stores") return skillPayload(user, { params: { query: "벤치" } });
  if (route === "menu") return skillPayload(user, { clientExtra: { storeId: setup.storeId } });
  if (route === "cart/add")
    return skillPayload(user, {
      clientExtra: { itemId: item.itemId, qty: 1, options: item.options },
    });
  if (route === "cart") return skillPayload(user);
  return skillPayload(user, { clientExtra: { cartVersion: carts.get(user) ?? 1 } });
}

/** One route at `rate` for `seconds`: latencies from each request's scheduled time. */
async function openLoop(
  target: Target,
  route: Route,
  rate: number,
  tag: string,
  setup: OrdersServerSetup,
  keep: boolean,
) {
  const total = Math.round(rate * seconds);
  const bodies = Array.from({ length: total }, (_, i) =>
    JSON.stringify(body(route, i, tag, setup)),
  );
  const ms: number[] = [];
  const sizes: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  const t0 = performance.now() + 10;
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    // No busy-wait for the last fraction of a ms: on a 2-core box the spinning client would take
    // a core from the servers. A late start is still timed from its scheduled time.
    if (wait > 0.5) await Bun.sleep(wait);
    inflight.push(
      fetch(`${target.url}/kakao/skill/${route}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-skill-key": target.skillKey },
        body: bodies[i],
        signal: AbortSignal.timeout(10_000),
      })
        .then(async (res) => {
          const text = await res.text();
          ms.push(performance.now() - due);
          sizes.push(text.length);
          if (res.status !== 200) errors++;
          else if (keep && route === "cart/add") {
            const v = /"cartVersion":(\d+)/.exec(text)?.[1];
            if (v) carts.set(`sk-${tag}-${i}`, Number(v));
          }
        })
        .catch(() => {
          errors++;
        }),
    );
  }
  await Promise.all(inflight);
  sizes.sort((a, b) => a - b);
  return { stats: stats(ms, errors), size: sizes[sizes.length >> 1] ?? 0 };
}

async function main() {
  // Bun's fetch holds 256 requests in flight unless told more: at 1,000/s a slow server would
  // otherwise be measured through the client's own queue. The setting is read at start: re-run.
  if (!process.env.BUN_CONFIG_MAX_HTTP_REQUESTS) {
    const child = Bun.spawn([process.execPath, ...process.argv.slice(1)], {
      env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" },
      stdio: ["inherit", "inherit", "inherit"],
    });
    process.exit(await child.exited);
  }
  const redisDir = mkdtempSync(join(tmpdir(), "so-bench-skills-redis-"));
  const dataDir = mkdtempSync(join(tmpdir(), "so-bench-skills-"));
  const redis = process.env.REDIS_URL ? null : await startEmbeddedRedis({ dataDir: redisDir });
  const redisUrl = process.env.REDIS_URL ?? redis!.url;
  const emulator = new Child("emulator", join(here, "ordersEmulator.ts"), [], {});
  const bare = new Child("bare", join(here, "skillsBare.ts"), [], {});
  let app: Child | null = null;
  const observer = new Redis({
    ...redisOptionsFromUrl(redisUrl),
    connectionName: "bench-observer",
  });
  const profileDir = values.profile ? resolve(values.profile) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  console.log(
    `# cpus ${cpus().length}; load average at start ${load()}; rates ${rates.join(",")}/s × ${seconds} s each route`,
  );
  try {
    const emu = await emulator.call<{ url: string; env: Record<string, string> }>("setup");
    app = new Child(
      "app",
      join(here, "ordersServer.ts"),
      [],
      {
        ...emu.env,
        TEST_REDIS_URL: redisUrl,
        BENCH_DATA_DIR: dataDir,
        BENCH_PREFIX: `s${Bun.randomUUIDv7().replaceAll("-", "").slice(-12)}`,
      },
      profileDir
        ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${profileDir}`, "--cpu-prof-name=app"]
        : [],
    );
    const setup = await app.call<OrdersServerSetup>("setup", null, 60_000);
    const bareUrl = (await bare.call<{ url: string }>("setup")).url;
    const appTarget = { url: setup.url, skillKey: setup.skillKey };
    const bareTarget = { url: bareUrl, skillKey: "" };

    // Warm-up (JIT, pools, SQLite pages) on every route, and the response sizes for the bare server.
    const sizes: Record<string, number> = {};
    for (const route of routes) {
      const r = await openLoop(appTarget, route, 200, "warm", setup, true);
      sizes[`/kakao/skill/${route}`] = r.size;
    }
    await bare.call("sizes", sizes);
    for (const route of routes) await openLoop(bareTarget, route, 200, "warm", setup, false);
    console.log(
      `# response sizes (bytes, the bare server answers the same): ${Object.entries(sizes)
        .map(([p, s]) => `${p.slice(13)} ${s}`)
        .join(", ")}`,
    );

    // What the app burns with no request at all (the idle workers' polls, timers): taken out of
    // each route's CPU per request below.
    await app.call<ServerSnapshot>("snapshot");
    await Bun.sleep(2000);
    const idle = await app.call<ServerSnapshot>("snapshot");
    const idleUsPerMs = idle.cpuUs / idle.wallMs;
    console.log(`# app idle: ${f(idleUsPerMs * 1000, 0)} µs CPU per s`);

    const rows: { rate: number; route: Route; app: Stats; bare: Stats }[] = [];
    const costs: { rate: number; route: Route; cost: Cost }[] = [];
    for (const rate of rates) {
      const got: Partial<Record<Route, Stats>> = {};
      for (const route of routes) {
        await Bun.sleep(200);
        await app.call<ServerSnapshot>("snapshot");
        const redisBefore = await redisCommands(observer);
        got[route] = (await openLoop(appTarget, route, rate, `r${rate}`, setup, true)).stats;
        const redisAfter = await redisCommands(observer);
        const snap = await app.call<ServerSnapshot>("snapshot");
        const n = Math.max(1, got[route]!.n);
        const handler = snap.routes[`/${route}`];
        costs.push({
          rate,
          route,
          cost: {
            cpuUs: (snap.cpuUs - idleUsPerMs * snap.wallMs) / n,
            redis: (redisAfter - redisBefore - 1) / n,
            sql: snap.sqliteExecs / n,
            handlerP50: handler?.p50 ?? Number.NaN,
            handlerP99: handler?.p99 ?? Number.NaN,
            waits: [
              ...Object.entries(snap.kakaopay).map(
                ([op, t]) => `KakaoPay ${op} ${f(t.p50, 1)}/${f(t.p99, 1)}`,
              ),
              ...(snap.sqliteTx.n
                ? [`SQLite tx ${f(snap.sqliteTx.p50, 2)}/${f(snap.sqliteTx.p99, 1)}`]
                : []),
              ...(snap.sqliteSlowExecs
                ? [
                    `SQLite runs > 1 ms: ${snap.sqliteSlowExecs}, ${f(snap.sqliteSlowExecMs, 0)} ms in all`,
                  ]
                : []),
              `loop lag ${f(snap.loopLag.p50, 1)}/${f(snap.loopLag.p99, 1)}`,
            ].join(", "),
          },
        });
      }
      for (const route of routes) {
        await Bun.sleep(200);
        const before = await bare.call<NodeJS.CpuUsage>("cpu");
        const b = (await openLoop(bareTarget, route, rate, `r${rate}`, setup, false)).stats;
        const after = await bare.call<NodeJS.CpuUsage>("cpu");
        rows.push({ rate, route, app: got[route]!, bare: b });
        const cost = costs.find((c) => c.rate === rate && c.route === route);
        if (cost) {
          const us = after.user + after.system - before.user - before.system;
          cost.cost.bareCpuUs = us / Math.max(1, b.n);
        }
      }
      console.log(`# ${rate}/s done; load average ${load()}`);
    }

    console.log("");
    console.log(
      "rate/s  route           app p50    p99     max  err | bare p50   p99    max | p99 ÷ bare",
    );
    for (const r of rows) {
      console.log(
        [
          String(r.rate).padStart(6),
          r.route.padEnd(14),
          f(r.app.p50, 2).padStart(8),
          f(r.app.p99, 2).padStart(7),
          f(r.app.max, 1).padStart(7),
          String(r.app.errors).padStart(4),
          " |",
          f(r.bare.p50, 2).padStart(7),
          f(r.bare.p99, 2).padStart(6),
          f(r.bare.max, 1).padStart(6),
          " |",
          f(r.app.p99 / r.bare.p99, 1).padStart(8),
        ].join(" "),
      );
    }
    console.log(
      "(ms from each request's scheduled send time to the end of its answer; err = non-200 or no answer in 10 s)",
    );
    console.log("");
    console.log(
      "rate/s  route          app CPU µs/req (bare)  Redis cmds/req  SQL runs/req | handler p50   p99  waits p50/p99",
    );
    for (const { rate, route, cost } of costs) {
      console.log(
        [
          String(rate).padStart(6),
          route.padEnd(14),
          f(cost.cpuUs, 0).padStart(14),
          `(${f(cost.bareCpuUs ?? Number.NaN, 0)})`.padStart(6),
          f(cost.redis, 1).padStart(15),
          f(cost.sql, 1).padStart(13),
          " |",
          f(cost.handlerP50, 2).padStart(10),
          f(cost.handlerP99, 2).padStart(6),
          ` ${cost.waits}`,
        ].join(" "),
      );
    }
    console.log(
      "(the app process's CPU above its idle the commands Redis ran over the route's window, ÷ its requests; handler = the app's own time per request, ms)",
    );
    const at500 = rows.filter((r) => r.rate === 500);
    if (at500.length) {
      const met = at500.every((r) => r.app.p99 < 15 && r.app.p99 <= 3 * r.bare.p99);
      console.log(
        `goal at 500/s: p99 < 15 ms and ≤ 3× the bare p99 on every route — ${met ? "met" : "missed"} (${at500
          .map((r) => `${r.route} ${f(r.app.p99)} ms = ${f(r.app.p99 / r.bare.p99)}×`)
          .join(", ")})`,
      );
    }
    console.log(`# load average at end ${load()}`);
  } finally {
    observer.disconnect();
    await app?.stop();
    await bare.stop();
    await emulator.stop();
    await redis?.stop();
    rmSync(redisDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (profileDir) {
    const file = join(profileDir, "app.cpuprofile");
    if (await Bun.file(file).exists()) await summarizeProfile(file, "", 30);
  }
  process.exit(0);
}

await main();
