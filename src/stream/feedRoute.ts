import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { Deps } from "../deps.ts";
import { newSecret } from "../infra/ids.ts";
import type { SessionEnv } from "../store/auth/session.ts";
import { StoreFeed } from "./feed.ts";

type BunServerEnv = { timeout?: (req: Request, seconds: number) => void };

/** GET /store/events: the live feed of the store's day stream (session required by parent). */
export function feedRoutes(deps: Deps) {
  const hub = deps.feeds.hub;
  const app = new Hono<SessionEnv>();

  app.get("/", (c) => {
    const session = c.get("session");
    const lastEventId = c.req.header("last-event-id") ?? c.req.query("lastEventId") ?? null;
    // Bun closes idle sockets (default 10 s); a feed is idle between events by design.
    (c.env as BunServerEnv | undefined)?.timeout?.(c.req.raw, 0);
    c.header("X-Accel-Buffering", "no");
    c.header("Cache-Control", "no-cache, no-transform");

    return streamSSE(c, async (stream) => {
      const done = Promise.withResolvers<void>();
      const feed = new StoreFeed(
        { redis: deps.redis, hub, keys: deps.keys },
        session.storeId,
        session.sid,
        newSecret(9),
        {
          write: (chunk) => void stream.write(chunk).catch(() => feed.end()),
          close: () => done.resolve(),
        },
      );
      stream.onAbort(() => feed.end());
      deps.feeds.add(feed);
      deps.metrics.feedsOpened.inc();
      try {
        // Bun sends the response head with the first body bytes: say something at once, so the
        // client sees the feed open even before the day has an entry.
        await stream.write("retry: 3000\n\n");
        await feed.start(lastEventId);
        await done.promise;
      } finally {
        feed.end();
        deps.feeds.remove(feed);
      }
    });
  });

  return app;
}
