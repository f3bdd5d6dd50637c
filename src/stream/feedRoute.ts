import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import type { Deps } from "../deps.ts";
import { apiRouter, errors, sessionErrors } from "../infra/api.ts";
import { newSecret } from "../infra/ids.ts";
import type { SessionEnv } from "../store/auth/session.ts";
import { StoreFeed } from "./feed.ts";

type BunServerEnv = { timeout?: (req: Request, seconds: number) => void };

/** A client this far behind (bytes queued and unread) is dropped; it resumes by Last-Event-ID. */
const MAX_QUEUED_BYTES = 1024 * 1024;
const encoder = new TextEncoder();

const feedRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["feed"],
  summary: "The live feed (Server-Sent Events); Last-Event-ID or ?lastEventId= resumes",
  request: { query: z.object({ lastEventId: z.string().optional() }) },
  responses: {
    200: {
      description: "text/event-stream: order and day events, each with its stream id",
      content: { "text/event-stream": { schema: z.string() } },
    },
    ...errors(...sessionErrors),
  },
});

/**
 * GET /store/events: the live feed (session required by the parent app). A plain byte stream
 * rather than hono's streamSSE: the frames are pre-encoded and shared by every feed, and the
 * per-feed cost is one ReadableStream (see README, bench).
 */
export function feedRoutes(deps: Deps) {
  const app = apiRouter<SessionEnv>();

  app.openapi(feedRoute, (c) => {
    const session = c.get("session");
    const lastEventId = c.req.header("last-event-id") ?? c.req.query("lastEventId") ?? null;
    // Bun closes idle sockets (default 10 s); a feed is idle between events by design.
    (c.env as BunServerEnv | undefined)?.timeout?.(c.req.raw, 0);

    let feed: StoreFeed | null = null;
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          feed = new StoreFeed(
            { redis: deps.redis, hub: deps.feeds.hub, keys: deps.keys },
            session.storeId,
            session.sid,
            newSecret(9),
            {
              write(chunk) {
                try {
                  controller.enqueue(chunk);
                  if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) feed?.end();
                } catch {
                  feed?.end();
                }
              },
              close() {
                try {
                  controller.close();
                } catch {
                  // already closed by the client
                }
              },
            },
          );
          feed.onEnd = () => deps.feeds.remove(feed!);
          // Sent at once: Bun sends the response head with the first body bytes.
          controller.enqueue(encoder.encode("retry: 3000\n\n"));
          const started = feed;
          deps.metrics.feedsOpened.inc();
          deps.feeds
            .add(started)
            .then(() => started.start(lastEventId))
            .catch((err) => {
              deps.log.warn({ err, storeId: session.storeId }, "feed failed to start");
              started.end();
            });
        },
        cancel() {
          feed?.end();
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
    );
    c.req.raw.signal.addEventListener("abort", () => feed?.end());

    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      },
    });
  });

  return app;
}
