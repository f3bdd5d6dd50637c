import type { StoreFeed } from "./feed.ts";
import type { StreamHub } from "./hub.ts";

/** The live feeds of this process: one hub, one heartbeat timer for all of them. */
export class FeedRegistry {
  private feeds = new Set<StoreFeed>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly hub: StreamHub,
    private readonly heartbeatMs = 15_000,
  ) {}

  add(feed: StoreFeed) {
    this.feeds.add(feed);
    this.timer ??= setInterval(() => {
      for (const f of this.feeds) f.heartbeat();
    }, this.heartbeatMs);
  }

  remove(feed: StoreFeed) {
    this.feeds.delete(feed);
    if (this.feeds.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  get size() {
    return this.feeds.size;
  }

  closeAll() {
    for (const f of [...this.feeds]) f.end();
    this.feeds.clear();
  }
}
