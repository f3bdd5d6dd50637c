// Helpers for tests that run the server as a real process (bun src/main.ts, bun src/demo.ts, the
// compiled binary): spawn with a clean env, read its output, log a store in and hold its feed.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../..");
export const BINARY = join(ROOT, "dist/simple-order");
const BUILD_TIMEOUT_MS = 120_000;
const READY_TIMEOUT_MS = 20_000;

export function freePort(): number {
  const probe = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = probe.port;
  probe.stop(true);
  if (!port) throw new Error("could not find a free port");
  return port;
}

/** Only what the process needs: notably no REDIS_URL / DATABASE_PATH leaking from the test env. */
export function cleanEnv(dataDir: string, extra: Record<string, string> = {}) {
  const env: Record<string, string> = { DATA_DIR: dataDir, ...extra };
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG", "BUN_INSTALL"]) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  return env;
}

export type Running = {
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  detached: boolean;
  /** stdout and stderr so far, interleaved */
  output(): string;
  stdout(): string;
  stderr(): string;
};

type SpawnOptions = {
  cwd?: string;
  env: Record<string, string>;
  /** its own process group, as a terminal's foreground job: see `interrupt` */
  detached?: boolean;
};

/** Spawns `cmd` and drains its output into strings (so the pipes never fill up). */
export function spawn(cmd: string[], opts: SpawnOptions): Running {
  const proc = Bun.spawn(cmd, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env,
    detached: opts.detached,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const all = { text: "" };
  const out = { text: "" };
  const err = { text: "" };
  collect(proc.stdout, [all, out]);
  collect(proc.stderr, [all, err]);
  return {
    proc,
    detached: opts.detached ?? false,
    output: () => all.text,
    stdout: () => out.text,
    stderr: () => err.text,
  };
}

function collect(stream: ReadableStream<Uint8Array>, sinks: { text: string }[]) {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const text = decoder.decode(value, { stream: true });
      for (const sink of sinks) sink.text += text;
    }
  })().catch(() => {});
}

/** Runs `cmd` to the end; resolves with its exit code and output. */
export async function run(cmd: string[], opts: SpawnOptions) {
  const running = spawn(cmd, opts);
  const code = await running.proc.exited;
  await Bun.sleep(0);
  return { code, stdout: running.stdout(), stderr: running.stderr(), output: running.output() };
}

/** Waits for the process to exit; false if it is still running after `ms`. */
export async function exitsWithin(proc: Bun.Subprocess, ms: number): Promise<boolean> {
  return Promise.race([proc.exited.then(() => true), Bun.sleep(ms).then(() => false)]);
}

/** Pids (other than ours) whose command line mentions `needle`, e.g. the data dir. */
export function pidsMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** The processes mentioning `needle` once they are gone (the watchdog may need a moment). */
export async function leftOver(needle: string, ms = 8000): Promise<number[]> {
  const deadline = Date.now() + ms;
  let left = pidsMentioning(needle);
  while (left.length > 0 && Date.now() < deadline) {
    await Bun.sleep(100);
    left = pidsMentioning(needle);
  }
  return left;
}

/** Ctrl-C in a terminal: SIGINT to every process of the foreground job (spawned `detached`). */
export function interrupt(proc: Bun.Subprocess) {
  process.kill(-proc.pid, "SIGINT");
}

function killQuietly(pid: number) {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Never leave a process (e.g. a redis-server) behind, even when a test failed half-way. */
export function killAll(started: Running[], needles: string[]) {
  for (const { proc, detached } of started) {
    if (detached) killQuietly(-proc.pid); // its process group: `bun run`'s child too
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
  }
  for (const needle of needles) for (const pid of pidsMentioning(needle)) killQuietly(pid);
}

export async function waitHealthy(url: string, running: Running, ms = READY_TIMEOUT_MS) {
  const deadline = Date.now() + ms;
  const { proc } = running;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`exited early (${proc.exitCode ?? proc.signalCode}):\n${running.output()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await Bun.sleep(100);
  }
  throw new Error(`no 200 from /healthz within ${ms} ms:\n${running.output()}`);
}

/** Waits until the output matches `pattern` (e.g. the demo's banner). */
export async function waitFor(running: Running, pattern: RegExp, ms = READY_TIMEOUT_MS) {
  const deadline = Date.now() + ms;
  while (!pattern.test(running.output())) {
    const { proc } = running;
    if (proc.exitCode !== null || proc.signalCode !== null || Date.now() > deadline) {
      throw new Error(`no ${pattern} in the output:\n${running.output()}`);
    }
    await Bun.sleep(100);
  }
}

export type DemoStore = {
  storeId: string;
  pin: string;
  deviceToken: string;
  lat: number;
  lng: number;
};

/** The demo store's login, as the demo prints it. */
export function demoLogin(banner: string): DemoStore {
  const field = (name: string) => new RegExp(`^ {2}${name} {2,}(.+)$`, "m").exec(banner)?.[1];
  const where = /\(([\d.]+), ([\d.]+)\)/.exec(field("Store") ?? "");
  return {
    storeId: field("Store ID") ?? "",
    pin: field("PIN") ?? "",
    deviceToken: field("Device token") ?? "",
    lat: Number(where?.[1]),
    lng: Number(where?.[2]),
  };
}

export type FeedClient = {
  /** resolves once the stream ends: "clean" (the server ended it) or "error" (cut off) */
  ended: Promise<"clean" | "error">;
  abort(): void;
};

/** Logs the store in and opens its live feed, as the counter screen does. */
export async function openFeed(base: string, store: DemoStore): Promise<FeedClient> {
  const login = await fetch(`${base}/store/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      storeId: store.storeId,
      pin: store.pin,
      deviceToken: store.deviceToken,
      location: { lat: store.lat, lng: store.lng },
    }),
  });
  if (login.status !== 200) throw new Error(`login ${login.status}: ${await login.text()}`);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  const aborter = new AbortController();
  // Resolves with the response head, which the server sends with the feed's first bytes: by
  // then the feed is open on the server.
  const res = await fetch(`${base}/store/events`, {
    headers: { cookie, accept: "text/event-stream" },
    signal: aborter.signal,
  });
  if (res.status !== 200) throw new Error(`feed ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  const ended = (async () => {
    try {
      for (;;) if ((await reader.read()).done) return "clean" as const;
    } catch {
      return "error" as const;
    }
  })();
  return { ended, abort: () => aborter.abort() };
}

/** Newest mtime of the inputs the binary is built from. */
function newestSourceMtime(): number {
  let newest = 0;
  for (const dir of ["src", "db", "workers"]) {
    for (const rel of readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })) {
      const st = statSync(join(ROOT, dir, rel), { throwIfNoEntry: false });
      if (st?.isFile()) newest = Math.max(newest, st.mtimeMs);
    }
  }
  for (const file of ["package.json", "bun.lock"]) {
    const st = statSync(join(ROOT, file), { throwIfNoEntry: false });
    if (st) newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

/** `bun run build` unless dist/simple-order is newer than every source. */
export async function buildIfStale() {
  const st = statSync(BINARY, { throwIfNoEntry: false });
  if (st && st.mtimeMs >= newestSourceMtime()) return;
  const build = spawn(["bun", "run", "build"], {
    env: { ...process.env } as Record<string, string>,
  });
  const done = await exitsWithin(build.proc, BUILD_TIMEOUT_MS);
  if (!done) build.proc.kill("SIGKILL");
  if (build.proc.exitCode !== 0 || !existsSync(BINARY)) {
    throw new Error(`bun run build failed (exit ${build.proc.exitCode}):\n${build.output()}`);
  }
}
