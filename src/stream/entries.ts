import type { RedisClient } from "../infra/redisClient.ts";

/** One day-stream (or control-stream) entry: `type` and its JSON `data`; `ms`/`seq` from its id. */
export type StreamEntry = { id: string; type: string; data: string; ms: number; seq: number };

type RawEntry = [id: string, fields: string[]];

export function parseEntry([id, fields]: RawEntry): StreamEntry {
  let type = "";
  let data = "{}";
  for (let i = 0; i < fields.length; i += 2) {
    if (fields[i] === "type") type = fields[i + 1] ?? "";
    else if (fields[i] === "data") data = fields[i + 1] ?? "{}";
  }
  const dash = id.indexOf("-");
  return { id, type, data, ms: Number(id.slice(0, dash)), seq: Number(id.slice(dash + 1)) };
}

/** Whether entry `e` comes after the position (ms, seq). */
export const isAfter = (e: StreamEntry, ms: number, seq: number) =>
  e.ms > ms || (e.ms === ms && e.seq > seq);

/** Stream ids are `ms-seq`; compare numerically, never as strings. */
export function compareIds(a: string, b: string): number {
  const [am = "0", as = "0"] = a.split("-");
  const [bm = "0", bs = "0"] = b.split("-");
  const dm = Number(am) - Number(bm);
  return dm !== 0 ? Math.sign(dm) : Math.sign(Number(as) - Number(bs));
}

export const isStreamId = (s: string) => /^\d{1,20}-\d{1,20}$/.test(s);

/** Every entry after `afterId` (exclusive), or from the start when null, in pages. */
export async function readAfter(
  redis: RedisClient,
  key: string,
  afterId: string | null,
  page = 1000,
): Promise<StreamEntry[]> {
  const out: StreamEntry[] = [];
  let start = afterId ? `(${afterId}` : "-";
  for (;;) {
    const raw = (await redis.xrange(key, start, "+", "COUNT", page)) as RawEntry[];
    for (const r of raw) out.push(parseEntry(r));
    if (raw.length < page) return out;
    start = `(${out[out.length - 1]!.id}`;
  }
}

export async function entryExists(redis: RedisClient, key: string, id: string): Promise<boolean> {
  const raw = await redis.xrange(key, id, id, "COUNT", 1);
  return raw.length === 1;
}
