/**
 * Server side of the feed bench, run as a child of bench/feed.ts:
 *   bun bench/feedServer.ts app   the real app (Hono, StreamHub, Redis) on 127.0.0.1
 *   bun bench/feedServer.ts bare  a bare Bun SSE server: no Redis, no Hono, one frame per write
 *   bun bench/feedServer.ts hono  bare + Hono's streamSSE writing strings as the app's feeds do,
 *                                 no Redis: splits the app's overhead into stream plumbing vs hub
 * Each answers `setup`, `memory`, `status` and `stop` over IPC (see rpc.ts).
 */
import { rmSync } from "node:fs";
import { memory, serveRpc } from "./rpc.ts";

const role = process.argv[2];
if (role === "app") await runApp();
else if (role === "bare") runBare();
else if (role === "hono") await runHono();
else {
  console.error("usage: bun bench/feedServer.ts app|bare|hono");
  process.exit(2);
}

export type ServerSetup = {
  port: number;
  /** GET path of a feed */
  eventsPath: string;
  /** cookie header of each feed; empty for the bare server, which has no sessions */
  feedCookies: string[];
  /** POST `${triggerBase}${move}` (move: open, break, reopen) makes one broadcast */
  triggerBase: string;
  triggerCookie: string;
  /** app only: Redis client names of this process (CLIENT SETNAME) and the key prefix */
  clientNames: string[];
  prefix: string;
};

async function runApp() {
  const { makeTestDeps, seedStore, login, post } = await import("../test/helpers/testDeps.ts");
  const { SESSION_TTL_S } = await import("../src/store/auth/session.ts");
  const t = makeTestDeps();
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    fetch: (req, srv) => t.app.fetch(req, srv),
  });

  serveRpc({
    /**
     * One store, logged in once; its day made ready so every feed's backlog is the `ready`
     * entry. Then `feeds` extra session hashes written straight into Redis, see feed.ts.
     */
    setup: async ({ feeds }: { feeds: number }): Promise<ServerSetup> => {
      const store = await seedStore(t.deps);
      const { res, cookie } = await login(t.app, store, { addr: "10.9.0.1" });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
      const ready = await post(t.app, "/store/day/ready", cookie);
      if (ready.status !== 204) throw new Error(`ready failed: ${ready.status}`);

      const value = cookie.slice(cookie.indexOf("=") + 1);
      const [storeId, sid] = [
        value.slice(0, value.indexOf(".")),
        value.slice(value.indexOf(".") + 1),
      ];
      const deviceId = await t.deps.redis.hget(t.deps.keys.session(storeId, sid), "deviceId");
      if (!deviceId) throw new Error("the login left no session hash");
      const cookieName = cookie.slice(0, cookie.indexOf("="));
      const feedCookies: string[] = [];
      for (let from = 0; from < feeds; from += 1000) {
        const batch = t.deps.redis.pipeline();
        for (let i = from; i < Math.min(feeds, from + 1000); i++) {
          const fakeSid = `bench${i.toString(36).padStart(6, "0")}${sid.slice(0, 8)}`;
          const key = t.deps.keys.session(storeId, fakeSid);
          batch.hset(key, "deviceId", deviceId, "createdAt", String(Date.now()));
          batch.expire(key, SESSION_TTL_S);
          feedCookies.push(`${cookieName}=${storeId}.${fakeSid}`);
        }
        await batch.exec();
      }
      const prefix = t.deps.keys.prefix;
      return {
        port: server.port ?? 0,
        eventsPath: "/store/events",
        feedCookies,
        triggerBase: "/store/day/",
        triggerCookie: cookie,
        clientNames: [`${prefix}-hub-reader`, `${prefix}-command`],
        prefix,
      };
    },
    memory,
    status: () => ({
      feeds: t.deps.feeds.size,
      hubStreams: t.deps.feeds.hub.streamCount,
      connections: server.pendingRequests,
    }),
    stop: async () => {
      t.deps.feeds.closeAll();
      server.stop(true);
      const prefix = t.deps.keys.prefix;
      // Leave no bench keys behind when pointed at a shared REDIS_URL.
      let cursor = "0";
      for (let round = 0; round < 100_000; round++) {
        const [next, keys] = await t.deps.redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        if (keys.length) await t.deps.redis.unlink(...keys);
        cursor = next;
        if (cursor === "0") break;
      }
      await t.close();
      rmSync(t.dir, { recursive: true, force: true });
      return null;
    },
  });
}

function runBare() {
  const encoder = new TextEncoder();
  const controllers = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const dayId = Bun.randomUUIDv7();
  const frame = (id: number, event: string, data: string) =>
    encoder.encode(`id: ${dayId}:${Date.now()}-${id}\nevent: ${event}\ndata: ${data}\n\n`);
  let entry = 0;
  const readyFrame = frame(
    entry,
    "ready",
    JSON.stringify({ dayId, state: "READY", at: Date.now() }),
  );

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    fetch(req) {
      const url = new URL(req.url);
      if (req.method === "POST" && url.pathname.startsWith("/broadcast/")) {
        // One frame of the same shape and size as the app's `state` entry, encoded once and
        // enqueued to every connection's controller.
        const state = url.pathname.slice("/broadcast/".length).toUpperCase();
        const bytes = frame(++entry, "state", JSON.stringify({ state, at: Date.now() }));
        for (const c of controllers) c.enqueue(bytes);
        return new Response(null, { status: 204 });
      }
      if (url.pathname !== "/events") return new Response("not found", { status: 404 });
      let ctrl: ReadableStreamDefaultController<Uint8Array> | null = null;
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          ctrl = c;
          controllers.add(c);
          c.enqueue(readyFrame);
        },
        cancel() {
          if (ctrl) controllers.delete(ctrl);
        },
      });
      return new Response(body, {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      });
    },
  });

  serveRpc({
    setup: (): ServerSetup => ({
      port: server.port ?? 0,
      eventsPath: "/events",
      feedCookies: [],
      triggerBase: "/broadcast/",
      triggerCookie: "",
      clientNames: [],
      prefix: "",
    }),
    memory,
    status: () => ({ feeds: controllers.size, hubStreams: 0, connections: server.pendingRequests }),
    stop: () => {
      for (const c of controllers) c.close();
      server.stop(true);
      return null;
    },
  });
}

async function runHono() {
  const { Hono } = await import("hono");
  const { streamSSE } = await import("hono/streaming");
  type Sse = Parameters<Parameters<typeof streamSSE>[1]>[0];
  const streams = new Set<Sse>();
  const dayId = Bun.randomUUIDv7();
  let entry = 0;
  // Strings, like StoreFeed's shared frames: StreamingApi.write encodes them per stream.
  const frame = (event: string, data: string) =>
    `id: ${dayId}:${Date.now()}-${entry}\nevent: ${event}\ndata: ${data}\n\n`;
  const readyFrame = frame("ready", JSON.stringify({ dayId, state: "READY", at: Date.now() }));

  const app = new Hono();
  app.get("/events", (c) =>
    streamSSE(c, async (stream) => {
      const done = Promise.withResolvers<void>();
      stream.onAbort(() => done.resolve());
      streams.add(stream);
      void stream.write(readyFrame);
      await done.promise;
      streams.delete(stream);
    }),
  );
  app.post("/broadcast/:move", (c) => {
    entry++;
    const text = frame(
      "state",
      JSON.stringify({ state: c.req.param("move").toUpperCase(), at: Date.now() }),
    );
    for (const s of streams) void s.write(text);
    return c.body(null, 204);
  });
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: app.fetch });

  serveRpc({
    setup: (): ServerSetup => ({
      port: server.port ?? 0,
      eventsPath: "/events",
      feedCookies: [],
      triggerBase: "/broadcast/",
      triggerCookie: "",
      clientNames: [],
      prefix: "",
    }),
    memory,
    status: () => ({ feeds: streams.size, hubStreams: 0, connections: server.pendingRequests }),
    stop: () => {
      for (const s of streams) void s.close();
      server.stop(true);
      return null;
    },
  });
}
