import type { Redis } from "ioredis";
import type { Logger } from "../infra/logger.ts";
import type { RedisClient } from "../infra/redisClient.ts";
import { compareIds, parseEntry, type StreamEntry } from "./entries.ts";
import { type LaneReader, type ReaderPlan, singleNodePlan } from "./hubLanes.ts";

export interface StreamListener {
  onEntries(key: string, entries: StreamEntry[]): void;
}

type Subscription = {
  /** last id dispatched to listeners; null until resolved, and the reader skips it till then */
  cursor: string | null;
  ready: Promise<void>;
  listeners: Set<StreamListener>;
  lane: string;
};

type HubOptions = { blockMs: number; count: number };

/**
 * Blocking readers, fanned out in memory: one `XREAD BLOCK` per lane over every stream of the
 * lane that has a local listener. On one Redis node there is one lane (one connection for every
 * feed of the process). On a cluster a lane is a hash slot (one XREAD may not span slots, even on
 * one node): a store's streams share its `{storeId}` slot, so each store with a feed here gets one
 * blocking connection to its slot's master, re-resolved after a failover.
 *
 * The seam rule that makes backlog + live gap-free: `subscribe` resolves once the stream's
 * cursor is known; every entry after the cursor will be dispatched to the listener, and every
 * entry up to it is already in the stream, where the caller's XRANGE (issued after) finds it.
 */
export class StreamHub {
  private subs = new Map<string, Subscription>();
  private lanes = new Map<string, Lane>();
  private running = false;

  constructor(
    private readonly plan: ReaderPlan,
    private readonly command: RedisClient,
    private readonly log: Logger,
    private readonly opts: HubOptions = { blockMs: 5000, count: 1000 },
  ) {}

  /** The hub of one Redis node: `reader` is its one blocking connection. */
  static onNode(reader: Redis, command: Redis, log: Logger, opts?: HubOptions) {
    return new StreamHub(singleNodePlan(reader, command), command, log, opts);
  }

  start() {
    this.running = true;
  }

  async stop() {
    this.running = false;
    await Promise.all([...this.lanes.values()].map((l) => l.stop()));
    this.lanes.clear();
    await this.plan.close();
  }

  get streamCount() {
    return this.subs.size;
  }

  /** Blocking connections in use (one per lane). */
  get laneCount() {
    return this.lanes.size;
  }

  async subscribe(key: string, listener: StreamListener): Promise<void> {
    const existing = this.subs.get(key);
    if (existing) {
      existing.listeners.add(listener);
      return existing.ready;
    }
    const lane = this.plan.laneOf(key);
    const sub: Subscription = {
      cursor: null,
      ready: Promise.resolve(),
      listeners: new Set([listener]),
      lane,
    };
    sub.ready = this.lastId(key).then((id) => {
      sub.cursor = id;
      // Unsubscribed meanwhile: no lane to open for it.
      if (this.subs.get(key) === sub) this.laneFor(lane).wake();
    });
    this.subs.set(key, sub);
    return sub.ready;
  }

  unsubscribe(key: string, listener: StreamListener) {
    const sub = this.subs.get(key);
    if (!sub) return;
    sub.listeners.delete(listener);
    if (sub.listeners.size > 0) return;
    this.subs.delete(key);
    const lane = this.lanes.get(sub.lane);
    if (lane && this.plan.closesIdleLanes && !this.hasStreams(sub.lane)) {
      this.lanes.delete(sub.lane);
      void lane.stop();
    }
  }

  private hasStreams(lane: string) {
    for (const sub of this.subs.values()) if (sub.lane === lane) return true;
    return false;
  }

  private laneFor(name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = new Lane(name, this.plan, this.log, this.opts, {
        streams: () => this.streamsOf(name),
        dispatch: (key, raw) => this.dispatch(key, raw),
        running: () => this.running,
      });
      this.lanes.set(name, lane);
      lane.start();
    }
    return lane;
  }

  private streamsOf(lane: string) {
    const keys: string[] = [];
    const ids: string[] = [];
    for (const [key, sub] of this.subs) {
      if (sub.lane !== lane || sub.cursor === null) continue;
      keys.push(key);
      ids.push(sub.cursor);
    }
    return { keys, ids };
  }

  private async lastId(key: string): Promise<string> {
    const last = (await this.command.xrevrange(key, "+", "-", "COUNT", 1)) as [string, string[]][];
    return last[0]?.[0] ?? "0-0";
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

type LaneHost = {
  streams: () => { keys: string[]; ids: string[] };
  dispatch: (key: string, raw: [string, string[]][]) => void;
  running: () => boolean;
};

type ReadResult = [string, [string, string[]][]][] | null;

/** One blocking reader and its loop. */
class Lane {
  private reader: LaneReader | null = null;
  private stopped = false;
  private blocked = false;
  private failing = false;
  private idle: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly name: string,
    private readonly plan: ReaderPlan,
    private readonly log: Logger,
    private readonly opts: HubOptions,
    private readonly host: LaneHost,
  ) {}

  start() {
    this.loop = this.readLoop();
  }

  async stop() {
    this.stopped = true;
    this.wake();
    this.reader?.close();
    await this.loop?.catch(() => {});
  }

  /** Interrupts the blocking read so the next one includes a changed set of streams. */
  wake() {
    if (this.idle) {
      const go = this.idle;
      this.idle = null;
      go();
    } else if (this.blocked) {
      this.reader?.unblock();
    }
  }

  private live = () => !this.stopped && this.host.running();

  private async readLoop() {
    while (this.live()) {
      const { keys, ids } = this.host.streams();
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
    let result: ReadResult = null;
    try {
      this.reader ??= await this.plan.open(this.name, keys[0]!);
      this.blocked = true;
      result = (await this.reader.redis.xread(
        "COUNT",
        this.opts.count,
        "BLOCK",
        this.opts.blockMs,
        "STREAMS",
        ...keys,
        ...ids,
      )) as ReadResult;
      this.failing = false;
    } catch (err) {
      if (!this.live()) return;
      // Once per outage: a failover or a lost Redis fails every read until it is over.
      if (!this.failing) {
        const message = (err as Error).message;
        this.log.warn({ err: message, lane: this.name }, "stream hub read failed; retrying");
      }
      this.failing = true;
      // On a cluster the slot may have moved (failover, resharding): ask again where it lives.
      if (this.plan.closesIdleLanes) {
        this.reader?.close();
        this.reader = null;
      }
      await Bun.sleep(200);
    } finally {
      this.blocked = false;
    }
    for (const [key, raw] of result ?? []) this.host.dispatch(key, raw);
  }
}
