import { type Cluster, Redis } from "ioredis";
import type { Logger } from "../infra/logger.ts";
import { keySlot, nodeOptions, type RedisTarget } from "../infra/redisClient.ts";

/** A lane's blocking connection: `unblock` ends its XREAD early (CLIENT UNBLOCK on its node). */
export type LaneReader = { redis: Redis; unblock: () => void; close: () => void };

/** How the hub splits streams into lanes and opens each lane's reader. */
export type ReaderPlan = {
  laneOf: (key: string) => string;
  open: (lane: string, key: string) => Promise<LaneReader>;
  /** true: a lane without streams closes its connection, and a failed read re-opens it */
  closesIdleLanes: boolean;
  close: () => Promise<void>;
};

/** One node: one lane, one reader for the life of the process (ioredis reconnects it). */
export function singleNodePlan(reader: Redis, command: Redis): ReaderPlan {
  let readerId: number | null = null;
  const learnId = async () => {
    try {
      readerId = Number(await reader.client("ID"));
    } catch {
      readerId = null;
    }
  };
  reader.on("ready", () => void learnId());
  const lane: Promise<LaneReader> = learnId().then(() => ({
    redis: reader,
    unblock: () => {
      if (readerId !== null) command.client("UNBLOCK", readerId).catch(() => {});
    },
    close: () => reader.disconnect(),
  }));
  return {
    laneOf: () => "all",
    open: () => lane,
    closesIdleLanes: false,
    close: async () => reader.disconnect(),
  };
}

type SlotRange = [number, number, [string, number, ...unknown[]], ...unknown[]];

/**
 * A cluster: one lane per hash slot, read on the slot's master by a plain connection that never
 * reconnects by itself: after a failover it fails, and the lane asks the cluster again.
 */
export function clusterPlan(cluster: Cluster, target: RedisTarget, log: Logger, name: string) {
  const masterOf = async (slot: number) => {
    const ranges = (await cluster.cluster("SLOTS")) as unknown as SlotRange[];
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    if (!range) throw new Error(`no master serves slot ${slot}`);
    return { host: String(range[2][0]), port: Number(range[2][1]) };
  };
  const open = async (lane: string): Promise<LaneReader> => {
    const { host, port } = await masterOf(Number(lane));
    const redis = new Redis({
      ...nodeOptions(target, host, port),
      connectionName: `${name}-hub-slot-${lane}`,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: true,
      lazyConnect: true,
    });
    redis.on("error", (err) => log.debug({ err: err.message, lane }, "hub reader error"));
    await redis.connect();
    const id = Number(await redis.client("ID"));
    // CLIENT UNBLOCK must reach the reader's own node: the cluster client's connection to it.
    const sameNode = () =>
      cluster.nodes("master").find((n) => n.options.host === host && n.options.port === port);
    return {
      redis,
      unblock: () => {
        const node = sameNode();
        // Not known by that address: dropping the connection ends the read too (it re-opens).
        if (node) node.client("UNBLOCK", id).catch(() => {});
        else redis.disconnect();
      },
      close: () => redis.disconnect(),
    };
  };
  const plan: ReaderPlan = {
    laneOf: (key) => String(keySlot(key)),
    open,
    closesIdleLanes: true,
    close: async () => {},
  };
  return plan;
}
