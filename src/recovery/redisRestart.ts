import type { Deps } from "../deps.ts";
import { countKinds, healAllLiveDays } from "./healDay.ts";

const runIdOf = async (deps: Deps) =>
  /run_id:(\w+)/.exec(await deps.redis.info("server"))?.[1] ?? "";

/**
 * Redis restarted under a running process (its host lost power, say): what it reloaded may be
 * older than what we handed out, so live days are healed at once rather than at the next sweep.
 */
export async function healWhenRedisRestarts(deps: Deps) {
  let runId = await runIdOf(deps);
  deps.redis.on("ready", async () => {
    try {
      const now = await runIdOf(deps);
      if (!now || now === runId) return;
      runId = now;
      const repairs = await healAllLiveDays(deps, { askKakaoPay: true });
      deps.log.warn(
        { repairs: repairs.length, ...countKinds(repairs) },
        "redis restarted: live days healed",
      );
    } catch (err) {
      deps.log.error({ err: (err as Error).message }, "healing after a redis restart failed");
    }
  });
}
