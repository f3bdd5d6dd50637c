import { Redis } from "ioredis";
import type { Config } from "./config.ts";
import type { Deps } from "./deps.ts";
import { type Clock, systemClock } from "./infra/clock.ts";
import { openDb } from "./infra/db.ts";
import { redisOptionsFromUrl } from "./infra/embeddedRedis.ts";
import type { Logger } from "./infra/logger.ts";
import { createMetrics } from "./infra/metrics.ts";
import { closeQueues, createQueues } from "./infra/queues.ts";
import { StreamHub } from "./stream/hub.ts";
import { redisKeys } from "./stream/keys.ts";
import { FeedRegistry } from "./stream/registry.ts";

export type BuildOptions = {
  redisUrl: string;
  log: Logger;
  keyPrefix?: string;
  clock?: Clock;
  heartbeatMs?: number;
  hubBlockMs?: number;
};

/** Real dependencies: SQLite at config.databasePath, Redis at redisUrl, one hub. */
export function buildDeps(config: Config, opts: BuildOptions) {
  const connection = redisOptionsFromUrl(opts.redisUrl);
  const keys = redisKeys(opts.keyPrefix ?? "so");
  const redis = new Redis({ ...connection, connectionName: `${keys.prefix}-command` });
  const reader = new Redis({ ...connection, connectionName: `${keys.prefix}-hub-reader` });
  const hub = new StreamHub(reader, redis, opts.log, {
    blockMs: opts.hubBlockMs ?? 5000,
    count: 1000,
  });
  const metrics = createMetrics();
  const feeds = new FeedRegistry(hub, opts.heartbeatMs ?? 15_000);
  metrics.feedsOpen.collect(() => feeds.size);
  hub.start();
  const deps: Deps = {
    config,
    db: openDb(config.databasePath),
    redis,
    keys,
    queues: createQueues(connection, keys.prefix),
    clock: opts.clock ?? systemClock,
    log: opts.log,
    metrics,
    feeds,
  };
  const close = async () => {
    feeds.closeAll();
    await hub.stop();
    await closeQueues(deps.queues);
    redis.disconnect();
    deps.db.$client.close();
  };
  return { deps, close };
}
