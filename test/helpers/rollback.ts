import type { Redis } from "ioredis";

/**
 * What a power cut leaves of Redis: every key of a prefix as it was at `take()`, restored by
 * `restore()` (keys written since are gone, keys changed since are back to their old value).
 */
export async function redisSnapshot(redis: Redis, prefix: string) {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  const dumps = await Promise.all(keys.map((k) => redis.dumpBuffer(k)));
  return {
    keys: keys.length,
    async restore() {
      let c = "0";
      do {
        const [next, found] = await redis.scan(c, "MATCH", `${prefix}:*`, "COUNT", 1000);
        c = next;
        if (found.length) await redis.unlink(...found);
      } while (c !== "0");
      for (let i = 0; i < keys.length; i++) {
        const dump = dumps[i];
        if (dump) await redis.restore(keys[i]!, 0, dump, "REPLACE");
      }
    },
  };
}
