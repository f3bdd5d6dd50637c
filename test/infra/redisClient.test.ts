import { afterAll, describe, expect, test } from "bun:test";
import { execReplies, isRedisOutage, keySlot } from "../../src/infra/redisClient.ts";
import { newRedis } from "../helpers/testDeps.ts";

const redis = newRedis();
afterAll(() => redis.disconnect());
const key = `t-exec-${Bun.randomUUIDv7()}`;

describe("redis client helpers", () => {
  test("execReplies: the replies in order, or the first error reply thrown (never read as no value)", async () => {
    expect(await execReplies(redis.multi().set(key, "1").get(key))).toEqual(["OK", "1"]);
    // HGET on a string: an error reply inside the transaction.
    await expect(execReplies(redis.multi().hget(key, "deviceId").get(key))).rejects.toThrow(
      /WRONGTYPE/,
    );
    await redis.del(key);
  });

  test("keySlot: {tag} hashing as Redis Cluster does (known slots from the Redis docs)", () => {
    expect(keySlot("123456789")).toBe(12739);
    expect(keySlot("{user1000}.following")).toBe(keySlot("{user1000}.followers"));
    expect(keySlot("foo{}{bar}")).toBe(keySlot("foo{}{bar}"));
    expect(keySlot("foo{{bar}}zap")).toBe(keySlot("{bar"));
  });

  test("isRedisOutage: a lost or failing-over Redis, not a bug", () => {
    expect(isRedisOutage(new Error("Command timed out"))).toBe(true);
    expect(isRedisOutage(new Error("CLUSTERDOWN The cluster is down"))).toBe(true);
    expect(isRedisOutage(new Error("Connection is closed."))).toBe(true);
    expect(isRedisOutage(new TypeError("x is undefined"))).toBe(false);
  });
});
