import { createApp } from "./app.ts";
import { buildDeps } from "./bootstrap.ts";
import type { Config } from "./config.ts";
import { type EmbeddedRedis, RedisUnavailable, startEmbeddedRedis } from "./infra/embeddedRedis.ts";
import type { Logger } from "./infra/logger.ts";
import { countKinds, healAllLiveDays } from "./recovery/healDay.ts";
import { healWhenRedisRestarts } from "./recovery/redisRestart.ts";

/** Starts Redis (embedded unless REDIS_URL), SQLite, the repair pass and the HTTP server. */
export async function startServer(config: Config, log: Logger) {
  const embedded = config.redisUrl ? null : await startRedisOrExit(config, log);
  const redisUrl = config.redisUrl ?? embedded!.url;
  const { deps, close } = buildDeps(config, {
    redisUrl,
    log,
    keyPrefix: config.redisKeyPrefix,
    workers: config.role !== "api",
  });
  warnAboutDefaults(config, log);
  // After any restart: live days healed from SQLite × stream × KakaoPay (a power cut may have
  // rolled either store back), before customers are served. Nothing of this process is in
  // flight yet, so even the last second before the stop is taken as settled.
  const repairs = await healAllLiveDays(deps, { askKakaoPay: true, settleMs: 0 });
  log.info({ repairs: repairs.length, ...countKinds(repairs) }, "live days checked and healed");
  await healWhenRedisRestarts(deps);

  const server =
    config.role === "worker"
      ? null
      : Bun.serve({ port: config.port, fetch: createApp(deps).fetch, idleTimeout: 60 });
  if (server) log.info({ url: config.publicUrl, port: server.port }, "simple-order listening");

  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      await server?.stop();
      await close();
      await embedded?.stop();
    })();
    return stopped;
  };
  return { deps, server, stop, redisUrl };
}

async function startRedisOrExit(config: Config, log: Logger): Promise<EmbeddedRedis> {
  try {
    return await startEmbeddedRedis({
      dataDir: config.dataDir,
      log: (msg, extra) => log.info(extra ?? {}, msg),
    });
  } catch (err) {
    console.error(
      err instanceof RedisUnavailable ? err.message : `redis: ${(err as Error).message}`,
    );
    process.exit(1);
  }
}

/** SIGINT/SIGTERM stop everything (and the embedded Redis) before exiting. */
export function stopOnSignals(stop: () => Promise<void>, log: Logger) {
  const onSignal = (signal: string) => {
    log.info({ signal }, "shutting down");
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
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
