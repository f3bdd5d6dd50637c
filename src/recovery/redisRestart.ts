import type { Cluster } from "ioredis";
import type { Deps } from "../deps.ts";
import { isCluster } from "../infra/redisClient.ts";
import { countKinds, healAllLiveDays } from "./healDay.ts";

const runIdOf = async (deps: Deps) =>
  /run_id:(\w+)/.exec(await deps.redis.info("server"))?.[1] ?? "";

/** How often a cluster's masters are looked at (a failover emits no event we can rely on). */
const CLUSTER_CHECK_MS = 2000;

/**
 * Redis restarted under a running process (its host lost power, say): what it reloaded may be
 * older than what we handed out, so live days are healed at once rather than at the next sweep.
 * On a cluster the same goes for a failover: the promoted replica may lack the master's last
 * writes (replication is asynchronous). Returns a stop for the cluster's check.
 */
export async function healWhenRedisRestarts(deps: Deps): Promise<() => void> {
  const heal = async (why: string) => {
    try {
      const repairs = await healAllLiveDays(deps, { askKakaoPay: true });
      deps.log.warn(
        { repairs: repairs.length, ...countKinds(repairs) },
        `${why}: live days healed`,
      );
    } catch (err) {
      deps.log.error({ err: (err as Error).message }, `healing after ${why} failed`);
    }
  };
  if (isCluster(deps.redis)) return watchMasters(deps.redis, () => heal("redis failover"));
  let runId = await runIdOf(deps);
  deps.redis.on("ready", async () => {
    const now = await runIdOf(deps).catch(() => "");
    if (!now || now === runId) return;
    runId = now;
    await heal("redis restarted");
  });
  return () => {};
}

/** The ids of the masters serving slots, from CLUSTER NODES; "" when the cluster is not ok. */
async function servingMasters(cluster: Cluster) {
  const text = String(await cluster.cluster("NODES"));
  const ids = text
    .split("\n")
    .map((line) => line.split(" "))
    .filter((f) => f.length > 8 && f[2]!.includes("master") && !f[2]!.includes("fail"))
    .map((f) => f[0]!)
    .sort();
  return ids.join(",");
}

function watchMasters(cluster: Cluster, onChange: () => Promise<void>) {
  let known: string | null = null;
  let busy = false;
  const check = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = await servingMasters(cluster);
      if (known !== null && now !== known) await onChange();
      known = now;
    } catch {
      // The cluster is away or failing over: look again next time.
    } finally {
      busy = false;
    }
  };
  void check();
  const timer = setInterval(check, CLUSTER_CHECK_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}
