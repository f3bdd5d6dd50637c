import "./tracingChannels.ts";
import { type ChainableCommander, Cluster, Redis, type RedisOptions } from "ioredis";
import { type RedisConnectOptions, redisOptionsFromUrl } from "./embeddedRedis.ts";

/** The command client: one Redis node, or a Redis Cluster (REDIS_CLUSTER_NODES). */
export type RedisClient = Redis | Cluster;

export type ClusterSeed = { host: string; port: number };

/** Where Redis is: one node (REDIS_URL or the embedded one) or a cluster's seed nodes. */
export type RedisTarget = { kind: "node"; url: string } | { kind: "cluster"; nodes: ClusterSeed[] };

/**
 * What BullMQ gets as `connection`: options for one node (BullMQ opens its own connections), or
 * for a cluster a Cluster client (BullMQ cannot build one from options) that we close ourselves.
 */
export type QueueConnection = (RedisConnectOptions & { commandTimeout?: number }) | Cluster;

/** A command waiting longer than this fails: a lost Redis answers 503, never hangs a request. */
export const COMMAND_TIMEOUT_MS = 4000;

/**
 * Whether `err` says Redis cannot be reached right now (down, failing over, too slow), as
 * opposed to a bug: such a request is answered 503, and retried by the client later.
 */
export function isRedisOutage(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === "MaxRetriesPerRequestError" || err.name === "ClusterAllFailedError") return true;
  return /Command timed out|Connection is closed|Cluster isn't ready|CLUSTERDOWN|TRYAGAIN|None of startup nodes|Stream isn't writeable|ECONNREFUSED|ECONNRESET|Too many Cluster redirections/.test(
    err.message,
  );
}

/**
 * Reports a client's connection errors as one warning per `everyMs` (a lost Redis otherwise
 * prints a stack per reconnect attempt); the failing commands answer for themselves.
 */
export function reportErrors(
  client: { on: (event: "error", listener: (err: Error) => void) => unknown },
  warn: (message: string) => void,
  everyMs = 10_000,
) {
  let last = 0;
  client.on("error", (err: Error) => {
    if (Date.now() - last < everyMs) return;
    last = Date.now();
    warn(err.message);
  });
}

export class RedisUnreachable extends Error {
  override name = "RedisUnreachable";
  constructor(
    message: string,
    /** the setting to check: REDIS_URL or REDIS_CLUSTER_NODES */
    readonly variable = "REDIS_CLUSTER_NODES",
  ) {
    super(message);
  }
}

export const isCluster = (redis: unknown): redis is Cluster => redis instanceof Cluster;

type LegacyClusterOptions = NonNullable<ConstructorParameters<typeof Cluster<"legacy">>[1]>;

const clusterOptions = (name: string, extra: RedisOptions): LegacyClusterOptions => ({
  redisOptions: { connectionName: name, ...extra, replyMapping: "legacy" },
  // A failover (replica promoted after cluster-node-timeout) takes a few seconds: retried
  // commands wait it out, up to commandTimeout.
  retryDelayOnFailover: 200,
  retryDelayOnClusterDown: 200,
  retryDelayOnTryAgain: 200,
  slotsRefreshTimeout: 2000,
});

export const nodeClient = (url: string, name: string, extra: RedisOptions = {}) =>
  new Redis({ ...redisOptionsFromUrl(url), connectionName: name, ...extra });

/** A client for `target`; `extra` adds ioredis options (timeouts, blocking settings). */
export function redisClient(
  target: RedisTarget,
  name: string,
  extra: RedisOptions = {},
): RedisClient {
  if (target.kind === "node") return nodeClient(target.url, name, extra);
  const { enableAutoPipelining, commandTimeout, ...rest } = extra;
  const options = { ...clusterOptions(name, { ...rest, commandTimeout }), enableAutoPipelining };
  return commandTimeout
    ? new TimedCluster(target.nodes, options, commandTimeout)
    : new Cluster(target.nodes, options);
}

type SendCommand = Cluster["sendCommand"];

/**
 * ioredis times commands out on each node's connection only: while the whole cluster is away a
 * command waits in the cluster's own queue for ever. This one starts the clock on arrival.
 */
class TimedCluster extends Cluster {
  constructor(
    nodes: ClusterSeed[],
    options: LegacyClusterOptions,
    private readonly timeoutMs: number,
  ) {
    super(nodes, options);
  }

  override sendCommand(...args: Parameters<SendCommand>): ReturnType<SendCommand> {
    args[0].setTimeout(this.timeoutMs);
    return super.sendCommand(...args);
  }
}

/**
 * BullMQ's connection. `forWorkers`: blocking commands wait as long as they must
 * (maxRetriesPerRequest null, no command timeout); else (queues, used by requests) a command
 * fails after COMMAND_TIMEOUT_MS like every other.
 */
export function queueConnection(
  target: RedisTarget,
  name: string,
  forWorkers: boolean,
): QueueConnection {
  const limits = forWorkers ? {} : { commandTimeout: COMMAND_TIMEOUT_MS };
  if (target.kind === "node") return { ...redisOptionsFromUrl(target.url), ...limits };
  return new Cluster(target.nodes, clusterOptions(name, { maxRetriesPerRequest: null, ...limits }));
}

/** Options of a plain connection to one node of the cluster (same credentials as the seeds). */
export function nodeOptions(target: RedisTarget, host: string, port: number): RedisOptions {
  if (target.kind === "node") return redisOptionsFromUrl(target.url);
  return { host, port };
}

/**
 * Start-up check: the cluster answers and serves every slot, within `ms`. Throws RedisUnreachable
 * with one line (the nodes named, no password) otherwise.
 */
export async function checkCluster(nodes: ClusterSeed[], ms = 3000) {
  const names = nodes.map((n) => `${n.host}:${n.port}`).join(",");
  const probe = new Cluster(nodes, {
    lazyConnect: true,
    clusterRetryStrategy: () => null,
    slotsRefreshTimeout: ms,
    redisOptions: { connectTimeout: ms, maxRetriesPerRequest: 0 },
  });
  probe.on("error", () => {});
  const timeout = Bun.sleep(ms).then(() => {
    throw new Error(`no answer within ${ms / 1000} s`);
  });
  try {
    const info = await Promise.race([probe.connect().then(() => probe.cluster("INFO")), timeout]);
    const state = /cluster_state:(\w+)/.exec(String(info))?.[1];
    if (state !== "ok") throw new Error(`cluster_state is ${state ?? "unknown"}`);
  } catch (err) {
    const why = (err as Error).message.split("\n")[0];
    throw new RedisUnreachable(`cannot reach the Redis Cluster at ${names}: ${why}`);
  } finally {
    probe.disconnect();
  }
}

/**
 * Start-up check of a single REDIS_URL: it answers PING within `ms`. Throws RedisUnreachable with
 * one line (host:port or the socket, never the password) otherwise.
 */
export async function checkRedis(url: string, ms = 3000) {
  const options = redisOptionsFromUrl(url);
  const where = options.path ?? `${options.host}:${options.port}`;
  const probe = new Redis({
    ...options,
    lazyConnect: true,
    connectTimeout: ms,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on("error", () => {});
  const timeout = Bun.sleep(ms).then(() => {
    throw new Error(`no answer within ${ms / 1000} s`);
  });
  try {
    await Promise.race([probe.connect().then(() => probe.ping()), timeout]);
  } catch (err) {
    const why = (err as Error).message.split("\n")[0];
    throw new RedisUnreachable(`cannot reach Redis at ${where}: ${why}`, "REDIS_URL");
  } finally {
    probe.disconnect();
  }
}

/**
 * A MULTI's replies in order, or its first error thrown: an error reply (a failover's MOVED or
 * TRYAGAIN, a timeout) must not read as "no such key" (a session that ended, an empty cart).
 */
export async function execReplies(multi: ChainableCommander): Promise<unknown[]> {
  const results = await multi.exec();
  if (!results) throw new Error("redis transaction aborted");
  for (const [err] of results) if (err) throw err;
  return results.map(([, value]) => value);
}

/** Redis answers: PING on one node; on a cluster, every slot served (cluster_state:ok). */
export async function redisAnswers(redis: RedisClient): Promise<boolean> {
  if (!isCluster(redis)) return (await redis.ping()) === "PONG";
  return String(await redis.cluster("INFO")).includes("cluster_state:ok");
}

/**
 * Every key matching `pattern`: SCAN on each master of a cluster (a cluster has no global SCAN).
 * A master whose connection the client replaced meanwhile (a slots refresh, a failover) is
 * scanned again on its new connection, so a key may be yielded twice, never missed.
 */
export async function* scanKeys(redis: RedisClient, pattern: string, count = 500) {
  if (!isCluster(redis)) {
    yield* scanNode(redis, pattern, count);
    return;
  }
  const done = new Set<string>();
  for (let round = 1; ; round++) {
    const left = redis.nodes("master").filter((n) => !done.has(addressOf(n)));
    try {
      for (const node of left) {
        yield* scanNode(node, pattern, count);
        done.add(addressOf(node));
      }
      return;
    } catch (err) {
      if (round >= 5 || !isRedisOutage(err)) throw err;
      await Bun.sleep(200 * round);
    }
  }
}

const addressOf = (node: Redis) => `${node.options.host}:${node.options.port}`;

async function* scanNode(node: Redis, pattern: string, count: number) {
  let cursor = "0";
  do {
    const [next, found] = await node.scan(cursor, "MATCH", pattern, "COUNT", count);
    cursor = next;
    yield* found;
  } while (cursor !== "0");
}

/** The hash slot of a key (CRC16/XMODEM of its {tag}, mod 16384), as Redis Cluster computes it. */
export function keySlot(key: string): number {
  const bytes = Buffer.from(key);
  let start = 0;
  let end = bytes.length;
  const open = bytes.indexOf(0x7b); // {
  if (open >= 0) {
    const close = bytes.indexOf(0x7d, open + 1); // }
    if (close > open + 1) {
      start = open + 1;
      end = close;
    }
  }
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc ^= bytes[i]! << 8;
    for (let b = 0; b < 8; b++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}
