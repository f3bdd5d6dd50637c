import type { RedisClient } from "../infra/redisClient.ts";
import { entryExists, isAfter, isStreamId, readAfter, type StreamEntry } from "./entries.ts";
import type { StreamHub, StreamListener } from "./hub.ts";
import type { RedisKeys } from "./keys.ts";

/** Where a feed's bytes go (the SSE response body). */
export interface FeedSink {
  write(chunk: Uint8Array): void;
  close(): void;
}

export type FeedDeps = { redis: RedisClient; hub: StreamHub; keys: RedisKeys };

/** `dayId:entryId`, the SSE id of a day-stream entry. */
export const eventId = (dayId: string, entryId: string) => `${dayId}:${entryId}`;

export function parseEventId(raw: string | undefined | null) {
  if (!raw) return null;
  const at = raw.lastIndexOf(":");
  const dayId = raw.slice(0, at);
  const entryId = raw.slice(at + 1);
  if (at <= 0 || !isStreamId(entryId)) return { dayId: "", entryId: "" };
  return { dayId, entryId };
}

const encoder = new TextEncoder();
export const sseFrame = (event: string, data: string, id?: string) =>
  encoder.encode(`${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${data}\n\n`);
export const HEARTBEAT = encoder.encode(": hb\n\n");

/** Frames are encoded once per entry and the same bytes go to every feed of that day. */
const frameCache = new WeakMap<StreamEntry, Uint8Array>();
function entryFrame(dayId: string, entry: StreamEntry) {
  let frame = frameCache.get(entry);
  if (!frame) {
    frame = sseFrame(entry.type, entry.data, eventId(dayId, entry.id));
    frameCache.set(entry, frame);
  }
  return frame;
}

/**
 * One store client's live feed of its store's current day stream; each entry is sent once, in
 * order. Store-level signals (new day, feed taken over, session ended) reach it through the
 * registry's control router, which must already follow the store when `start` runs.
 */
export class StoreFeed implements StreamListener {
  private dayId: string | null = null;
  private dayKey: string | null = null;
  private lastMs = -1;
  private lastSeq = -1;
  private lastId: string | null = null;
  private buffer: StreamEntry[] | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private announcedAt: { ms: number; seq: number } | null = null;
  private newerFeed: StreamEntry | null = null;
  onEnd: (() => void) | null = null;

  constructor(
    private readonly deps: FeedDeps,
    readonly storeId: string,
    readonly sessionId: string,
    readonly feedId: string,
    private readonly sink: FeedSink,
  ) {}

  /** Sends the backlog after `lastEventId` (or the whole current day) and goes live. */
  start(lastEventId: string | null): Promise<void> {
    return this.enqueue(async () => {
      const current = await this.currentDay();
      const resume = parseEventId(lastEventId);
      if (resume && current && resume.dayId === current) {
        if (await entryExists(this.deps.redis, this.keyOf(current), resume.entryId)) {
          return this.attachDay(current, resume.entryId);
        }
      }
      if (resume) this.sink.write(sseFrame("reset", JSON.stringify({ dayId: current })));
      if (current) await this.attachDay(current, null);
    });
  }

  heartbeat() {
    if (!this.closed) this.sink.write(HEARTBEAT);
  }

  /** Ends the feed; `replaced` tells the client a newer feed took over. */
  end(reason?: "replaced") {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.sink.write(sseFrame(reason, "{}"));
    if (this.dayKey) this.deps.hub.unsubscribe(this.dayKey, this);
    this.sink.close();
    this.onEnd?.();
  }

  get isClosed() {
    return this.closed;
  }

  /** Our own `feed` announcement is at `id` in the control stream. */
  announced(id: string) {
    const dash = id.indexOf("-");
    this.announcedAt = { ms: Number(id.slice(0, dash)), seq: Number(id.slice(dash + 1)) };
    if (this.newerFeed) this.supersededBy(this.newerFeed);
  }

  /**
   * Another feed of this session announced itself at `entry`. The later announcement in the
   * stream wins, whichever reaches this process first.
   */
  supersededBy(entry: StreamEntry) {
    if (!this.announcedAt) {
      if (!this.newerFeed || isAfter(entry, this.newerFeed.ms, this.newerFeed.seq))
        this.newerFeed = entry;
      return;
    }
    if (isAfter(entry, this.announcedAt.ms, this.announcedAt.seq)) this.end("replaced");
  }

  /** A new day began at the store (from the control stream). */
  dayStarted(dayId: string) {
    if (dayId !== this.dayId) void this.enqueue(() => this.switchDay(dayId));
  }

  onEntries(key: string, entries: StreamEntry[]) {
    if (this.closed || key !== this.dayKey) return;
    if (this.buffer) this.buffer.push(...entries);
    else this.send(entries);
  }

  private async switchDay(dayId: string) {
    if (dayId === this.dayId) return;
    if (this.dayId && this.dayKey) {
      // Finish the old day first (its `closed` entry) so the client sees the whole of it.
      this.send(await readAfter(this.deps.redis, this.dayKey, this.lastId));
      this.deps.hub.unsubscribe(this.dayKey, this);
    }
    await this.attachDay(dayId, null);
  }

  private async attachDay(dayId: string, after: string | null) {
    this.dayId = dayId;
    this.dayKey = this.keyOf(dayId);
    this.setLast(after);
    this.buffer = [];
    await this.deps.hub.subscribe(this.dayKey, this);
    this.send(await readAfter(this.deps.redis, this.dayKey, after));
    const buffered = this.buffer;
    this.buffer = null;
    this.send(buffered);
  }

  private setLast(id: string | null) {
    this.lastId = id;
    const dash = id ? id.indexOf("-") : -1;
    this.lastMs = id ? Number(id.slice(0, dash)) : -1;
    this.lastSeq = id ? Number(id.slice(dash + 1)) : -1;
  }

  /** The seam rule: anything not after the last entry sent was sent already. */
  private send(entries: StreamEntry[]) {
    if (this.closed || !this.dayId) return;
    for (const entry of entries) {
      if (!isAfter(entry, this.lastMs, this.lastSeq)) continue;
      this.sink.write(entryFrame(this.dayId, entry));
      this.lastId = entry.id;
      this.lastMs = entry.ms;
      this.lastSeq = entry.seq;
    }
  }

  private async currentDay(): Promise<string | null> {
    const dayId = await this.deps.redis.get(this.deps.keys.lastDay(this.storeId));
    if (!dayId) return null;
    return (await this.deps.redis.exists(this.keyOf(dayId))) ? dayId : null;
  }

  private keyOf(dayId: string) {
    return this.deps.keys.dayStream(this.storeId, dayId);
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(() => (this.closed ? undefined : step()));
    this.chain = next.catch(() => this.end());
    return next;
  }
}
