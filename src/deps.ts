import type { Config } from "./config.ts";
import type { Clock } from "./infra/clock.ts";
import type { Db } from "./infra/db.ts";
import type { Logger } from "./infra/logger.ts";
import type { Metrics } from "./infra/metrics.ts";
import type { ProcessOwner } from "./infra/owner.ts";
import type { Queues } from "./infra/queues.ts";
import type { RedisClient } from "./infra/redisClient.ts";
import type { EventApi } from "./kakao/eventApi.ts";
import type { ApprovalSignal } from "./payment/approvalSignal.ts";
import type { KakaoPay } from "./payment/kakaopay.ts";
import type { RedisKeys } from "./stream/keys.ts";
import type { FeedRegistry } from "./stream/registry.ts";

export type { Queues } from "./infra/queues.ts";

/** Everything a feature needs, passed in: tests build it on their own prefix and temp DB. */
export type Deps = {
  config: Config;
  db: Db;
  /** one Redis node, or a Redis Cluster (every multi-key script stays in one store's slot) */
  redis: RedisClient;
  keys: RedisKeys;
  queues: Queues;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  feeds: FeedRegistry;
  kakaopay: KakaoPay;
  eventApi: EventApi;
  /** this process as a lock owner (locks of a crashed process are taken over at once) */
  owner: ProcessOwner;
  /** finished payment jobs, heard by approval pages in every process */
  approvals: ApprovalSignal;
};
