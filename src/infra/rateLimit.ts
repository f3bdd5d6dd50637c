import source from "./rateLimit.lua" with { type: "text" };
import type { RedisClient } from "./redisClient.ts";

/** At most `limit` in any `windowMs` (a burst of `limit`, then one every windowMs/limit). */
export type Rate = { limit: number; windowMs: number };

export type RateVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

const sha = new Bun.CryptoHasher("sha1").update(source).digest("hex");

/**
 * Counts one call against `key` (atomic in Redis, so it holds across processes). A refused call
 * is not counted: a client that keeps hammering gets through again as soon as the rate allows.
 */
export async function takeRate(
  redis: RedisClient,
  key: string,
  rate: Rate,
  now: number,
): Promise<RateVerdict> {
  const args = [now, rate.windowMs, rate.limit];
  let reply: [number, number];
  try {
    reply = (await redis.evalsha(sha, 1, key, ...args)) as [number, number];
  } catch (err) {
    if (!String((err as Error).message).includes("NOSCRIPT")) throw err;
    reply = (await redis.eval(source, 1, key, ...args)) as [number, number];
  }
  return reply[0] === 1 ? { allowed: true } : { allowed: false, retryAfterMs: reply[1] };
}
