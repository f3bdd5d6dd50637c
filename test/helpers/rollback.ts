import { type RedisClient, scanKeys } from "../../src/infra/redisClient.ts";

/**
 * What a power cut leaves of Redis: every key of a prefix as it was at `take()`, restored by
 * `restore()` (keys written since are gone, keys changed since are back to their old value).
 */
export async function redisSnapshot(redis: RedisClient, prefix: string) {
  const keys = await Array.fromAsync(scanKeys(redis, `${prefix}:*`, 1000));
  const dumps = await Promise.all(keys.map((k) => redis.dumpBuffer(k)));
  return {
    keys: keys.length,
    async restore() {
      // One key at a time: on a cluster the keys live in many slots.
      for await (const key of scanKeys(redis, `${prefix}:*`, 1000)) await redis.unlink(key);
      for (let i = 0; i < keys.length; i++) {
        const dump = dumps[i];
        if (dump) await redis.restore(keys[i]!, 0, dump, "REPLACE");
      }
    },
  };
}
