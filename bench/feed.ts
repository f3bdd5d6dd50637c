/**
 * Live-feed bench: N SSE feeds of ONE store on the real app vs. a bare Bun SSE server.
 *
 *   bun run bench:feed [--sizes 1000,5000,10000] [--broadcasts 6] [--client fetch|tcp]
 *                      [--window 256] [--profile DIR] [--hono]
 *
 * Prints figures; asserts nothing about timing. Three kinds of process, all on 127.0.0.1:
 * - this orchestrator: Redis (embedded when REDIS_URL is unset), CLIENT LIST, the table;
 * - a server child (bench/feedServer.ts): the real app (Hono + StreamHub + Redis, Bun.serve
 *   port 0, idleTimeout 0) or the bare reference server, a fresh process per size and kind
 *   so that its RSS before/after is not blurred by the previous run;
 * - a client child (bench/feedClient.ts) holding the N connections and scanning their bytes.
 *   It also sends each broadcast's POST, so start and arrival times come from one clock.
 *
 * Sessions, honestly: a store allows ONE session, and a newer feed of the same session replaces
 * the older one (newest wins, via the store's control stream). N feeds of one store therefore
 * need N sessions, which the real login cannot give. The app child logs in once for real
 * (that session's cookie makes the day moves), then writes N extra session hashes straight
 * into Redis under `keys.session(storeId, sid)` with the real session's deviceId; the session
 * middleware only checks that such a hash exists and that the device is active, so every feed
 * still goes through the real HTTP stack: cookie → requireSession → feedRoutes → StoreFeed →
 * StreamHub. What this skips is only the login script, which is not what is measured.
 * One artifact of N sessions on one store: each feed's start XADDs a `feed` entry to the store's
 * control stream and every feed of the store parses every such entry, so connecting N feeds is
 * O(N²) here (connect_s grows faster than N). A real store, with one session and 1-2 feeds,
 * does not pay that; its broadcast path (one day-stream entry → N feeds) is the same as here.
 *
 * Caveats: server, client and Redis share the machine's cores (2 on the dev box), and the
 * latency includes the client's own reading of N bodies; the bare reference pays the same, so
 * the app/bare ratio is the steadier figure. Bun's fetch allows 256 concurrent requests unless
 * BUN_CONFIG_MAX_HTTP_REQUESTS is raised, which the bench does for its client child.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { redisOptionsFromUrl, startEmbeddedRedis } from "../src/infra/embeddedRedis.ts";
import type { ServerSetup } from "./feedServer.ts";
import { Child, fdLimits, type Memory } from "./rpc.ts";

type Role = "app" | "bare" | "hono";
type Options = {
  sizes: number[];
  broadcasts: number;
  client: "fetch" | "tcp";
  window: number;
  /** write a CPU profile (.cpuprofile + markdown) of each app server child into this dir */
  profile: string | null;
  /** also run a third reference: bare + Hono streamSSE (no Redis), to split the app's overhead */
  hono: boolean;
};

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    sizes: [1000, 5000, 10_000],
    broadcasts: 6,
    client: "fetch",
    window: 256,
    profile: null,
    hono: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split("=", 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? "";
    if (flag === "--sizes") {
      opts.sizes = value()
        .split(",")
        .map((s) => Number(s.trim()))
        .filter((n) => Number.isInteger(n) && n > 0);
    } else if (flag === "--broadcasts") opts.broadcasts = Math.max(1, Number(value()) || 6);
    else if (flag === "--client") opts.client = value() === "tcp" ? "tcp" : "fetch";
    else if (flag === "--window") opts.window = Math.max(1, Number(value()) || 256);
    else if (flag === "--profile") opts.profile = value();
    else if (flag === "--hono") opts.hono = true;
    else {
      console.error(`unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  if (opts.sizes.length === 0) {
    console.error("--sizes needs a comma-separated list of positive integers");
    process.exit(2);
  }
  return opts;
}

type Run = {
  role: Role;
  feeds: number;
  ready: number;
  failed: number;
  errors: string[];
  connectMs: number;
  before: Memory;
  after: Memory;
  clientRss: number;
  serverFeeds: number;
  hubStreams: number;
  /** per broadcast: move, POST status and response time, latencies (ms) of every feed */
  broadcasts: { move: string; status: number; respMs: number; lat: number[]; missing: number }[];
  redisClients?: Map<string, number>;
  /** the app's own connection names: [hub reader, command] */
  appClientNames?: string[];
  blockedClients?: number;
  redisMemDelta?: number;
};

const here = import.meta.dir;
const loadLine = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const log = (msg: string) => console.log(`# ${msg}`);

async function measure(
  role: Role,
  feeds: number,
  opts: Options,
  redisUrl: string,
  observer: Redis,
): Promise<Run> {
  const profile =
    opts.profile && role === "app"
      ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${opts.profile}`]
      : [];
  const server = new Child(
    role,
    join(here, "feedServer.ts"),
    [role],
    { TEST_REDIS_URL: redisUrl },
    profile,
  );
  const client = new Child("client", join(here, "feedClient.ts"), [], {
    // Bun's fetch allows 256 concurrent requests by default; an open SSE body holds one.
    BUN_CONFIG_MAX_HTTP_REQUESTS: String(Math.min(65_000, feeds + 1024)),
  });
  try {
    const setup = await server.call<ServerSetup>("setup", { feeds }, 120_000);
    await Bun.sleep(300);
    const before = await server.call<Memory>("memory");
    const redisBefore = role === "app" ? await usedMemory(observer) : 0;
    const conn = await client.call<{
      ready: number;
      failed: number;
      errors: string[];
      connectMs: number;
    }>(
      "connect",
      {
        port: setup.port,
        path: setup.eventsPath,
        cookies: setup.feedCookies,
        feeds,
        window: opts.window,
        timeoutMs: 60_000 + feeds * 20,
        mode: opts.client,
      },
      120_000 + feeds * 25,
    );
    await Bun.sleep(500); // let the connect burst's garbage settle before the GC + RSS read
    const after = await server.call<Memory>("memory");
    const status = await server.call<{ feeds: number; hubStreams: number }>("status");
    const clientMem = await client.call<Memory>("memory");
    const run: Run = {
      role,
      feeds,
      ready: conn.ready,
      failed: conn.failed,
      errors: conn.errors,
      connectMs: conn.connectMs,
      before,
      after,
      clientRss: clientMem.rss,
      serverFeeds: status.feeds,
      hubStreams: status.hubStreams,
      broadcasts: [],
    };
    if (role === "app") {
      run.redisMemDelta = (await usedMemory(observer)) - redisBefore;
      const { names, blocked } = await redisClients(observer);
      run.redisClients = names;
      run.appClientNames = setup.clientNames;
      run.blockedClients = blocked;
    }
    for (let k = 1; k <= opts.broadcasts; k++) {
      const move = k === 1 ? "open" : k % 2 === 0 ? "break" : "reopen";
      const r = await client.call<{
        status: number;
        respMs: number;
        latencies: number[];
        missing: number;
      }>(
        "trigger",
        {
          port: setup.port,
          path: `${setup.triggerBase}${move}`,
          cookie: setup.triggerCookie,
          k,
          timeoutMs: 30_000,
        },
        60_000,
      );
      run.broadcasts.push({
        move,
        status: r.status,
        respMs: r.respMs,
        lat: r.latencies,
        missing: r.missing,
      });
      await Bun.sleep(300);
    }
    await client.call("close", null, 60_000);
    return run;
  } finally {
    await client.stop();
    await server.stop();
  }
}

async function usedMemory(redis: Redis) {
  const info = await redis.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function redisClients(redis: Redis) {
  const list = (await redis.client("LIST")) as string;
  const names = new Map<string, number>();
  for (const line of list.split("\n")) {
    if (!line.trim()) continue;
    const cmd = /(?:^| )cmd=(\S*)/.exec(line)?.[1] ?? "?";
    const name = /(?:^| )name=(\S*)/.exec(line)?.[1] || `(unnamed, last cmd ${cmd})`;
    if (name === "bench-observer") continue;
    names.set(name, (names.get(name) ?? 0) + 1);
  }
  const info = await redis.info("clients");
  const blocked = Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? 0);
  return { names, blocked };
}

/** Nearest-rank percentile of a sorted array. */
const pct = (sorted: number[], p: number) =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
    : NaN;

function stats(values: number[]) {
  const s = Float64Array.from(values).sort();
  const arr = Array.from(s);
  return { n: arr.length, p50: pct(arr, 50), p99: pct(arr, 99), max: arr[arr.length - 1] ?? NaN };
}

const rssPerFeedKb = (r: Run) => (r.after.rss - r.before.rss) / 1024 / Math.max(1, r.ready);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "-");
const pad = (s: string, w: number) => s.padStart(w);

function detail(r: Run) {
  const all = stats(r.broadcasts.flatMap((b) => b.lat));
  log(
    `${r.role} ${r.feeds}: ready ${r.ready}/${r.feeds} (failed ${r.failed}) in ${f(r.connectMs / 1000, 2)} s; ` +
      `server feeds ${r.serverFeeds}, hub streams ${r.hubStreams}; server RSS ${mb(r.before.rss)} → ${mb(r.after.rss)} ` +
      `(heap ${mb(r.before.heapUsed)} → ${mb(r.after.heapUsed)}); client RSS ${mb(r.clientRss)}; fd limit ${r.after.fdLimit}`,
  );
  if (r.errors.length) log(`  connect errors (sample): ${r.errors.join(" | ")}`);
  for (const b of r.broadcasts) {
    const s = stats(b.lat);
    log(
      `  ${b.move.padEnd(6)} POST ${b.status} in ${f(b.respMs)} ms; feeds ${s.n}${b.missing ? ` (missing ${b.missing})` : ""}: ` +
        `p50 ${f(s.p50)} p99 ${f(s.p99)} max ${f(s.max)} ms`,
    );
  }
  log(`  all ${all.n} arrivals: p50 ${f(all.p50)} p99 ${f(all.p99)} max ${f(all.max)} ms`);
  if (r.redisClients) {
    const [readerName = "", commandName = ""] = r.appClientNames ?? [];
    const count = (name: string) => r.redisClients?.get(name) ?? 0;
    const names = [...r.redisClients].map(([n, c]) => `${n}×${c}`).join(", ");
    log(
      `  redis CLIENT LIST with ${r.ready} feeds open: ${count(readerName)} hub-reader + ` +
        `${count(commandName)} command connection(s); blocked_clients ${r.blockedClients}; ` +
        `all but the bench's own: ${names}`,
    );
    log(
      `  redis used_memory +${f((r.redisMemDelta ?? 0) / 1024 / Math.max(1, r.ready), 2)} KB/feed over the connect (session hashes were written before it; the control stream is MAXLEN ~1000)`,
    );
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const limits = fdLimits();
  log(
    `fd limit (RLIMIT_NOFILE) soft ${limits.soft} hard ${limits.hard}; children raise soft to hard; ` +
      `each side needs ~1 fd per feed`,
  );
  const maxFeeds = limits.hard ? limits.hard - 512 : Number.POSITIVE_INFINITY;
  const sizes = opts.sizes.map((n) => {
    if (n <= maxFeeds) return n;
    log(`size ${n} exceeds the fd limit ${limits.hard}: running ${maxFeeds} instead`);
    return maxFeeds;
  });

  let embedded: Awaited<ReturnType<typeof startEmbeddedRedis>> | null = null;
  let dataDir: string | null = null;
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    dataDir = mkdtempSync(join(tmpdir(), "so-bench-"));
    embedded = await startEmbeddedRedis({ dataDir });
    redisUrl = embedded.url;
  }
  log(
    `cpus ${cpus().length}; load average at start ${loadLine()} (other work on the box skews figures)`,
  );
  log(
    `redis: ${embedded ? "embedded" : "REDIS_URL"}; client: ${opts.client}; window ${opts.window}; broadcasts ${opts.broadcasts}`,
  );
  const observer = new Redis({
    ...redisOptionsFromUrl(redisUrl),
    connectionName: "bench-observer",
  });

  const rows: { app: Run; bare: Run; hono: Run | null }[] = [];
  try {
    for (const n of sizes) {
      log(`--- ${n} feeds: app`);
      const app = await measure("app", n, opts, redisUrl, observer);
      detail(app);
      log(`--- ${n} feeds: bare`);
      const bare = await measure("bare", n, opts, redisUrl, observer);
      detail(bare);
      let hono: Run | null = null;
      if (opts.hono) {
        log(`--- ${n} feeds: hono (bare + streamSSE, no Redis)`);
        hono = await measure("hono", n, opts, redisUrl, observer);
        detail(hono);
      }
      rows.push({ app, bare, hono });
    }
  } finally {
    observer.disconnect();
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }

  log(`load average at end ${loadLine()}`);
  console.log("");
  console.log(
    "feeds  connect_s  p50_ms  p99_ms  max_ms  rss_per_feed_kb  | bare p50    p99  rss/feed | ratio p50   p99   rss",
  );
  for (const { app, bare } of rows) {
    const a = stats(app.broadcasts.flatMap((b) => b.lat));
    const b = stats(bare.broadcasts.flatMap((x) => x.lat));
    const ar = rssPerFeedKb(app);
    const br = rssPerFeedKb(bare);
    console.log(
      [
        pad(String(app.feeds), 5),
        pad(f(app.connectMs / 1000, 2), 10),
        pad(f(a.p50), 7),
        pad(f(a.p99), 7),
        pad(f(a.max), 7),
        pad(f(ar, 1), 16),
        "  |",
        pad(f(b.p50), 8),
        pad(f(b.p99), 6),
        pad(f(br, 1), 9),
        " |",
        pad(f(a.p50 / b.p50, 1), 9),
        pad(f(a.p99 / b.p99, 1), 5),
        pad(f(ar / br, 1), 5),
      ].join(" "),
    );
  }
  console.log(
    `(latency over ${opts.broadcasts} broadcasts × all feeds, from just before the POST to each feed's arrival; ` +
      "RSS per feed = server RSS after − before connecting, both after a full GC, / ready feeds)",
  );
  const split = rows.filter((r) => r.hono);
  if (split.length) {
    console.log("");
    console.log(
      "feeds  | hono(streamSSE, no Redis) p50  p99  rss/feed | ratio to bare p50  p99  rss",
    );
    for (const { bare, hono } of split) {
      const h = stats(hono!.broadcasts.flatMap((x) => x.lat));
      const b = stats(bare.broadcasts.flatMap((x) => x.lat));
      const hr = rssPerFeedKb(hono!);
      console.log(
        [
          pad(String(hono!.feeds), 5),
          " |",
          pad(f(h.p50), 30),
          pad(f(h.p99), 5),
          pad(f(hr, 1), 9),
          " |",
          pad(f(h.p50 / b.p50, 1), 17),
          pad(f(h.p99 / b.p99, 1), 4),
          pad(f(hr / rssPerFeedKb(bare), 1), 4),
        ].join(" "),
      );
    }
  }
  const big = rows.find((r) => r.app.feeds >= 10_000) ?? rows[rows.length - 1];
  if (big) {
    const a = stats(big.app.broadcasts.flatMap((b) => b.lat));
    console.log(
      `goal: 10k feeds < 1 GB RSS, p99 < 100 ms — measured at ${big.app.feeds} feeds: ` +
        `server RSS ${mb(big.app.after.rss)}, p99 ${f(a.p99)} ms`,
    );
  } else console.log("goal: 10k feeds < 1 GB RSS, p99 < 100 ms");
  process.exit(0);
}

await main();
