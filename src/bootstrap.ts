import type { Config } from "./config.ts";
import type { Deps } from "./deps.ts";
import { type Clock, systemClock } from "./infra/clock.ts";
import { type Db, openSqlite } from "./infra/db.ts";
import type { Logger } from "./infra/logger.ts";
import { createMetrics } from "./infra/metrics.ts";
import { startProcessOwner } from "./infra/owner.ts";
import { closeQueues, createQueues } from "./infra/queues.ts";
import {
  type ClusterSeed,
  COMMAND_TIMEOUT_MS,
  isCluster,
  nodeClient,
  queueConnection,
  type RedisClient,
  type RedisTarget,
  redisClient,
  reportErrors,
} from "./infra/redisClient.ts";
import { createEventApi } from "./kakao/eventApi.ts";
import { createApprovalSignal } from "./payment/approvalSignal.ts";
import { createKakaoPay } from "./payment/kakaopay.ts";
import { StreamHub } from "./stream/hub.ts";
import { clusterPlan } from "./stream/hubLanes.ts";
import { redisKeys } from "./stream/keys.ts";
import { defineScripts } from "./stream/scripts/command.ts";
import "./stream/scripts/index.ts";
import { FeedRegistry } from "./stream/registry.ts";

export type BuildOptions = {
  /** one Redis node (ignored when `clusterNodes` is given) */
  redisUrl?: string;
  /** a Redis Cluster's seed nodes (REDIS_CLUSTER_NODES) */
  clusterNodes?: ClusterSeed[];
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
  const target = redisTarget(opts);
  const cluster = target.kind === "cluster";
  const keys = redisKeys(opts.keyPrefix ?? "so", { cluster });
  // Auto-pipelining batches the many small commands of concurrent requests into fewer writes.
  const redis = redisClient(target, `${keys.prefix}-command`, {
    enableAutoPipelining: true,
    commandTimeout: COMMAND_TIMEOUT_MS,
  });
  defineScripts(redis);
  const warn = (what: string) => (message: string) =>
    opts.log.warn({ err: message, connection: what }, "redis connection error");
  reportErrors(redis, warn("command"));
  const hub = buildHub(target, redis, keys.prefix, opts);
  const connection = queueConnection(target, `${keys.prefix}-bull-workers`, true);
  const queueing = queueConnection(target, `${keys.prefix}-bull`, false);
  // One node: a connection of its own in subscriber mode; a cluster subscribes on its own.
  const subscriber =
    config.role === "worker" ? null : cluster ? redis : redisClient(target, `${keys.prefix}-sub`);
  if (subscriber && subscriber !== redis) reportErrors(subscriber, warn("subscriber"));
  const metrics = createMetrics();
  const feeds = new FeedRegistry(hub, redis, keys, opts.heartbeatMs ?? 15_000);
  metrics.feedsOpen.collect(() => feeds.size);
  hub.start();
  const deps: Deps = {
    config,
    db:
      opts.db ??
      openSqlite(config.databasePath, {
        synchronous: config.durability.sqliteSynchronous,
        checkpointer: true,
      }),
    redis,
    keys,
    queues: createQueues(queueing, keys.queuePrefix),
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
    approvals: createApprovalSignal(redis, subscriber, keys.approvalsChannel),
    eventApi: createEventApi({
      baseUrl: config.kakaoEvent.baseUrl,
      restApiKey: config.kakaoEvent.restApiKey ?? DEV_KAKAO_REST_API_KEY,
      botId: config.kakaoEvent.botId ?? DEV_KAKAO_BOT_ID,
    }),
  };
  for (const queue of Object.values(deps.queues)) reportErrors(queue, warn(`queue ${queue.name}`));
  const breakerLevel = { closed: 0, half_open: 1, open: 2 } as const;
  metrics.kakaopayBreaker.collect(() => breakerLevel[deps.kakaopay.guard.state()]);
  metrics.kakaopayInFlight.collect(() => deps.kakaopay.guard.inFlight());
  /** Closes the queues, Redis and SQLite (workers, if any, are closed first by their owner). */
  const close = async () => {
    feeds.closeAll();
    // Each step bounded: with Redis gone, a goodbye command would wait out its timeout.
    await bounded(deps.owner.stop());
    await bounded(hub.stop());
    await bounded(closeQueues(deps.queues));
    await bounded(deps.approvals.close());
    if (subscriber !== redis) subscriber?.disconnect();
    for (const c of [connection, queueing]) if (isCluster(c)) c.disconnect();
    redis.disconnect();
    await deps.db.close();
  };
  return { deps, connection, close };
}

export type BuiltDeps = ReturnType<typeof buildDeps>;

const bounded = (step: Promise<unknown>, ms = 1000) =>
  Promise.race([step.catch(() => {}), Bun.sleep(ms)]);

function redisTarget(opts: BuildOptions): RedisTarget {
  if (opts.clusterNodes?.length) return { kind: "cluster", nodes: opts.clusterNodes };
  if (!opts.redisUrl) throw new Error("buildDeps needs redisUrl or clusterNodes");
  return { kind: "node", url: opts.redisUrl };
}

/** One node: one blocking reader for the process. A cluster: one per watched slot (hub.ts). */
function buildHub(target: RedisTarget, redis: RedisClient, prefix: string, opts: BuildOptions) {
  const hubOptions = { blockMs: opts.hubBlockMs ?? 5000, count: 1000 };
  if (isCluster(redis)) {
    return new StreamHub(clusterPlan(redis, target, opts.log, prefix), redis, opts.log, hubOptions);
  }
  if (target.kind !== "node") throw new Error("a cluster target gives a cluster client");
  const reader = nodeClient(target.url, `${prefix}-hub-reader`);
  reportErrors(reader, (err) => opts.log.warn({ err }, "redis hub reader error"));
  return StreamHub.onNode(reader, redis, opts.log, hubOptions);
}
