import { Redis } from "ioredis";
import type { Config } from "./config.ts";
import type { Deps } from "./deps.ts";
import { type Clock, systemClock } from "./infra/clock.ts";
import { type Db, openSqlite } from "./infra/db.ts";
import { redisOptionsFromUrl } from "./infra/embeddedRedis.ts";
import type { Logger } from "./infra/logger.ts";
import { createMetrics } from "./infra/metrics.ts";
import { startProcessOwner } from "./infra/owner.ts";
import { closeQueues, createQueues } from "./infra/queues.ts";
import { createEventApi } from "./kakao/eventApi.ts";
import { createKakaoPay } from "./payment/kakaopay.ts";
import { StreamHub } from "./stream/hub.ts";
import { redisKeys } from "./stream/keys.ts";
import { defineScripts } from "./stream/scripts/command.ts";
import "./stream/scripts/index.ts";
import { FeedRegistry } from "./stream/registry.ts";

export type BuildOptions = {
  redisUrl: string;
  log: Logger;
  keyPrefix?: string;
  clock?: Clock;
  heartbeatMs?: number;
  hubBlockMs?: number;
  /** an opened database (PostgreSQL opens asynchronously: openDatabase); else the SQLite file */
  db?: Db;
};

/** The emulator's default keys, used when no real KakaoPay/Kakao keys are configured (dev, demo, tests). */
export const DEV_KAKAOPAY_SECRET_KEY = "DEV_SECRET_KEY";
export const DEV_KAKAO_REST_API_KEY = "DEV_REST_API_KEY";
export const DEV_KAKAO_BOT_ID = "dev-bot";

/**
 * Real dependencies: SQLite at config.databasePath, Redis at redisUrl, one hub. No workers: the
 * composition root adds them (workers/index.ts `withWorkers`), so nothing in src/ imports workers/.
 */
export function buildDeps(config: Config, opts: BuildOptions) {
  const connection = redisOptionsFromUrl(opts.redisUrl);
  const keys = redisKeys(opts.keyPrefix ?? "so");
  // Auto-pipelining batches the many small commands of concurrent requests into fewer writes.
  const redis = new Redis({
    ...connection,
    connectionName: `${keys.prefix}-command`,
    enableAutoPipelining: true,
  });
  defineScripts(redis);
  const reader = new Redis({ ...connection, connectionName: `${keys.prefix}-hub-reader` });
  const hub = new StreamHub(reader, redis, opts.log, {
    blockMs: opts.hubBlockMs ?? 5000,
    count: 1000,
  });
  const metrics = createMetrics();
  const feeds = new FeedRegistry(hub, redis, keys, opts.heartbeatMs ?? 15_000);
  metrics.feedsOpen.collect(() => feeds.size);
  hub.start();
  const deps: Deps = {
    config,
    db:
      opts.db ??
      openSqlite(config.databasePath, { synchronous: config.durability.sqliteSynchronous }),
    redis,
    keys,
    queues: createQueues(connection, keys.prefix),
    clock: opts.clock ?? systemClock,
    log: opts.log,
    metrics,
    feeds,
    kakaopay: createKakaoPay({
      baseUrl: config.kakaopay.baseUrl,
      secretKey: config.kakaopay.secretKey ?? DEV_KAKAOPAY_SECRET_KEY,
      cid: config.kakaopay.cid,
      ...config.kakaopay.guard,
      onRefused: (reason) => metrics.kakaopayRefused.inc({ reason }),
    }),
    owner: startProcessOwner(redis, keys.prefix),
    eventApi: createEventApi({
      baseUrl: config.kakaoEvent.baseUrl,
      restApiKey: config.kakaoEvent.restApiKey ?? DEV_KAKAO_REST_API_KEY,
      botId: config.kakaoEvent.botId ?? DEV_KAKAO_BOT_ID,
    }),
  };
  const breakerLevel = { closed: 0, half_open: 1, open: 2 } as const;
  metrics.kakaopayBreaker.collect(() => breakerLevel[deps.kakaopay.guard.state()]);
  metrics.kakaopayInFlight.collect(() => deps.kakaopay.guard.inFlight());
  /** Closes the queues, Redis and SQLite (workers, if any, are closed first by their owner). */
  const close = async () => {
    feeds.closeAll();
    await deps.owner.stop();
    await hub.stop();
    await closeQueues(deps.queues);
    redis.disconnect();
    await deps.db.close();
  };
  return { deps, connection, close };
}

export type BuiltDeps = ReturnType<typeof buildDeps>;
