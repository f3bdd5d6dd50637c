/**
 * Server side of the orders bench, run as a child of bench/orders.ts: the real app (Hono API,
 * skill routes, approval routes, SSE feeds) AND the BullMQ workers in this one process, as
 * `bun run start` with ROLE=all runs them, on 127.0.0.1 (port 0), real SQLite in a temp dir,
 * Redis at TEST_REDIS_URL, KakaoPay = the emulator child (env from the orchestrator).
 *
 * Instrumentation, all inside this bench file (nothing in src/ changes): each KakaoPay client
 * call is timed by wrapping `deps.kakaopay`; the payment worker's `completed` events give each
 * job's queue wait and run time; the route handler is timed per route class; an interval timer
 * samples event-loop lag; `process.cpuUsage()` gives this process's CPU. `snapshot` returns what
 * was collected since the previous snapshot and starts afresh.
 */
import { rmSync } from "node:fs";
import type { Job } from "bullmq";
import { redisOptionsFromUrl } from "../src/infra/embeddedRedis.ts";
import { queueNames } from "../src/infra/queues.ts";
import { moveDay, readyDay } from "../src/store/day/dayBusiness.ts";
import { addMenuItems } from "../src/store/menu/menu.ts";
import { login, makeTestDeps, redisUrl, seedStore } from "../test/helpers/testDeps.ts";
import { startWorkers } from "../workers/index.ts";
import { memory, serveRpc } from "./rpc.ts";

export type OrdersServerSetup = {
  port: number;
  url: string;
  /** the store session's cookie: the feed is opened with it */
  cookie: string;
  skillKey: string;
  storeId: string;
  /** what cart/add may put in a cart: itemId, and the options a required group needs */
  items: { itemId: string; options: Record<string, string> }[];
  prefix: string;
};

export type Timings = { n: number; p50: number; p99: number; max: number; sumMs: number };
export type ServerSnapshot = {
  cpuUs: number;
  wallMs: number;
  kakaopay: Record<string, Timings>;
  routes: Record<string, Timings>;
  /** payment jobs completed: queue wait (added → processedOn) and run (processedOn → finishedOn) */
  jobWait: Timings;
  jobRun: Timings;
  jobsFailed: number;
  /** event-loop lag samples of a 10 ms interval timer */
  loopLag: Timings;
  rssMb: number;
  /** SQLite statements compiled (drizzle prepares one per query it runs), and their compile time */
  sqlitePrepares: number;
  sqlitePrepareMs: number;
  /** bun:sqlite `query` calls (cached statements) */
  sqliteQueries: number;
};

// --- collectors -------------------------------------------------------------------------------
const samples = new Map<string, number[]>();
const record = (name: string, ms: number) => {
  const arr = samples.get(name);
  if (arr) arr.push(ms);
  else samples.set(name, [ms]);
};
let jobsFailed = 0;

function timings(values: number[] | undefined): Timings {
  const s = Float64Array.from(values ?? []).sort();
  const at = (p: number) =>
    s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
  let sum = 0;
  for (const v of s) sum += v;
  return { n: s.length, p50: at(50), p99: at(99), max: s[s.length - 1] ?? Number.NaN, sumMs: sum };
}

const LAG_TICK_MS = 10;
let lastTick = performance.now();
setInterval(() => {
  const now = performance.now();
  record("lag", Math.max(0, now - lastTick - LAG_TICK_MS));
  lastTick = now;
}, LAG_TICK_MS);

const routeClass = (path: string) =>
  path.startsWith("/kakao/skill/")
    ? path.slice("/kakao/skill".length)
    : path.startsWith("/pay/kakaopay/")
      ? `/pay/kakaopay/:id/${path.slice(path.lastIndexOf("/") + 1)}`
      : path === "/store/events"
        ? null // resolves at headers; nothing to learn
        : "other";

// --- the app ----------------------------------------------------------------------------------
type Handler = (req: Request, srv: Bun.Server<undefined>) => Response | Promise<Response>;
let handler: Handler | null = null;
// Bound first so that PUBLIC_URL (KakaoPay's approval_url) can name the real port. Same
// idleTimeout as src/server.ts.
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 60,
  async fetch(req, srv) {
    if (!handler) return new Response("starting", { status: 503 });
    const path = new URL(req.url).pathname;
    const cls = routeClass(path);
    if (!cls) return handler(req, srv);
    const started = performance.now();
    const res = await handler(req, srv);
    record(`route ${cls}`, performance.now() - started);
    return res;
  },
});
const url = `http://127.0.0.1:${server.port}`;

// makeTestDeps' loadConfig reads only what `env` names (not process.env): pass the emulator's.
const EMULATOR_ENV = [
  "KAKAOPAY_BASE_URL",
  "KAKAOPAY_SECRET_KEY",
  "KAKAO_EVENT_API_URL",
  "KAKAO_REST_API_KEY",
  "KAKAO_BOT_ID",
  "EMULATOR_PUBLIC_URL",
] as const;
const env: Record<string, string> = { PUBLIC_URL: url, LOG_LEVEL: "silent" };
for (const name of EMULATOR_ENV) {
  const value = process.env[name];
  if (!value) throw new Error(`ordersServer: ${name} is not set (the orchestrator passes it)`);
  env[name] = value;
}
const t = makeTestDeps({ env });

// Every KakaoPay client call, timed (same functions, same deps object the app and workers use).
{
  const kp = t.deps.kakaopay;
  const timed =
    <A extends unknown[], R>(op: string, fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      const started = performance.now();
      try {
        return await fn(...a);
      } finally {
        record(`kakaopay ${op}`, performance.now() - started);
      }
    };
  t.deps.kakaopay = {
    ...kp,
    ready: timed("ready", kp.ready),
    approve: timed("approve", kp.approve),
    cancel: timed("cancel", kp.cancel),
    order: timed("order", kp.order),
  };
}

// Every SQLite statement compiled (bun:sqlite `prepare`, which drizzle calls for each query it
// runs), counted and timed; `query` (bun:sqlite's cached statements) counted apart.
const sqlite = t.deps.db.$client;
const sqliteCounts = { prepare: 0, prepareMs: 0, query: 0 };
{
  const prepare = sqlite.prepare.bind(sqlite);
  const query = sqlite.query.bind(sqlite);
  sqlite.prepare = ((...args: Parameters<typeof prepare>) => {
    const started = performance.now();
    try {
      return prepare(...args);
    } finally {
      sqliteCounts.prepare++;
      sqliteCounts.prepareMs += performance.now() - started;
    }
  }) as typeof sqlite.prepare;
  sqlite.query = ((...args: Parameters<typeof query>) => {
    sqliteCounts.query++;
    return query(...args);
  }) as typeof sqlite.query;
}

// The workers, started as bootstrap.ts does with `workers: true` (startWorkers on the same deps),
// here by hand so that the payment worker's events can be observed.
const workers = startWorkers(t.deps, redisOptionsFromUrl(redisUrl()));
const paymentWorker = workers.workers.find((w) => w.name === queueNames.payment);
if (!paymentWorker) throw new Error("ordersServer: no payment worker");
paymentWorker.on("completed", (job: Job) => {
  if (job.processedOn && job.finishedOn) {
    record("jobWait", job.processedOn - job.timestamp);
    record("jobRun", job.finishedOn - job.processedOn);
  }
});
paymentWorker.on("failed", () => {
  jobsFailed++;
});
handler = (req, srv) => t.app.fetch(req, srv);

let lastCpu = process.cpuUsage();
let lastWall = performance.now();

serveRpc({
  /** One store with a small menu; one real login (its session feeds the bench); day READY → OPEN. */
  setup: async (): Promise<OrdersServerSetup> => {
    const store = await seedStore(t.deps, { name: "벤치 카페" });
    const [latte, americano, cookie] = addMenuItems(t.deps.db, store.storeId, [
      {
        name: "카페라떼",
        price: 5000,
        category: "커피",
        soldOut: false,
        optionGroups: [
          {
            name: "온도",
            required: true,
            choices: [
              { name: "핫", priceDelta: 0 },
              { name: "아이스", priceDelta: 500 },
            ],
          },
        ],
      },
      { name: "아메리카노", price: 4500, category: "커피", soldOut: false, optionGroups: [] },
      { name: "쿠키", price: 3000, category: "디저트", soldOut: false, optionGroups: [] },
    ]);
    const { res, cookie: session } = await login(t.app, store, { addr: "10.9.0.2" });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    await readyDay(t.deps, store.storeId);
    await moveDay(t.deps, store.storeId, "open");
    return {
      port: server.port ?? 0,
      url,
      cookie: session,
      skillKey: t.deps.config.skillKey ?? "",
      storeId: store.storeId,
      items: [
        { itemId: latte!.itemId, options: { 온도: "아이스" } },
        { itemId: americano!.itemId, options: {} },
        { itemId: cookie!.itemId, options: {} },
      ],
      prefix: t.prefix,
    };
  },

  /** What was collected since the previous snapshot; starts afresh. */
  snapshot: (): ServerSnapshot => {
    const cpu = process.cpuUsage(lastCpu);
    const now = performance.now();
    const out: ServerSnapshot = {
      cpuUs: cpu.user + cpu.system,
      wallMs: now - lastWall,
      kakaopay: {},
      routes: {},
      jobWait: timings(samples.get("jobWait")),
      jobRun: timings(samples.get("jobRun")),
      jobsFailed,
      loopLag: timings(samples.get("lag")),
      rssMb: process.memoryUsage().rss / 1024 / 1024,
      sqlitePrepares: sqliteCounts.prepare,
      sqlitePrepareMs: sqliteCounts.prepareMs,
      sqliteQueries: sqliteCounts.query,
    };
    sqliteCounts.prepare = 0;
    sqliteCounts.prepareMs = 0;
    sqliteCounts.query = 0;
    for (const [name, values] of samples) {
      if (name.startsWith("kakaopay ")) out.kakaopay[name.slice(9)] = timings(values);
      else if (name.startsWith("route ")) out.routes[name.slice(6)] = timings(values);
    }
    samples.clear();
    jobsFailed = 0;
    lastCpu = process.cpuUsage();
    lastWall = now;
    return out;
  },

  /** Orders by status in SQLite, and the day's counters in Redis: the bench's cross-check. */
  counts: async ({ storeId }: { storeId: string }) => {
    const rows = t.deps.db.$client
      .query("select status, count(*) as n from orders where store_id = ? group by status")
      .all(storeId) as { status: string; n: number }[];
    const day = await t.deps.redis.hgetall(t.deps.keys.day(storeId));
    return {
      byStatus: Object.fromEntries(rows.map((r) => [r.status, r.n])),
      orderCount: Number(day.orderCount ?? 0),
    };
  },

  memory,

  stop: async () => {
    t.deps.feeds.closeAll();
    server.stop(true);
    await workers.close();
    const prefix = t.prefix;
    let cursor = "0";
    for (let round = 0; round < 100_000; round++) {
      const [next, keys] = await t.deps.redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length) await t.deps.redis.unlink(...keys);
      cursor = next;
      if (cursor === "0") break;
    }
    await t.close();
    rmSync(t.dir, { recursive: true, force: true });
    return null;
  },
});
