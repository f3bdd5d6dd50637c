import type { RedisClient } from "../../infra/redisClient.ts";

export type Arg = string | number;
/** A script's raw reply: its outcome first, then up to two values. */
export type Reply = [string, (string | number)?, (string | number)?];

type Commands = Record<string, (...args: Arg[]) => Promise<Reply>>;

/**
 * A Lua script as an ioredis command (defineCommand): EVALSHA, and EVAL again on NOSCRIPT (e.g.
 * after a Redis restart), also inside auto-pipelined batches. Keys are named; their order is the
 * script's KEYS order.
 */
const registry: { command: string; numberOfKeys: number; lua: string }[] = [];

/**
 * Defines every script on a new client before its first command: an auto-pipelined batch copies
 * the client's scripts when it opens, so a script defined later is missing from a batch already
 * open (ioredis: "pipeline[functionName] is not a function").
 */
export function defineScripts(redis: RedisClient) {
  for (const s of registry)
    redis.defineCommand(s.command, { numberOfKeys: s.numberOfKeys, lua: s.lua });
}

export function luaCommand<K extends string>(name: string, lua: string, keyNames: readonly K[]) {
  const command = `so_${name}`;
  registry.push({ command, numberOfKeys: keyNames.length, lua });
  return (redis: RedisClient, keys: Record<K, string>, args: Arg[]): Promise<Reply> => {
    const commands = redis as unknown as Commands;
    if (typeof commands[command] !== "function") {
      redis.defineCommand(command, { numberOfKeys: keyNames.length, lua });
    }
    return commands[command]!(...keyNames.map((k) => keys[k]), ...args);
  };
}

/** A day hash without a day answers "NONE": no live day. */
export const stateOrNone = (value: unknown) =>
  value === "NONE" || value === undefined ? null : String(value);
