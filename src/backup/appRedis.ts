import { Redis } from "ioredis";
import type { Config } from "../config.ts";
import { redisOptionsFromUrl, startEmbeddedRedis } from "../infra/embeddedRedis.ts";

/**
 * The app's Redis for an operator command: REDIS_URL, or the embedded one of DATA_DIR — the
 * running server's when it is up (its socket answers), else one started for this command and
 * stopped after it (on stop it writes its append-only file, which the server loads next).
 */
export async function connectAppRedis(config: Config) {
  refuseSharedEngines(config);
  const embedded = config.redisUrl ? null : await startEmbeddedRedis({ dataDir: config.dataDir });
  const redis = new Redis({
    ...redisOptionsFromUrl(config.redisUrl ?? embedded!.url),
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  redis.on("error", () => {}); // reported by the failing command instead
  const close = async () => {
    redis.disconnect();
    await embedded?.stop();
  };
  try {
    await redis.connect();
  } catch (err) {
    await close();
    // Not echoing REDIS_URL: it may carry a password.
    const where = config.redisUrl ? "REDIS_URL" : "the embedded Redis";
    throw new Error(`cannot reach ${where}: ${(err as Error).message}`);
  }
  return { redis, embedded: embedded !== null, close };
}

/**
 * Backup and restore copy the one-host setup: the SQLite file and one Redis node. A platform on
 * PostgreSQL or a Redis Cluster is backed up by those engines' own tools (docs/deploy.md); a
 * SQLite file left in DATA_DIR from the one-host days must not pass for its data.
 */
export function refuseSharedEngines(config: Config) {
  if (config.databaseUrl) {
    throw new Error(
      "backup and restore copy the SQLite file: with DATABASE_URL, back up PostgreSQL with its own tools (pg_dump, PITR; see docs/deploy.md)",
    );
  }
  if (config.redisClusterNodes) {
    throw new Error(
      "backup and restore copy one Redis node: with REDIS_CLUSTER_NODES, back up the cluster with its own persistence (RDB/AOF on every master)",
    );
  }
}
