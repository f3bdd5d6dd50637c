import type { RedisClient } from "./redisClient.ts";

/**
 * This process as the owner of short locks: a random id whose `alive` key Redis keeps only while
 * the process runs (refreshed every 500 ms, gone 2 s after a crash). A lock left by a dead owner
 * is taken over at once instead of waiting out its expiry.
 */
export type ProcessOwner = {
  id: string;
  isAlive: (ownerId: string) => Promise<boolean>;
  stop: () => Promise<void>;
};

const ALIVE_MS = 2000;
const REFRESH_MS = 500;

export function startProcessOwner(redis: RedisClient, prefix: string): ProcessOwner {
  const id = Bun.randomUUIDv7();
  const aliveKey = (owner: string) => `${prefix}:alive:${owner}`;
  const refresh = () => redis.set(aliveKey(id), "1", "PX", ALIVE_MS).catch(() => {});
  void refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  timer.unref?.();
  return {
    id,
    isAlive: async (owner) => owner === id || (await redis.exists(aliveKey(owner))) === 1,
    stop: async () => {
      clearInterval(timer);
      await redis.del(aliveKey(id)).catch(() => {});
    },
  };
}

const TAKE_OVER = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1]) end return 0`;

/** Takes `key` for this process: free, or held by an owner that is no longer alive. */
export async function takeLock(redis: RedisClient, owner: ProcessOwner, key: string, ttlS: number) {
  if (await redis.set(key, owner.id, "EX", ttlS, "NX")) return true;
  const holder = await redis.get(key);
  if (holder === null) return (await redis.set(key, owner.id, "EX", ttlS, "NX")) === "OK";
  if (holder === owner.id || (await owner.isAlive(holder))) return false;
  return (await redis.eval(TAKE_OVER, 1, key, holder, owner.id, ttlS)) === 1;
}

export async function releaseLock(redis: RedisClient, owner: ProcessOwner, key: string) {
  await redis.eval(RELEASE, 1, key, owner.id);
}
