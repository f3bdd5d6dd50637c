import type { Redis } from "ioredis";
import type { Logger } from "../infra/logger.ts";
import { compareIds, parseEntry, type StreamEntry } from "./entries.ts";

export interface StreamListener {
  onEntries(key: string, entries: StreamEntry[]): void;
}

type Subscription = {
  /** last id dispatched to listeners; null until resolved, and the reader skips it till then */
  cursor: string | null;
  ready: Promise<void>;
  listeners: Set<StreamListener>;
};

/**
 * One blocking reader per process: a single `XREAD BLOCK` over every stream that has a local
 * listener, fanned out in memory. Adding a listener adds no Redis connection.
 *
 * The seam rule that makes backlog + live gap-free: `subscribe` resolves once the stream's
 * cursor is known; every entry after the cursor will be dispatched to the listener, and every
 * entry up to it is already in the stream, where the caller's XRANGE (issued after) finds it.
 */
export class StreamHub {
  private subs = new Map<string, Subscription>();
  private running = false;
  private blocked = false;
  private readerId: number | null = null;
  private idle: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly reader: Redis,
    private readonly command: Redis,
    private readonly log: Logger,
    private readonly opts = { blockMs: 5000, count: 1000 },
  ) {}

  start() {
    if (this.running) return;
    this.running = true;
    this.reader.on("ready", () => void this.learnReaderId());
    this.loop = this.learnReaderId().then(() => this.readLoop());
  }

  async stop() {
    this.running = false;
    this.wake();
    this.reader.disconnect();
    await this.loop?.catch(() => {});
  }

  get streamCount() {
    return this.subs.size;
  }

  async subscribe(key: string, listener: StreamListener): Promise<void> {
    const existing = this.subs.get(key);
    if (existing) {
      existing.listeners.add(listener);
      return existing.ready;
    }
    const sub: Subscription = {
      cursor: null,
      ready: Promise.resolve(),
      listeners: new Set([listener]),
    };
    sub.ready = this.lastId(key).then((id) => {
      sub.cursor = id;
      this.wake();
    });
    this.subs.set(key, sub);
    return sub.ready;
  }

  unsubscribe(key: string, listener: StreamListener) {
    const sub = this.subs.get(key);
    if (!sub) return;
    sub.listeners.delete(listener);
    if (sub.listeners.size === 0) this.subs.delete(key);
  }

  private async lastId(key: string): Promise<string> {
    const last = (await this.command.xrevrange(key, "+", "-", "COUNT", 1)) as [string, string[]][];
    return last[0]?.[0] ?? "0-0";
  }

  private async learnReaderId() {
    try {
      this.readerId = Number(await this.reader.client("ID"));
    } catch (err) {
      this.log.warn({ err }, "stream hub could not learn its reader id");
    }
  }

  /** Interrupts the blocking read so the next one includes a changed set of streams. */
  private wake() {
    if (this.idle) {
      const go = this.idle;
      this.idle = null;
      go();
    } else if (this.blocked && this.readerId !== null) {
      this.command.client("UNBLOCK", this.readerId).catch(() => {});
    }
  }

  private async readLoop() {
    while (this.running) {
      const keys: string[] = [];
      const ids: string[] = [];
      for (const [key, sub] of this.subs) {
        if (sub.cursor === null) continue;
        keys.push(key);
        ids.push(sub.cursor);
      }
      if (keys.length === 0) {
        await new Promise<void>((resolve) => {
          this.idle = resolve;
        });
        continue;
      }
      await this.readOnce(keys, ids);
    }
  }

  private async readOnce(keys: string[], ids: string[]) {
    type ReadResult = [string, [string, string[]][]][] | null;
    let result: ReadResult = null;
    this.blocked = true;
    try {
      result = (await this.reader.xread(
        "COUNT",
        this.opts.count,
        "BLOCK",
        this.opts.blockMs,
        "STREAMS",
        ...keys,
        ...ids,
      )) as ReadResult;
    } catch (err) {
      if (!this.running) return;
      this.log.warn({ err }, "stream hub read failed; retrying");
      await Bun.sleep(200);
    } finally {
      this.blocked = false;
    }
    for (const [key, raw] of (result as ReadResult) ?? []) this.dispatch(key, raw);
  }

  private dispatch(key: string, raw: [string, string[]][]) {
    const sub = this.subs.get(key);
    if (!sub || raw.length === 0) return;
    const entries = raw.map(parseEntry);
    const last = entries[entries.length - 1]!.id;
    // A subscription re-created during this read may already stand further on.
    if (sub.cursor === null || compareIds(last, sub.cursor) > 0) sub.cursor = last;
    for (const listener of [...sub.listeners]) {
      try {
        listener.onEntries(key, entries);
      } catch (err) {
        this.log.error({ err, key }, "stream listener failed");
      }
    }
  }
}
