import type { Redis } from "ioredis";

/**
 * Every key under the prefix, DUMPed inside one script: Redis runs it as one step, so the copy
 * is a single instant (an order never half in the stream and half out of its memo) while
 * commands from the live server simply wait for it. TIME comes first so each key's remaining
 * PTTL can be kept as an absolute expiry.
 */
const SNAPSHOT = `
local t = redis.call('TIME')
local out = { tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) }
for _, k in ipairs(redis.call('KEYS', ARGV[1])) do
  out[#out + 1] = k
  out[#out + 1] = redis.call('PTTL', k)
  out[#out + 1] = redis.call('DUMP', k)
end
return out
`;

/** One line of redis-keys.jsonl. */
export type DumpedKey = { key: string; expireAt: number | null; dump: string };

export async function snapshotKeys(redis: Redis, prefix: string) {
  const reply = (await redis.callBuffer("EVAL", SNAPSHOT, 0, `${prefix}:*`)) as (Buffer | number)[];
  const at = Number(reply[0]);
  const keys: DumpedKey[] = [];
  for (let i = 1; i + 2 < reply.length; i += 3) {
    const pttl = Number(reply[i + 1]);
    const dump = reply[i + 2];
    // -2: the key expired between KEYS and DUMP inside the script (lazy expiry).
    if (!(dump instanceof Buffer) || pttl === -2) continue;
    keys.push({
      key: String(reply[i]),
      expireAt: pttl >= 0 ? at + pttl : null,
      dump: dump.toString("base64"),
    });
  }
  return { at, keys };
}

/** Every key under the prefix, read with SCAN: for a Redis nobody writes to (the RDB reader). */
export async function dumpAll(redis: Redis, prefix: string): Promise<DumpedKey[]> {
  const keys: DumpedKey[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of found) pipeline.pttl(key).dumpBuffer(key);
    const replies = (await pipeline.exec()) ?? [];
    const now = Date.now();
    found.forEach((key, i) => {
      const pttl = Number(replies[2 * i]?.[1]);
      const dump = replies[2 * i + 1]?.[1];
      if (!(dump instanceof Buffer)) return;
      keys.push({ key, expireAt: pttl >= 0 ? now + pttl : null, dump: dump.toString("base64") });
    });
  } while (cursor !== "0");
  return keys;
}

export const toJsonLines = (keys: DumpedKey[]) =>
  keys.map((k) => `${JSON.stringify(k)}\n`).join("");

export function fromJsonLines(text: string): DumpedKey[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as DumpedKey);
}

/** True when the Redis already holds any key under the prefix. */
export async function holdsKeys(redis: Redis, prefix: string): Promise<boolean> {
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    if (found.length > 0) return true;
    cursor = next;
  } while (cursor !== "0");
  return false;
}

const BATCH = 500;

/**
 * RESTOREs the keys with their absolute expiry; a key whose expiry has passed (an old session,
 * a cart) is left out. Returns how many were restored and skipped.
 */
export async function restoreKeys(redis: Redis, keys: DumpedKey[], now: number) {
  const live = keys.filter((k) => k.expireAt === null || k.expireAt > now);
  for (let i = 0; i < live.length; i += BATCH) {
    const pipeline = redis.pipeline();
    for (const k of live.slice(i, i + BATCH)) {
      pipeline.restore(k.key, k.expireAt ?? 0, Buffer.from(k.dump, "base64"), "ABSTTL");
    }
    const failed = ((await pipeline.exec()) ?? []).find(([err]) => err);
    if (failed?.[0]) throw restoreError(failed[0]);
  }
  return { restored: live.length, expired: keys.length - live.length };
}

function restoreError(err: Error) {
  if (/payload version/i.test(err.message)) {
    return new Error(
      "this Redis cannot read the backup's keys (RESTORE: payload version): restore into a Redis of the same or a newer version than the one backed up",
    );
  }
  return new Error(`Redis refused a key of the backup: ${err.message}`);
}
