/**
 * The bare reference of bench:skills, run as its child: a `Bun.serve` that reads each POST's JSON
 * body and answers a JSON body of the size the real app answered on that path (set by `sizes`),
 * with nothing behind it — what the box, Bun's HTTP and the client cost on their own.
 */
import { serveRpc } from "./rpc.ts";

let bodies = new Map<string, string>();

/** A skill-shaped JSON text of exactly `size` bytes (UTF-8). */
function bodyOf(size: number) {
  const head = '{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"';
  const tail = '"}}]}}';
  return head + "x".repeat(Math.max(0, size - head.length - tail.length)) + tail;
}

const server: Bun.Server<undefined> = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(req): Promise<Response> {
    await req.json();
    const body = bodies.get(new URL(req.url).pathname) ?? "{}";
    return new Response(body, { headers: { "content-type": "application/json" } });
  },
});

serveRpc({
  setup: () => ({ url: `http://127.0.0.1:${server.port}` }),
  sizes: (sizes: Record<string, number>) => {
    bodies = new Map(Object.entries(sizes).map(([path, size]) => [path, bodyOf(size)]));
    return null;
  },
  cpu: () => process.cpuUsage(),
  stop: () => {
    server.stop(true);
    return null;
  },
});
