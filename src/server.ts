import { type WorkersClosed, withWorkers } from "../workers/index.ts";
import { createApp } from "./app.ts";
import { buildDeps } from "./bootstrap.ts";
import type { Config } from "./config.ts";
import type { Deps } from "./deps.ts";
import { openDatabase } from "./infra/database.ts";
import { type EmbeddedRedis, RedisUnavailable, startEmbeddedRedis } from "./infra/embeddedRedis.ts";
import type { Logger } from "./infra/logger.ts";
import { checkCluster, checkRedis } from "./infra/redisClient.ts";
import { countKinds, healAllLiveDays } from "./recovery/healDay.ts";
import { healWhenRedisRestarts } from "./recovery/redisRestart.ts";
import type { FeedRegistry } from "./stream/registry.ts";

/** How long stopping waits for the requests being answered before cutting them off. */
const REQUESTS_DRAIN_MS = 1000;
/** How long stopping waits for running jobs before leaving them to run again later. */
const WORKERS_CLOSE_MS = 1000;
/** A repeat of the first signal this soon is the same Ctrl-C, not a second one. */
const SAME_SIGNAL_MS = 500;
/** A stop not done by then exits anyway: well inside docker stop's 10 s. */
const STOP_LIMIT_MS = 2800;

export class PortInUse extends Error {
  constructor(
    readonly port: number,
    readonly variable: string,
  ) {
    super(`port ${port} (${variable}) is in use`);
  }
}

/**
 * Starts Redis (embedded unless REDIS_URL or REDIS_CLUSTER_NODES), SQLite, the repair pass and
 * the HTTP server. A Redis or cluster that does not answer stops the start with RedisUnreachable.
 */
export async function startServer(config: Config, log: Logger) {
  // A taken PORT is said before anything starts (no Redis, no workers whose closing could add
  // lines to the one line that says so); binding below still reports a port lost meanwhile.
  if (config.role !== "worker" && !portIsFree(config.port))
    throw new PortInUse(config.port, "PORT");
  // The database first: a wrong DATABASE_URL stops the start before anything else is running.
  const db = await openDatabase(config);
  const clusterNodes = config.redisClusterNodes;
  if (clusterNodes) await checkCluster(clusterNodes);
  if (config.redisUrl) await checkRedis(config.redisUrl);
  const external = config.redisUrl ?? clusterNodes;
  const embedded = external ? null : await startRedisOrExit(config, log);
  const redisUrl = config.redisUrl ?? embedded?.url;
  // This is the composition root: the deps, and the workers that use them (started below).
  const { deps, close, startWorkersNow } = withWorkers(
    buildDeps(config, { redisUrl, clusterNodes, log, keyPrefix: config.redisKeyPrefix, db }),
  );
  warnAboutDefaults(config, log);
  // After any restart: live days healed from SQLite × stream × KakaoPay (a power cut may have
  // rolled either store back), before customers are served. Nothing of this process is in
  // flight yet, so even the last second before the stop is taken as settled.
  const repairs = await healAllLiveDays(deps, { askKakaoPay: true, settleMs: 0 });
  log.info({ repairs: repairs.length, ...countKinds(repairs) }, "live days checked and healed");
  await healWhenRedisRestarts(deps);
  // Workers only now: a job re-run before healing could hand out a pickup number Redis forgot.
  if (config.role !== "api") startWorkersNow();

  let server: HttpServer | null = null;
  try {
    if (config.role !== "worker") server = serveApp(config, deps);
  } catch (err) {
    await close(WORKERS_CLOSE_MS);
    await embedded?.stop();
    throw err;
  }
  if (server) log.info({ url: config.publicUrl, port: server.port }, "simple-order listening");

  let stopped: Promise<string[]> | null = null;
  /** Stops everything; resolves with what it did, e.g. ["closed 2 feeds", "workers closed"]. */
  const stop = () => {
    stopped ??= (async () => {
      const done = server ? await stopHttp(server, deps.feeds) : [];
      done.push(workersDone(await close(WORKERS_CLOSE_MS)));
      await embedded?.stop();
      done.push(redisDone(embedded));
      return done;
    })();
    return stopped;
  };
  return { deps, server, stop, redisUrl, embedded };
}

type HttpServer = ReturnType<typeof Bun.serve>;

function serveApp(config: Config, deps: Deps): HttpServer {
  const fetch = createApp(deps).fetch;
  return listen(config.port, "PORT", () =>
    Bun.serve({ port: config.port, fetch, idleTimeout: 60 }),
  );
}

/** Runs `serve` (a Bun.serve), turning a port already taken into PortInUse. */
export function listen<T>(port: number, variable: string, serve: () => T): T {
  try {
    return serve();
  } catch (err) {
    if ((err as { code?: string }).code === "EADDRINUSE") throw new PortInUse(port, variable);
    throw err;
  }
}

/** Whether a server could listen on `port` right now (as Bun.serve would, on every address). */
export function portIsFree(port: number): boolean {
  try {
    listen(port, "", () => Bun.serve({ port, fetch: () => new Response() })).stop(true);
    return true;
  } catch (err) {
    if (err instanceof PortInUse) return false;
    throw err;
  }
}

/**
 * Stops listening, ends every feed (open feeds would hold the server forever; their clients
 * reconnect to the next server and resume by Last-Event-ID) and lets the requests in flight end.
 */
async function stopHttp(server: HttpServer, feeds: FeedRegistry): Promise<string[]> {
  const pending = server.pendingRequests;
  const drained = server.stop().then(() => true);
  const closed = feeds.closeAll();
  const inFlight = Math.max(0, pending - closed);
  const done = [`closed ${count(closed, "feed")}`];
  if (await Promise.race([drained, Bun.sleep(REQUESTS_DRAIN_MS).then(() => false)])) {
    done.push(`${count(inFlight, "request")} in flight`);
    return done;
  }
  const cutOff = server.pendingRequests;
  await server.stop(true);
  done.push(`${count(inFlight, "request")} in flight (${cutOff} cut off after 1 s)`);
  return done;
}

function workersDone(workers: WorkersClosed) {
  if (workers === "none") return "no workers here";
  if (workers === "closed") return "workers closed";
  return "workers stopped with jobs still running (they run again later)";
}

function redisDone(embedded: EmbeddedRedis | null) {
  if (!embedded) return "redis disconnected";
  if (embedded.reused) return "redis left running (another process on DATA_DIR started it)";
  return "redis stopped";
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

async function startRedisOrExit(config: Config, log: Logger): Promise<EmbeddedRedis> {
  try {
    return await startEmbeddedRedis({
      dataDir: config.dataDir,
      appendfsync: config.durability.redisAppendfsync,
      log: (msg, extra) => log.info(extra ?? {}, msg),
    });
  } catch (err) {
    console.error(
      err instanceof RedisUnavailable ? err.message : `redis: ${(err as Error).message}`,
    );
    process.exit(1);
  }
}

/**
 * SIGINT/SIGTERM stop everything (and the embedded Redis), say what was stopped and exit. A
 * second signal, or a stop still running after STOP_LIMIT_MS, exits at once: the embedded
 * redis-server's watchdog still stops it. `echo`: also print those lines when the log level
 * hides them (the demo logs at warn).
 */
export function stopOnSignals(
  stop: () => Promise<string[]>,
  log: Logger,
  opts: { echo?: boolean } = {},
) {
  const say = (line: string, fields: object = {}) => {
    log.info(fields, line);
    if (opts.echo && !log.isLevelEnabled("info")) console.log(line);
  };
  let first: { signal: NodeJS.Signals; at: number } | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first) {
      // One Ctrl-C arrives twice under `bun run`: from the terminal and forwarded by bun.
      if (signal === first.signal && Date.now() - first.at < SAME_SIGNAL_MS) return;
      say(`${signal} again while stopping: exiting now`, { signal });
      process.exit(1);
    }
    first = { signal, at: Date.now() };
    say(`stopping on ${signal}`, { signal });
    setTimeout(() => {
      say(`still stopping after ${STOP_LIMIT_MS / 1000} s: exiting now`);
      process.exit(1);
    }, STOP_LIMIT_MS).unref();
    stop().then(
      (done) => {
        say(`stopped: ${done.join(", ")}`);
        process.exit(0);
      },
      (err) => {
        log.error({ err }, "stopping failed");
        if (opts.echo) console.error(`stopping failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/** Things an operator should know at start: what is off, and what talks to the emulator. */
function warnAboutDefaults(config: Config, log: Logger) {
  if (!config.skillKey) log.warn("SKILL_KEY is not set: every Kakao skill request answers 401");
  if (!config.operatorToken)
    log.warn("OPERATOR_TOKEN is not set: /metrics and /admin/queues refuse everyone");
  if (config.kakaopay.baseUrl === config.emulator.publicUrl) {
    log.warn(
      { url: config.kakaopay.baseUrl },
      "KakaoPay is the emulator (KAKAOPAY_BASE_URL not set)",
    );
  }
  if (config.devPages) log.warn("dev pages are on (/dev/chat): set DEV_PAGES=false in production");
}
