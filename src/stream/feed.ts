import type { Redis } from "ioredis";
import { compareIds, entryExists, isStreamId, readAfter, type StreamEntry } from "./entries.ts";
import type { StreamHub, StreamListener } from "./hub.ts";
import type { RedisKeys } from "./keys.ts";

export interface FeedSink {
  write(chunk: string): void;
  close(): void;
}

export type FeedDeps = { redis: Redis; hub: StreamHub; keys: RedisKeys };

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

export const sseFrame = (event: string, data: string, id?: string) =>
  `${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${data}\n\n`;

/** Frames are built once per entry and shared by every feed of that day. */
const frameCache = new WeakMap<StreamEntry, string>();
function entryFrame(dayId: string, entry: StreamEntry) {
  let frame = frameCache.get(entry);
  if (!frame) {
    frame = sseFrame(entry.type, entry.data, eventId(dayId, entry.id));
    frameCache.set(entry, frame);
  }
  return frame;
}

/**
 * One store client's live feed. Follows the store's control stream (new day, feed taken over,
 * session ended) and the current day stream; sends each day entry once, in order.
 */
export class StoreFeed implements StreamListener {
  private dayId: string | null = null;
  private dayKey: string | null = null;
  private lastSent: string | null = null;
  private buffer: StreamEntry[] | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  readonly controlKey: string;

  constructor(
    private readonly deps: FeedDeps,
    readonly storeId: string,
    readonly sessionId: string,
    readonly feedId: string,
    private readonly sink: FeedSink,
  ) {
    this.controlKey = deps.keys.control(storeId);
  }

  /** Sends the backlog after `lastEventId` (or the whole current day) and goes live. */
  start(lastEventId: string | null): Promise<void> {
    return this.enqueue(async () => {
      await this.deps.hub.subscribe(this.controlKey, this);
      await this.deps.redis.xadd(
        this.controlKey,
        "MAXLEN",
        "~",
        1000,
        "*",
        "type",
        "feed",
        "data",
        JSON.stringify({ sid: this.sessionId, feedId: this.feedId }),
      );
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
    if (!this.closed) this.sink.write(": hb\n\n");
  }

  /** Ends the feed; `replaced` tells the client a newer feed took over. */
  end(reason?: "replaced") {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.sink.write(sseFrame(reason, "{}"));
    this.deps.hub.unsubscribe(this.controlKey, this);
    if (this.dayKey) this.deps.hub.unsubscribe(this.dayKey, this);
    this.sink.close();
  }

  get isClosed() {
    return this.closed;
  }

  onEntries(key: string, entries: StreamEntry[]) {
    if (this.closed) return;
    if (key === this.controlKey) {
      void this.enqueue(() => this.onControl(entries));
    } else if (key === this.dayKey) {
      if (this.buffer) this.buffer.push(...entries);
      else this.send(entries);
    }
  }

  private async onControl(entries: StreamEntry[]) {
    for (const entry of entries) {
      if (this.closed) return;
      const data = JSON.parse(entry.data) as { sid?: string; feedId?: string; dayId?: string };
      if (entry.type === "feed" && data.sid === this.sessionId && data.feedId !== this.feedId) {
        return this.end("replaced");
      }
      if (entry.type === "session_end" && data.sid === this.sessionId) return this.end();
      if (entry.type === "day" && data.dayId && data.dayId !== this.dayId) {
        await this.switchDay(data.dayId);
      }
    }
  }

  private async switchDay(dayId: string) {
    if (this.dayId && this.dayKey) {
      // Finish the old day first (its `closed` entry) so the client sees the whole of it.
      this.send(await readAfter(this.deps.redis, this.dayKey, this.lastSent));
      this.deps.hub.unsubscribe(this.dayKey, this);
    }
    await this.attachDay(dayId, null);
  }

  private async attachDay(dayId: string, after: string | null) {
    this.dayId = dayId;
    this.dayKey = this.keyOf(dayId);
    this.lastSent = after;
    this.buffer = [];
    await this.deps.hub.subscribe(this.dayKey, this);
    this.send(await readAfter(this.deps.redis, this.dayKey, after));
    const buffered = this.buffer;
    this.buffer = null;
    this.send(buffered);
  }

  private send(entries: StreamEntry[]) {
    if (this.closed || !this.dayId) return;
    for (const entry of entries) {
      if (this.lastSent && compareIds(entry.id, this.lastSent) <= 0) continue;
      this.sink.write(entryFrame(this.dayId, entry));
      this.lastSent = entry.id;
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
