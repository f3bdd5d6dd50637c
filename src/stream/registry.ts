import type { RedisClient } from "../infra/redisClient.ts";
import type { StreamEntry } from "./entries.ts";
import type { StoreFeed } from "./feed.ts";
import type { StreamHub, StreamListener } from "./hub.ts";
import type { RedisKeys } from "./keys.ts";

type StoreFeeds = { all: Set<StoreFeed>; bySession: Map<string, Set<StoreFeed>> };

/**
 * The live feeds of this process. It follows each store's control stream once (whatever the
 * number of feeds), parses each signal once and routes it: a new day to every feed of the store,
 * a takeover or a session end only to that session's feeds. One heartbeat timer serves all.
 */
export class FeedRegistry implements StreamListener {
  private stores = new Map<string, StoreFeeds>();
  private byControlKey = new Map<string, string>();
  private count = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closing = false;

  constructor(
    readonly hub: StreamHub,
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly heartbeatMs = 15_000,
  ) {}

  /**
   * Registers a feed and announces it, so older feeds of its session (here or in another
   * process) end. Resolves once the store's control stream is followed.
   */
  async add(feed: StoreFeed) {
    // Stopping: a feed opened now would hold the server open; the client reconnects elsewhere.
    if (this.closing) return feed.end();
    let store = this.stores.get(feed.storeId);
    if (!store) {
      store = { all: new Set(), bySession: new Map() };
      this.stores.set(feed.storeId, store);
      this.byControlKey.set(this.keys.control(feed.storeId), feed.storeId);
    }
    store.all.add(feed);
    const session = store.bySession.get(feed.sessionId) ?? new Set();
    session.add(feed);
    store.bySession.set(feed.sessionId, session);
    this.count++;
    this.timer ??= setInterval(() => this.heartbeat(), this.heartbeatMs);
    await this.hub.subscribe(this.keys.control(feed.storeId), this);
    const announced = await this.redis.xadd(
      this.keys.control(feed.storeId),
      "MAXLEN",
      "~",
      1000,
      "*",
      "type",
      "feed",
      "data",
      JSON.stringify({ sid: feed.sessionId, feedId: feed.feedId }),
    );
    feed.announced(announced ?? "0-0");
  }

  remove(feed: StoreFeed) {
    const store = this.stores.get(feed.storeId);
    if (!store?.all.delete(feed)) return;
    this.count--;
    const session = store.bySession.get(feed.sessionId);
    session?.delete(feed);
    if (session?.size === 0) store.bySession.delete(feed.sessionId);
    if (store.all.size === 0) {
      this.stores.delete(feed.storeId);
      this.byControlKey.delete(this.keys.control(feed.storeId));
      this.hub.unsubscribe(this.keys.control(feed.storeId), this);
    }
    if (this.count === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  onEntries(key: string, entries: StreamEntry[]) {
    const storeId = this.byControlKey.get(key);
    const store = storeId ? this.stores.get(storeId) : undefined;
    if (!store) return;
    for (const entry of entries) {
      const data = JSON.parse(entry.data) as { sid?: string; feedId?: string; dayId?: string };
      if (entry.type === "day" && data.dayId) {
        for (const feed of store.all) feed.dayStarted(data.dayId);
        continue;
      }
      const session = data.sid ? store.bySession.get(data.sid) : undefined;
      for (const feed of [...(session ?? [])]) {
        if (entry.type === "session_end") feed.end();
        else if (entry.type === "feed" && feed.feedId !== data.feedId) feed.supersededBy(entry);
      }
    }
  }

  private heartbeat() {
    for (const store of this.stores.values()) for (const feed of store.all) feed.heartbeat();
  }

  get size() {
    return this.count;
  }

  /** Ends every feed (and any opened later): the server is stopping. Returns how many ended. */
  closeAll(): number {
    this.closing = true;
    const open = [...this.stores.values()].flatMap((store) => [...store.all]);
    for (const feed of open) feed.end();
    return open.length;
  }
}
