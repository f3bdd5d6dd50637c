/**
 * `bun run bench:orders --cluster [--seconds 8] [--closed 64] [--profile DIR]`: the paid-order bench on two
 * topologies back to back, same client, same K customers, same window:
 * - single: one `bun src/main.ts` ROLE=all (API + workers) on SQLite + one plain redis-server;
 * - cluster: PostgreSQL + a Redis Cluster (3 masters, 3 replicas) with 2 ROLE=api and 2
 *   ROLE=worker processes, each with its own DATA_DIR (test/deploy/twoHosts.test.ts's topology).
 * The customers are bench/ordersClient.ts (one process, K customers, closed loop) speaking to a
 * round-robin balancer in this process (the store's feed on the last API, one feed per store);
 * every API's PUBLIC_URL is its own address, so the approval page is served by the API that
 * placed the order. The emulator is bench/ordersEmulator.ts in its own process.
 * CPU per process comes from /proc/<pid>/stat (utime + stime) around the timed window.
 * PostgreSQL and the cluster are started with the tests' helpers (test/helpers/postgres.ts,
 * test/helpers/redisCluster.ts) — a bench importing test helpers, on purpose: one way to start them.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { demoMenu } from "../src/cli/demoMenu.ts";
import { freePort, ROOT, type Running, spawn, waitHealthy } from "../test/deploy/processes.ts";
import { freshDatabase, stopTestPostgres } from "../test/helpers/postgres.ts";
import { startRedisCluster } from "../test/helpers/redisCluster.ts";
import type { ClientInit, OrderRow, RunResult } from "./ordersClient.ts";
import { summarizeProfile } from "./ordersProfile.ts";
import { Child } from "./rpc.ts";

type Options = { seconds: number; k: number; warmup: number; profile: string | null };
type Topology = "single" | "cluster";
type Proc = { name: string; pid: number };
type Host = { name: string; base: string; running: Running };

const here = import.meta.dir;
const log = (msg: string) => console.log(`# ${msg}`);
const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "-");
const loadLine = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

function parseArgs(argv: string[]): Options {
  const opts: Options = { seconds: 8, k: 64, warmup: 2, profile: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split("=", 2) as [string, string | undefined];
    const value = () => Number(inline ?? argv[++i]);
    if (flag === "--cluster") continue;
    if (flag === "--seconds") opts.seconds = Math.min(60, Math.max(1, value() || 8));
    else if (flag === "--closed") opts.k = Math.max(2, Math.round(value() || 64));
    else if (flag === "--profile") opts.profile = resolve(inline ?? argv[++i] ?? "profiles");
    else {
      console.error(`--cluster takes --seconds N, --closed K and --profile DIR, not ${argv[i]}`);
      process.exit(2);
    }
  }
  return opts;
}

// --- cleanup, also on Ctrl-C ------------------------------------------------------------------
const cleanups: (() => Promise<unknown> | unknown)[] = [];
async function cleanUp() {
  while (cleanups.length) await Promise.resolve(cleanups.pop()!()).catch(() => {});
}
let interrupted = false;
function onSignal(signal: NodeJS.Signals) {
  if (interrupted) return;
  interrupted = true;
  console.error(`\n# ${signal}: stopping every process the bench started`);
  void cleanUp().finally(() => process.exit(130));
}

// --- /proc ------------------------------------------------------------------------------------
/** utime + stime of `pid` in seconds (USER_HZ 100), 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function procs(): { pid: number; ppid: number; cmdline: string }[] {
  const out: { pid: number; ppid: number; cmdline: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      out.push({ pid: Number(entry), ppid, cmdline });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** redis-server processes serving these ports (redis rewrites its title to `host:port`). */
function redisPids(ports: number[]): Proc[] {
  return procs()
    .filter((p) => p.cmdline.startsWith("redis-server"))
    .flatMap((p) => {
      const port = ports.find((q) => p.cmdline.includes(`:${q}`));
      return port
        ? [{ name: ports.length > 1 ? `redis ×${ports.length}` : "redis", pid: p.pid }]
        : [];
    });
}

/** The postmaster on `port` and its children (backends, walwriter, …), as one entry each. */
function postgresPids(port: number): Proc[] {
  const all = procs();
  const master = all.find(
    (p) => p.cmdline.includes("bin/postgres") && p.cmdline.includes(`-p ${port} `),
  );
  if (!master) return [];
  return [master, ...all.filter((p) => p.ppid === master.pid)].map((p) => ({
    name: "postgres",
    pid: p.pid,
  }));
}

/** Busy CPU seconds of the whole machine (/proc/stat), every process on it included. */
function machineBusy(): number {
  const v = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = v.map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

/** Set by --profile: the app processes run with Bun's --cpu-prof into this folder. */
let profileDir: string | null = null;
const topologyOf = (host: string) => (host === "all" ? "single" : "cluster");
const PROFILED = ["single-all", "cluster-api-a", "cluster-worker-c"];

// --- topologies -------------------------------------------------------------------------------
type Up = {
  apis: Host[];
  workers: Host[];
  /** CPU-measured processes besides the app's: Redis, PostgreSQL */
  infra: () => Proc[];
  describe: string;
};

type Demo = {
  storeId: string;
  pin: string;
  deviceToken: string;
  lat: number;
  lng: number;
  items: { itemId: string; name: string }[];
};

function baseEnv(extra: Record<string, string>): Record<string, string> {
  const env = { ...process.env } as Record<string, string>;
  for (const key of ["REDIS_URL", "REDIS_CLUSTER_NODES", "DATABASE_URL", "DATABASE_PATH", "PORT"])
    delete env[key];
  return {
    ...env,
    SKILL_KEY: "bench-skill-key",
    OPERATOR_TOKEN: "bench-operator-token",
    LOG_LEVEL: "silent",
    LIMIT_PLACE_PER_STORE: "off",
    LIMIT_CART_ADD_PER_STORE: "off",
    LIMIT_PLACE_PER_CUSTOMER: "off",
    LIMIT_CART_ADD_PER_CUSTOMER: "off",
    ...extra,
  };
}

function startHost(name: string, env: Record<string, string>, dataDir?: string): Host {
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), `so-cbench-${name}-`));
  const prof = profileDir
    ? [
        "--cpu-prof",
        `--cpu-prof-dir=${profileDir}`,
        `--cpu-prof-name=${topologyOf(name)}-${name}.cpuprofile`,
      ]
    : [];
  const running = spawn(["bun", ...prof, "src/main.ts"], {
    env: { PUBLIC_URL: base, ...env, PORT: String(port), DATA_DIR: dir },
  });
  cleanups.push(async () => {
    running.proc.kill("SIGTERM");
    const gone = await Promise.race([running.proc.exited, Bun.sleep(10_000).then(() => null)]);
    if (gone === null) running.proc.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  return { name, base, running };
}

async function startSingle(emuEnv: Record<string, string>): Promise<Up & { demo: Demo }> {
  const port = freePort();
  const dir = mkdtempSync(join(tmpdir(), "so-cbench-redis-"));
  // As the cluster's nodes run: no AOF, no snapshots — the comparison is of topology, not fsync.
  const redis = Bun.spawn(
    [
      "redis-server",
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  cleanups.push(async () => {
    redis.kill("SIGKILL");
    await redis.exited;
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 50; i++) {
    const ping = Bun.spawnSync(["redis-cli", "-p", String(port), "ping"]).stdout.toString();
    if (ping.includes("PONG")) break;
    await Bun.sleep(100);
  }
  const appDir = mkdtempSync(join(tmpdir(), "so-cbench-all-"));
  const env = baseEnv({ ...emuEnv, REDIS_URL: `redis://127.0.0.1:${port}`, ROLE: "all" });
  // SQLite: the seed writes the file the server then opens (same DATA_DIR).
  const demo = seedIn(appDir, env);
  const all = startHost("all", env, appDir);
  await waitHealthy(all.base, all.running);
  return {
    apis: [all],
    workers: [],
    infra: () => redisPids([port]),
    describe: "1 process ROLE=all (API + workers) · SQLite · 1 redis-server (no AOF)",
    demo,
  };
}

function seedIn(dataDir: string, env: Record<string, string>): Demo {
  const out = Bun.spawnSync(["bun", "src/cli/main.ts", "demo:seed", "--json"], {
    cwd: ROOT,
    env: { ...env, DATA_DIR: dataDir },
  });
  if (out.exitCode !== 0) throw new Error(`demo:seed failed: ${out.stderr.toString()}`);
  return JSON.parse(out.stdout.toString());
}

async function startCluster(emuEnv: Record<string, string>): Promise<Up & { demo: Demo }> {
  const databaseUrl = await freshDatabase();
  cleanups.push(() => stopTestPostgres());
  const pgPort = Number(new URL(databaseUrl).port);
  const cluster = await startRedisCluster();
  cleanups.push(() => cluster.stop());
  const shared = baseEnv({
    ...emuEnv,
    DATABASE_URL: databaseUrl,
    REDIS_CLUSTER_NODES: cluster.env,
    REDIS_KEY_PREFIX: `cb${Date.now().toString(36)}`,
  });
  const cliDir = mkdtempSync(join(tmpdir(), "so-cbench-cli-"));
  cleanups.push(() => rmSync(cliDir, { recursive: true, force: true }));
  const demo = seedIn(cliDir, shared);
  const apis = [
    startHost("api-a", { ...shared, ROLE: "api" }),
    startHost("api-b", { ...shared, ROLE: "api" }),
  ];
  await Promise.all(apis.map((h) => waitHealthy(h.base, h.running)));
  // A worker builds no approval URL; it is told one API's address all the same.
  const workers = ["worker-c", "worker-d"].map((name) =>
    startHost(name, { ...shared, ROLE: "worker", PUBLIC_URL: apis[0]!.base }),
  );
  await Bun.sleep(1500); // the workers connect and start their BullMQ consumers
  for (const w of workers) {
    if (w.running.proc.exitCode !== null)
      throw new Error(`${w.name} exited: ${w.running.output()}`);
  }
  return {
    apis,
    workers,
    infra: () => [...redisPids(cluster.nodes.map((n) => n.port)), ...postgresPids(pgPort)],
    describe:
      "2 ROLE=api + 2 ROLE=worker processes · PostgreSQL · Redis Cluster 3 masters + 3 replicas",
    demo,
  };
}

// --- the load balancer -----------------------------------------------------------------------
/**
 * The client speaks to one URL, as customers speak to one load balancer: skill requests go round
 * robin over the APIs, the store's feed to the last API (the counter on another API than its
 * login, as in twoHosts). It runs in this orchestrator; its CPU is counted as "lb".
 */
function startBalancer(apis: Host[]) {
  const places = new Map(apis.map((h) => [h.name, 0]));
  let next = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 120,
    async fetch(req) {
      const url = new URL(req.url);
      const feed = url.pathname === "/store/events";
      const api = feed ? apis[apis.length - 1]! : apis[next++ % apis.length]!;
      const headers = new Headers(req.headers);
      headers.delete("host");
      const res = await fetch(`${api.base}${url.pathname}${url.search}`, {
        method: req.method,
        headers,
        body: req.method === "GET" ? undefined : await req.arrayBuffer(),
        redirect: "manual",
        signal: feed ? req.signal : undefined,
      });
      if (url.pathname.endsWith("/orders/place") && res.status === 200)
        places.set(api.name, (places.get(api.name) ?? 0) + 1);
      return res;
    },
  });
  cleanups.push(() => server.stop(true));
  return {
    url: `http://127.0.0.1:${server.port}`,
    /** places answered per API since the last call */
    takePlaces() {
      const out = new Map(places);
      for (const k of places.keys()) places.set(k, 0);
      return out;
    },
  };
}

// --- one topology's run -----------------------------------------------------------------------
type Result = {
  topology: Topology;
  describe: string;
  paidPerS: number;
  perApi: { name: string; paidPerS: number }[];
  workers: string[];
  a2f: { p50: number; p99: number };
  approval: { p50: number; p99: number };
  cycleMs: number;
  errors: Record<string, number>;
  noCart: number;
  cpu: { name: string; seconds: number }[];
  wallS: number;
  load: string;
  /** busy cores of the whole box during the run, other helpers' work included */
  boxCores: number;
  /** each app process's cores over 2 s with no order, just before the run */
  idle: { name: string; cores: number }[];
  /** orders paid during the run, its drain included (the CPU figures cover both) */
  paidAll: number;
  warm: number;
  feedEvents: number;
};

function pct(values: number[], p: number) {
  const s = Array.from(Float64Array.from(values).sort());
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
}

/** Items a customer adds with no option to choose (the demo's items with no required group). */
function plainItems(demo: Demo) {
  const plain = new Set(
    demoMenu.filter((i) => !i.optionGroups?.some((g) => g.required)).map((i) => i.name),
  );
  return demo.items
    .filter((i) => plain.has(i.name))
    .map((i) => ({ itemId: i.itemId, options: {} }));
}

async function openDay(api: Host, demo: Demo): Promise<string> {
  const login = await fetch(`${api.base}/store/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      storeId: demo.storeId,
      pin: demo.pin,
      deviceToken: demo.deviceToken,
      location: { lat: demo.lat, lng: demo.lng },
    }),
  });
  if (login.status !== 200) throw new Error(`login ${login.status}: ${await login.text()}`);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  for (const step of ["ready", "open"]) {
    const res = await fetch(`${api.base}/store/day/${step}`, {
      method: "POST",
      headers: { cookie },
    });
    if (res.status !== 204) throw new Error(`day ${step}: ${res.status} ${await res.text()}`);
  }
  return cookie;
}

async function fillCarts(client: Child, want: number, tag: string) {
  const have = await client.call<number>("carts");
  if (have < want)
    await client.call("prepare", { count: want - have, tag, concurrency: 64 }, 300_000);
}

const ok = (v: number) => v >= 0;
const paidIn = (r: RunResult) => r.rows.filter((x) => ok(x[5]) && x[5] <= r.windowMs).length;
const lbCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function runTopology(
  topology: Topology,
  opts: Options,
  emulator: Child,
  emuEnv: Record<string, string>,
): Promise<Result> {
  const mark = cleanups.length;
  try {
    const up = topology === "single" ? await startSingle(emuEnv) : await startCluster(emuEnv);
    log(`${topology}: ${up.describe}; up`);
    const cookie = await openDay(up.apis[0]!, up.demo);
    const lb = startBalancer(up.apis);
    const client = new Child("client", join(here, "ordersClient.ts"), [], {
      BUN_CONFIG_MAX_HTTP_REQUESTS: "1024",
    });
    cleanups.push(() => client.stop());
    await client.call("init", {
      serverUrl: lb.url,
      emulatorUrl: emuEnv.KAKAOPAY_BASE_URL!,
      cookie,
      skillKey: "bench-skill-key",
      items: plainItems(up.demo),
    } satisfies ClientInit);

    // Warm-up (JIT, pools, connections): its rate sizes the carts of the timed window.
    await fillCarts(client, opts.k + 1200, "warm");
    const warmRun = await client.call<RunResult>(
      "closed",
      { k: opts.k, seconds: opts.warmup },
      90_000,
    );
    const warm = paidIn(warmRun) / opts.warmup;
    log(`${topology}: warm-up ${opts.warmup} s, ${f(warm, 0)} paid/s (not reported)`);
    await fillCarts(client, Math.ceil(Math.max(300, warm) * 2.5 * opts.seconds) + opts.k, "run");

    const named: Proc[] = [
      ...up.apis.map((h) => ({ name: h.name, pid: h.running.proc.pid })),
      ...up.workers.map((h) => ({ name: h.name, pid: h.running.proc.pid })),
      { name: "emulator", pid: emulator.proc.pid },
      { name: "client", pid: client.proc.pid },
    ];
    // What the app burns with no order at all (BullMQ's blocking reads, timers, the feed's heartbeat).
    const idle0 = named.map((p) => cpuSeconds(p.pid));
    await Bun.sleep(2000);
    const idle = named
      .map((p, i) => ({ name: p.name, cores: (cpuSeconds(p.pid) - idle0[i]!) / 2 }))
      .filter((p) => p.name.startsWith("api") || p.name.startsWith("worker") || p.name === "all");
    const before = new Map([...named, ...up.infra()].map((p) => [p.pid, cpuSeconds(p.pid)]));
    const lb0 = lbCpu();
    const box0 = machineBusy();
    lb.takePlaces();
    const t0 = performance.now();
    const run = await client.call<RunResult>(
      "closed",
      { k: opts.k, seconds: opts.seconds },
      opts.seconds * 1000 + 90_000,
    );
    const wallS = (performance.now() - t0) / 1000;
    const load = loadLine();
    const boxCores = (machineBusy() - box0) / wallS;
    const places = lb.takePlaces();
    // Backends PostgreSQL forked during the run count from 0.
    const cpu = new Map<string, number>();
    for (const p of [...named, ...up.infra()]) {
      const used = cpuSeconds(p.pid) - (before.get(p.pid) ?? 0);
      cpu.set(p.name, (cpu.get(p.name) ?? 0) + used);
    }
    cpu.set("lb", lbCpu() - lb0);
    const rows: OrderRow[] = run.rows;
    const a2f = rows.filter((r) => ok(r[5]) && ok(r[3])).map((r) => r[5] - r[3]);
    const approval = rows.filter((r) => ok(r[4])).map((r) => r[4]);
    const cycles = rows.filter((r) => ok(r[3]) && ok(r[4])).map((r) => r[3] + r[4] - r[0]);
    const paidPerS = paidIn(run) / opts.seconds;
    const paidAll = rows.filter((r) => ok(r[5])).length;
    const placed = [...places.values()].reduce((a, b) => a + b, 0);
    const feed = await client.call<{ paidEvents: number }>("feedStatus");
    return {
      topology,
      describe: up.describe,
      paidPerS,
      perApi: up.apis.map((h) => ({
        name: h.name,
        paidPerS: (paidPerS * (places.get(h.name) ?? 0)) / Math.max(1, placed),
      })),
      workers: up.workers.map((w) => w.name),
      a2f: { p50: pct(a2f, 50), p99: pct(a2f, 99) },
      approval: { p50: pct(approval, 50), p99: pct(approval, 99) },
      cycleMs: cycles.reduce((a, b) => a + b, 0) / Math.max(1, cycles.length),
      errors: run.errors,
      noCart: run.noCart,
      cpu: [...cpu].map(([name, seconds]) => ({ name, seconds })),
      wallS,
      load,
      boxCores,
      idle,
      paidAll,
      warm,
      feedEvents: feed.paidEvents,
    };
  } finally {
    while (cleanups.length > mark) await Promise.resolve(cleanups.pop()!()).catch(() => {});
  }
}

// --- output -----------------------------------------------------------------------------------
function print(r: Result, opts: Options) {
  console.log("");
  console.log(`== ${r.topology}: ${r.describe} ==`);
  console.log(
    `paid orders/s ${f(r.paidPerS, 0)} (closed loop, K=${opts.k}, ${opts.seconds} s window after a ${opts.warmup} s warm-up)` +
      `; approval GET → order.paid on the feed p50 ${f(r.a2f.p50)} p99 ${f(r.a2f.p99)} ms` +
      `; approval GET answered p50 ${f(r.approval.p50)} p99 ${f(r.approval.p99)} ms; mean cycle ${f(r.cycleMs)} ms`,
  );
  const errs = Object.entries(r.errors);
  console.log(
    `errors: ${errs.length ? errs.map(([k, v]) => `${k} ×${v}`).join("; ") : "none"}` +
      (r.noCart ? `; ${r.noCart} customers ran out of carts (paid/s reads low)` : "") +
      `; order.paid events on client-0's feed since it opened ${r.feedEvents}`,
  );
  const total = r.cpu.reduce((a, c) => a + c.seconds, 0);
  console.log(
    `CPU seconds over the ${f(r.wallS, 1)} s run (cores): ` +
      r.cpu.map((c) => `${c.name} ${f(c.seconds, 2)} (${f(c.seconds / r.wallS, 2)})`).join(", ") +
      `; sum ${f(total, 2)} (${f(total / r.wallS, 2)} cores); the whole box was busy ${f(r.boxCores, 2)} of ${cpus().length} cores ` +
      `(${f(Math.max(0, r.boxCores - total / r.wallS), 2)} not ours)`,
  );
  const app = r.cpu
    .filter((c) => c.name.startsWith("api") || c.name.startsWith("worker") || c.name === "all")
    .reduce((a, c) => a + c.seconds, 0);
  console.log(
    `per process: ${r.perApi.map((a) => `${a.name} ${f(a.paidPerS, 0)} paid/s`).join(", ")} (by places answered)` +
      (r.workers.length
        ? `; per worker ${f(r.paidPerS / r.workers.length, 0)} paid/s (the jobs spread over ${r.workers.length} workers)`
        : "") +
      `; app CPU ${f((app / Math.max(1, r.paidAll)) * 1000, 2)} ms per paid order (${r.paidAll} paid, drain included), ` +
      `all listed processes ${f((total / Math.max(1, r.paidAll)) * 1000, 2)} ms; ` +
      `idle before the run: ${r.idle.map((p) => `${p.name} ${f(p.cores, 3)}`).join(", ")} cores; load average at the end ${r.load}`,
  );
}

export async function runCluster(argv: string[]) {
  const opts = parseArgs(argv);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  log(
    `cpus ${cpus().length}; load average at start ${loadLine()}; K=${opts.k} customers in one client process behind a round-robin balancer, ` +
      `${opts.warmup} s warm-up + ${opts.seconds} s window per topology`,
  );
  const results: Result[] = [];
  profileDir = opts.profile;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  try {
    const emulator = new Child("emulator", join(here, "ordersEmulator.ts"), [], {});
    cleanups.push(() => emulator.stop());
    const emu = await emulator.call<{ url: string; env: Record<string, string> }>("setup");
    for (const topology of ["single", "cluster"] as const)
      results.push(await runTopology(topology, opts, emulator, emu.env));
  } finally {
    await cleanUp();
  }
  for (const name of profileDir ? PROFILED : []) {
    const file = join(profileDir!, `${name}.cpuprofile`);
    if (!(await Bun.file(file).exists())) continue;
    console.log(`\n== CPU profile ${name} (warm-up, idle, run and drain) ==`);
    await summarizeProfile(file, "cartAddSkill,addToCart", 15);
  }
  for (const r of results) print(r, opts);
  const [single, cluster] = results;
  console.log("");
  console.log(
    `cluster ÷ single: ${f(cluster!.paidPerS / single!.paidPerS, 2)} (${f(cluster!.paidPerS, 0)} vs ${f(single!.paidPerS, 0)} paid orders/s)`,
  );
  console.log(
    `(one ${cpus().length}-core box: the cluster topology's 4 app processes, 6 redis-servers, PostgreSQL, the emulator, ` +
      "the client and the balancer all compete for the same cores, so its figure is a lower bound of what separate hosts give)",
  );
}
