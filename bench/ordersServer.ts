/**
 * Server side of the orders bench, run as a child of bench/orders.ts, as one of three roles
 * (BENCH_ROLE, as the app's ROLE):
 * - `all` (the default): the real app (Hono API, skill routes, approval routes, SSE feeds) AND
 *   the BullMQ workers in this one process, as `bun run start` with ROLE=all runs them;
 * - `api`: the HTTP app only, no workers (ROLE=api): the approval route learns a payment job's
 *   outcome by polling the job (src/payment/approvalRoutes.tsx), not from the in-process signal;
 * - `worker`: the BullMQ workers only, no HTTP server (ROLE=worker).
 * On 127.0.0.1 (port 0), real SQLite at BENCH_DATA_DIR/simple-order.db (one file shared by the
 * api and worker processes, WAL), Redis at TEST_REDIS_URL with key prefix BENCH_PREFIX (the same
 * in both), KakaoPay = the emulator child (env from the orchestrator). The worker is given the
 * api's PUBLIC_URL. Deps are built as src/server.ts builds them (buildDeps, no workers;
 * the workers started here by hand so that the payment worker's events can be observed), with
 * the tests' settings (silent logger, hub block 2 s) as makeTestDeps has them.
 *
 * Instrumentation, all inside this bench file (nothing in src/ changes): each KakaoPay client
 * call is timed by wrapping `deps.kakaopay`; the payment worker's `completed` events give each
 * job's queue wait and run time; the route handler is timed per route class; an interval timer
 * samples event-loop lag; SQLite statement compiles, statement runs and transactions are timed on
 * the JS thread (lock waits included); `process.cpuUsage()` gives this process's CPU, and
 * /proc's schedstat how long its JS thread waited for a CPU. `snapshot`
 * returns what was collected since the previous snapshot and starts afresh.
 */
import { createApp } from "../src/app.ts";
import { buildDeps } from "../src/bootstrap.ts";
import { loadConfig } from "../src/config.ts";
import { sqliteClient } from "../src/infra/db.ts";
import { redisOptionsFromUrl } from "../src/infra/embeddedRedis.ts";
import { silentLogger } from "../src/infra/logger.ts";
import { moveDay, readyDay } from "../src/store/day/dayBusiness.ts";
import { addMenuItems } from "../src/store/menu/menu.ts";
import { login, redisUrl, seedStore } from "../test/helpers/testDeps.ts";
import { startWorkers } from "../workers/index.ts";
import { mainThreadSched, waitBetween } from "./ordersSched.ts";
import { memory, serveRpc } from "./rpc.ts";

export type BenchRole = "all" | "api" | "worker";

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
  /** ms the main (JS) thread sat runnable, waiting for a CPU (Linux schedstat; NaN elsewhere) */
  runWaitMs: number;
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
  /** runs of prepared statements: count, total ms, and those over 1 ms (lock waits, checkpoints) */
  sqliteExecs: number;
  sqliteExecMs: number;
  sqliteSlowExecs: number;
  sqliteSlowExecMs: number;
  /** each transaction, BEGIN to COMMIT, on the JS thread */
  sqliteTx: Timings;
  /** every event-loop lag sample, when asked for (bench:soak) */
  lagValues?: number[];
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
const role = (process.env.BENCH_ROLE ?? "all") as BenchRole;
if (!["all", "api", "worker"].includes(role)) throw new Error(`ordersServer: BENCH_ROLE=${role}`);
const dataDir = process.env.BENCH_DATA_DIR;
const prefix = process.env.BENCH_PREFIX;
if (!dataDir || !prefix) throw new Error("ordersServer: BENCH_DATA_DIR and BENCH_PREFIX are unset");

type Handler = (req: Request, srv: Bun.Server<undefined>) => Response | Promise<Response>;
let handler: Handler | null = null;
// Bound first so that PUBLIC_URL (KakaoPay's approval_url) can name the real port. Same
// idleTimeout as src/server.ts. ROLE=worker serves no HTTP and is told the api's URL.
const server =
  role === "worker"
    ? null
    : Bun.serve({
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
const url = server ? `http://127.0.0.1:${server.port}` : process.env.PUBLIC_URL;
if (!url) throw new Error("ordersServer: ROLE=worker needs PUBLIC_URL (the api's)");

// loadConfig is given only what it should read (not process.env): the tests' settings, the
// emulator's env, this process's role.
const EMULATOR_ENV = [
  "KAKAOPAY_BASE_URL",
  "KAKAOPAY_SECRET_KEY",
  "KAKAO_EVENT_API_URL",
  "KAKAO_REST_API_KEY",
  "KAKAO_BOT_ID",
  "EMULATOR_PUBLIC_URL",
] as const;
const env: Record<string, string> = {
  DATA_DIR: dataDir,
  OPERATOR_TOKEN: "test-operator-token",
  SKILL_KEY: "test-skill-key",
  TRUST_PROXY: "true",
  LOG_LEVEL: "silent",
  PUBLIC_URL: url,
  REDIS_KEY_PREFIX: prefix,
  ROLE: role,
  SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS ?? "NORMAL",
  // One store and a few thousand customers stand in for a rush across many shops: the per-store
  // and per-customer abuse limits would measure themselves, not the order path.
  LIMIT_PLACE_PER_CUSTOMER: "off",
  LIMIT_PLACE_PER_STORE: "off",
  LIMIT_CART_ADD_PER_CUSTOMER: "off",
  LIMIT_CART_ADD_PER_STORE: "off",
};
for (const name of EMULATOR_ENV) {
  const value = process.env[name];
  if (!value) throw new Error(`ordersServer: ${name} is not set (the orchestrator passes it)`);
  env[name] = value;
}
const config = loadConfig(env);
const built = buildDeps(config, {
  redisUrl: redisUrl(),
  log: silentLogger,
  keyPrefix: config.redisKeyPrefix,
  hubBlockMs: 2000,
});
const deps = built.deps;

// Every KakaoPay client call, timed (same functions, same deps object the app and workers use).
{
  const kp = deps.kakaopay;
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
  deps.kakaopay = {
    ...kp,
    ready: timed("ready", kp.ready),
    approve: timed("approve", kp.approve),
    cancel: timed("cancel", kp.cancel),
    order: timed("order", kp.order),
  };
}

// Every SQLite statement compiled (bun:sqlite `prepare`, which drizzle calls for each query it
// runs), counted and timed; `query` (bun:sqlite's cached statements) counted apart. Every run of
// a statement so prepared, and every transaction (drizzle's `db.transaction` calls bun:sqlite's),
// timed too: the time the JS thread spends inside SQLite, waits on the write lock included
// (busy_timeout sleeps in the calling thread: the api and worker processes share one file).
const sqlite = sqliteClient(deps.db);
const SLOW_EXEC_MS = 1;
const sqliteCounts = {
  prepare: 0,
  prepareMs: 0,
  query: 0,
  execs: 0,
  execMs: 0,
  slowExecs: 0,
  slowExecMs: 0,
};
{
  type Fn = (...a: unknown[]) => unknown;
  const prepare = sqlite.prepare.bind(sqlite);
  const query = sqlite.query.bind(sqlite);
  const transaction = sqlite.transaction.bind(sqlite);
  const timedExec =
    (fn: Fn, self: unknown): Fn =>
    (...a) => {
      const started = performance.now();
      try {
        return fn.apply(self, a);
      } finally {
        const ms = performance.now() - started;
        sqliteCounts.execs++;
        sqliteCounts.execMs += ms;
        if (ms > SLOW_EXEC_MS) {
          sqliteCounts.slowExecs++;
          sqliteCounts.slowExecMs += ms;
        }
      }
    };
  sqlite.prepare = ((...args: Parameters<typeof prepare>) => {
    const started = performance.now();
    try {
      const stmt = prepare(...args);
      const methods = stmt as unknown as Record<string, Fn>;
      for (const m of ["run", "get", "all", "values"]) {
        if (typeof methods[m] === "function") methods[m] = timedExec(methods[m], stmt);
      }
      return stmt;
    } finally {
      sqliteCounts.prepare++;
      sqliteCounts.prepareMs += performance.now() - started;
    }
  }) as typeof sqlite.prepare;
  sqlite.query = ((...args: Parameters<typeof query>) => {
    sqliteCounts.query++;
    return query(...args);
  }) as typeof sqlite.query;
  const timedTx =
    (fn: Fn): Fn =>
    (...a) => {
      const started = performance.now();
      try {
        return fn(...a);
      } finally {
        record("sqliteTx", performance.now() - started);
      }
    };
  sqlite.transaction = ((fn: Parameters<typeof transaction>[0]) => {
    const tx = transaction(fn) as unknown as Fn & Record<string, Fn>;
    const out = timedTx(tx) as Fn & Record<string, Fn>;
    for (const kind of ["deferred", "immediate", "exclusive"]) out[kind] = timedTx(tx[kind]!);
    return out;
  }) as unknown as typeof sqlite.transaction;
}

// The workers (ROLE all or worker), as src/server.ts starts them (withWorkers)
// (startWorkers on the same deps), here by hand so that the payment worker's events can be
// observed.
const workers = role === "api" ? null : startWorkers(deps, redisOptionsFromUrl(redisUrl()));
if (workers) {
  const paymentWorker = workers.workers.payment;
  paymentWorker.on("completed", (job) => {
    if (job.processedOn && job.finishedOn) {
      record("jobWait", job.processedOn - job.timestamp);
      record("jobRun", job.finishedOn - job.processedOn);
    }
  });
  paymentWorker.on("failed", () => {
    jobsFailed++;
  });
}
const app = role === "worker" ? null : createApp(deps);
if (app) handler = (req, srv) => app.fetch(req, srv);
const needApp = () => {
  if (!app) throw new Error(`ordersServer: ROLE=${role} has no HTTP app`);
  return app;
};

let lastCpu = process.cpuUsage();
let lastWall = performance.now();
let lastSched = mainThreadSched();

serveRpc({
  /** One store with a small menu; one real login (its session feeds the bench); day READY → OPEN. */
  setup: async (): Promise<OrdersServerSetup> => {
    const app = needApp();
    const store = await seedStore(deps, { name: "벤치 카페" });
    const [latte, americano, cookie] = await addMenuItems(deps.db, store.storeId, [
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
    const { res, cookie: session } = await login(app, store, { addr: "10.9.0.2" });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    await readyDay(deps, store.storeId);
    await moveDay(deps, store.storeId, "open");
    return {
      port: server?.port ?? 0,
      url,
      cookie: session,
      skillKey: deps.config.skillKey ?? "",
      storeId: store.storeId,
      items: [
        { itemId: latte!.itemId, options: { 온도: "아이스" } },
        { itemId: americano!.itemId, options: {} },
        { itemId: cookie!.itemId, options: {} },
      ],
      prefix,
    };
  },

  /** What was collected since the previous snapshot; starts afresh. */
  snapshot: (args?: { lagValues?: boolean } | null): ServerSnapshot => {
    const cpu = process.cpuUsage(lastCpu);
    const now = performance.now();
    const sched = mainThreadSched();
    const out: ServerSnapshot = {
      cpuUs: cpu.user + cpu.system,
      wallMs: now - lastWall,
      runWaitMs: waitBetween(lastSched, sched),
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
      sqliteExecs: sqliteCounts.execs,
      sqliteExecMs: sqliteCounts.execMs,
      sqliteSlowExecs: sqliteCounts.slowExecs,
      sqliteSlowExecMs: sqliteCounts.slowExecMs,
      sqliteTx: timings(samples.get("sqliteTx")),
      lagValues: args?.lagValues ? (samples.get("lag") ?? []) : undefined,
    };
    sqliteCounts.prepare = 0;
    sqliteCounts.prepareMs = 0;
    sqliteCounts.query = 0;
    sqliteCounts.execs = 0;
    sqliteCounts.execMs = 0;
    sqliteCounts.slowExecs = 0;
    sqliteCounts.slowExecMs = 0;
    for (const [name, values] of samples) {
      if (name.startsWith("kakaopay ")) out.kakaopay[name.slice(9)] = timings(values);
      else if (name.startsWith("route ")) out.routes[name.slice(6)] = timings(values);
    }
    samples.clear();
    jobsFailed = 0;
    lastCpu = process.cpuUsage();
    lastWall = now;
    lastSched = sched;
    return out;
  },

  /** Orders by status in SQLite, and the day's counters in Redis: the bench's cross-check. */
  counts: async ({ storeId }: { storeId: string }) => {
    const rows = sqliteClient(deps.db)
      .query("select status, count(*) as n from orders where store_id = ? group by status")
      .all(storeId) as { status: string; n: number }[];
    const day = await deps.redis.hgetall(deps.keys.day(storeId));
    return {
      byStatus: Object.fromEntries(rows.map((r) => [r.status, r.n])),
      orderCount: Number(day.orderCount ?? 0),
    };
  },

  memory,

  /**
   * Stops this process's part. The HTTP process (ROLE all or api, which the orchestrator stops
   * last, after the worker) also deletes every Redis key of the prefix; the orchestrator removes
   * the SQLite directory.
   */
  stop: async () => {
    deps.feeds.closeAll();
    server?.stop(true);
    await workers?.close();
    if (role !== "worker") {
      let cursor = "0";
      for (let round = 0; round < 100_000; round++) {
        const [next, keys] = await deps.redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        if (keys.length) await deps.redis.unlink(...keys);
        cursor = next;
        if (cursor === "0") break;
      }
    }
    await built.close();
    return null;
  },
});
