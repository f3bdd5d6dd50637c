/**
 * Client side of the feed bench, run as a child of bench/feed.ts so that parsing N streams does
 * not share the server's event loop. Holds N SSE connections and only scans their bytes for
 * `event: ready\n` and `event: state\n` (no text kept). It also sends the POST that causes each
 * broadcast, so the start time and every arrival time are read from ONE clock
 * (performance.now() of this process): no cross-process clock offset enters the figures.
 *
 * Modes: `fetch` (default; Bun's fetch + body reader, as a browser-like client would) or `tcp`
 * (raw Bun.connect sockets, an HTTP/1.1 GET written by hand: the lightest possible client).
 */
import { memory, serveRpc } from "./rpc.ts";

const encoder = new TextEncoder();

/** Knuth–Morris–Pratt over byte chunks: counts occurrences, matches may span chunks. */
class Matcher {
  private at = 0;
  constructor(
    private readonly pattern: Uint8Array,
    private readonly fail: Int32Array,
  ) {}

  static table(pattern: Uint8Array) {
    const fail = new Int32Array(pattern.length);
    for (let i = 1, k = 0; i < pattern.length; i++) {
      while (k > 0 && pattern[i] !== pattern[k]) k = fail[k - 1]!;
      if (pattern[i] === pattern[k]) k++;
      fail[i] = k;
    }
    return fail;
  }

  feed(chunk: Uint8Array): number {
    const p = this.pattern;
    let k = this.at;
    let hits = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      while (k > 0 && b !== p[k]) k = this.fail[k - 1]!;
      if (b === p[k]) k++;
      if (k === p.length) {
        hits++;
        k = this.fail[k - 1]!;
      }
    }
    this.at = k;
    return hits;
  }
}

const READY = encoder.encode("event: ready\n");
const STATE = encoder.encode("event: state\n");
const READY_FAIL = Matcher.table(READY);
const STATE_FAIL = Matcher.table(STATE);

type Conn = {
  index: number;
  ready: boolean;
  states: number;
  done: boolean;
  readyM: Matcher;
  stateM: Matcher;
  close: () => void;
};

const conns: Conn[] = [];
/** arrival time (performance.now()) of the k-th `state` event per connection */
const arrivals = new Map<number, Float64Array>();
const pending = new Map<number, { left: number; wake: () => void }>();
let onReady: (() => void) | null = null;
let readyCount = 0;
let failures = 0;
const errorSamples: string[] = [];

function onBytes(conn: Conn, chunk: Uint8Array) {
  const now = performance.now();
  if (!conn.ready && conn.readyM.feed(chunk) > 0) {
    conn.ready = true;
    readyCount++;
    onReady?.();
  }
  const hits = conn.stateM.feed(chunk);
  for (let h = 0; h < hits; h++) {
    conn.states++;
    const times = arrivals.get(conn.states);
    if (times && Number.isNaN(times[conn.index]!)) {
      times[conn.index] = now;
      const p = pending.get(conn.states);
      if (p && --p.left === 0) p.wake();
    }
  }
}

function onEnd(conn: Conn, error?: unknown) {
  if (conn.done) return;
  conn.done = true;
  if (!conn.ready) {
    failures++;
    if (error && errorSamples.length < 5) errorSamples.push(String(error));
    onReady?.();
  }
}

function newConn(index: number): Conn {
  return {
    index,
    ready: false,
    states: 0,
    done: false,
    readyM: new Matcher(READY, READY_FAIL),
    stateM: new Matcher(STATE, STATE_FAIL),
    close: () => {},
  };
}

function openFetch(conn: Conn, url: string, cookie: string) {
  const ctrl = new AbortController();
  conn.close = () => ctrl.abort();
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (cookie) headers.cookie = cookie;
  void (async () => {
    try {
      const res = await fetch(url, { headers, signal: ctrl.signal });
      if (res.status !== 200 || !res.body) throw new Error(`HTTP ${res.status}`);
      const reader = res.body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        onBytes(conn, value);
      }
      onEnd(conn, "stream ended");
    } catch (err) {
      onEnd(conn, err);
    }
  })();
}

function openTcp(conn: Conn, port: number, path: string, cookie: string) {
  const request = encoder.encode(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n${
      cookie ? `Cookie: ${cookie}\r\n` : ""
    }\r\n`,
  );
  let statusChecked = false;
  Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      open(socket) {
        conn.close = () => socket.end();
        socket.write(request);
      },
      data(socket, chunk) {
        if (!statusChecked) {
          statusChecked = true;
          // "HTTP/1.1 200" — bytes 9..11 are the status code
          if (chunk[9] !== 50 || chunk[10] !== 48 || chunk[11] !== 48) {
            onEnd(conn, `HTTP ${new TextDecoder().decode(chunk.subarray(9, 12))}`);
            socket.end();
            return;
          }
        }
        onBytes(conn, chunk);
      },
      close() {
        onEnd(conn, "socket closed");
      },
      error(_socket, err) {
        onEnd(conn, err);
      },
      connectError(_socket, err) {
        onEnd(conn, err);
      },
    },
  }).catch((err) => onEnd(conn, err));
}

type ConnectArgs = {
  port: number;
  path: string;
  cookies: string[];
  feeds: number;
  window: number;
  timeoutMs: number;
  mode: "fetch" | "tcp";
};

serveRpc({
  /**
   * Opens `feeds` connections, at most `window` of them not yet ready at a time (a bounded
   * ramp, so the listen backlog never overflows), and resolves once all are ready or failed.
   */
  connect: async (a: ConnectArgs) => {
    const started = performance.now();
    const deadline = started + a.timeoutMs;
    const url = `http://127.0.0.1:${a.port}${a.path}`;
    const settled = () => readyCount + failures;
    const waitSettled = (target: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (settled() >= target || performance.now() > deadline) {
            clearTimeout(timer);
            onReady = null;
            resolve();
          }
        };
        const timer = setTimeout(check, Math.max(0, deadline - performance.now()) + 1);
        onReady = check;
        check();
      });
    for (let i = 0; i < a.feeds && performance.now() < deadline; i++) {
      if (i - settled() >= a.window) await waitSettled(i - a.window + 1);
      const conn = newConn(conns.length);
      conns.push(conn);
      const cookie = a.cookies[i] ?? "";
      if (a.mode === "tcp") openTcp(conn, a.port, a.path, cookie);
      else openFetch(conn, url, cookie);
    }
    await waitSettled(conns.length);
    return {
      opened: conns.length,
      ready: readyCount,
      failed: failures,
      errors: errorSamples,
      connectMs: performance.now() - started,
    };
  },

  /**
   * POSTs the k-th broadcast and waits (bounded) until every live connection has its k-th
   * `state` event. Latency of a feed = its arrival − the instant just before the POST.
   */
  trigger: async (a: {
    port: number;
    path: string;
    cookie: string;
    k: number;
    timeoutMs: number;
  }) => {
    const times = new Float64Array(conns.length).fill(Number.NaN);
    let expected = 0;
    for (const c of conns) {
      if (c.ready && !c.done && c.states < a.k) expected++;
      else times[c.index] = Number.POSITIVE_INFINITY; // not counted: not live or already past
    }
    arrivals.set(a.k, times);
    const all = Promise.withResolvers<void>();
    pending.set(a.k, { left: expected, wake: all.resolve });
    if (expected === 0) all.resolve();
    const headers: Record<string, string> = {};
    if (a.cookie) headers.cookie = a.cookie;
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${a.port}${a.path}`, { method: "POST", headers });
    const respMs = performance.now() - t0;
    await res.arrayBuffer();
    const timer = setTimeout(all.resolve, a.timeoutMs);
    await all.promise;
    clearTimeout(timer);
    pending.delete(a.k);
    arrivals.delete(a.k);
    const latencies: number[] = [];
    let missing = 0;
    for (const t of times) {
      if (t === Number.POSITIVE_INFINITY) continue;
      if (Number.isNaN(t)) missing++;
      else latencies.push(t - t0);
    }
    return { status: res.status, respMs, latencies, missing };
  },

  memory,

  close: async () => {
    for (const c of conns) c.close();
    await Bun.sleep(200);
    return { closed: conns.length };
  },

  stop: () => null,
});
