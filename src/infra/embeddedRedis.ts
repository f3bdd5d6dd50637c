import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { RedisOptions } from "ioredis";

export interface EmbeddedRedis {
  url: string;
  socketPath: string;
  /** true: another process on this data dir runs it; stop() leaves it running */
  reused: boolean;
  stop(): Promise<void>;
}

export class RedisUnavailable extends Error {
  override name = "RedisUnavailable";
}

type Log = (msg: string, extra?: object) => void;

export interface StartOptions {
  dataDir: string;
  log?: Log;
  binary?: string;
  /** Default true: apt-get install redis-server when root on Debian/Ubuntu. */
  installIfMissing?: boolean;
  /** AOF fsync policy (REDIS_APPENDFSYNC): "everysec" (default) or "always". */
  appendfsync?: "everysec" | "always";
}

const FIX = "install it (apt-get install redis-server) or set REDIS_URL=redis://host:6379";
const MAX_SOCKET_PATH_BYTES = 107; // sun_path is 108 bytes including the NUL
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

// Watchdog: redis-server runs in the background while a builtin `read` loop blocks on our
// stdin pipe. EOF means we closed it (stop()) or our process died (even by SIGKILL), so the
// server is SIGTERMed and never orphaned. If redis exits first, the shell exits with its code.
// Background lists get stdin from /dev/null, hence the fd 3 dance.
const WATCHDOG = `
log=$1; shift
exec 3<&0
"$@" 3<&- </dev/null >>"$log" 2>&1 &
pid=$!
{ while read -r _; do :; done; kill -TERM "$pid" 2>/dev/null; } <&3 &
reader=$!
exec 3<&-
wait "$pid"; rc=$?
kill "$reader" 2>/dev/null
exit $rc
`;

export async function startEmbeddedRedis(opts: StartOptions): Promise<EmbeddedRedis> {
  const log: Log = opts.log ?? (() => {});
  const dir = resolve(opts.dataDir, "redis");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const socketPath = chooseSocketPath(dir, log);
  const url = socketUrl(socketPath);

  if (await ping(socketPath)) {
    log("reusing redis already running on socket", { socketPath });
    return { url, socketPath, reused: true, stop: async () => {} };
  }
  rmSync(socketPath, { force: true }); // stale socket from a crashed run

  const binary = await findOrInstallBinary(opts, log);
  const logFile = join(dir, "redis.log");
  const args = [
    ...["--unixsocket", socketPath, "--unixsocketperm", "700", "--port", "0"],
    ...[
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--appendfsync",
      opts.appendfsync ?? "everysec",
      "--save",
      "",
    ],
    ...["--daemonize", "no", "--protected-mode", "yes", "--logfile", logFile],
  ];
  // Own process group: a Ctrl-C on our terminal must not kill redis before main.ts has
  // finished its graceful shutdown, and the SIGKILL fallback can take the whole group.
  const proc = Bun.spawn(["sh", "-c", WATCHDOG, "redis-watchdog", logFile, binary, ...args], {
    cwd: dir,
    detached: true,
    stdin: "pipe",
    stdout: "ignore",
    stderr: "ignore",
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= shutdown(proc);
    return stopping;
  };

  try {
    await waitReady(socketPath, proc, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  log("embedded redis started", { socketPath, dir, watchdogPid: proc.pid });
  return { url, socketPath, reused: false, stop };
}

/**
 * The connection part of ioredis options. Narrower than RedisOptions on purpose: ioredis 6 types
 * `retryStrategy` as nullable, which BullMQ's `connection` type rejects; this subset fits both.
 */
export type RedisConnectOptions = Pick<
  RedisOptions,
  "path" | "host" | "port" | "username" | "password" | "db" | "tls"
>;

/** Turns a unix://, redis:// or rediss:// url into ioredis options (also usable as BullMQ `connection`). */
export function redisOptionsFromUrl(url: string): RedisConnectOptions {
  if (url.startsWith("/")) return { path: url }; // ioredis' own bare-path form
  const u = new URL(url);
  const db = u.searchParams.get("db") ?? (u.protocol === "unix:" ? "" : u.pathname.slice(1));
  const dbOpt = db ? { db: Number(db) } : {};
  if (u.protocol === "unix:") return { path: decodeURIComponent(u.pathname), ...dbOpt };
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") {
    // Not echoing the url: it may carry a password.
    throw new Error(
      `unsupported redis url scheme "${u.protocol}": use redis://, rediss:// or unix://`,
    );
  }
  return {
    host: u.hostname.replace(/^\[|\]$/g, "") || "localhost",
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...dbOpt,
    ...(u.protocol === "rediss:" ? { tls: {} } : {}),
  };
}

function socketUrl(socketPath: string): string {
  return pathToFileURL(socketPath).href.replace(/^file:/, "unix:");
}

function chooseSocketPath(dir: string, log: Log): string {
  const preferred = join(dir, "redis.sock");
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH_BYTES) return preferred;
  // Stable per data dir, so a second process on the same DATA_DIR finds the same socket.
  const hash = createHash("sha256").update(dir).digest("hex").slice(0, 16);
  const fallback = join(tmpdir(), `redis-${hash}.sock`);
  log("socket path too long for a unix socket; using a short one under tmpdir", {
    preferred,
    socketPath: fallback,
  });
  return fallback;
}

/** Resolves with the first reply line ("+PONG", "-LOADING ...") or null if nothing answers. */
export function ping(socketPath: string, timeoutMs = 1000): Promise<string | null> {
  return new Promise((done) => {
    const sock = createConnection({ path: socketPath });
    let buf = "";
    const finish = (reply: string | null) => {
      sock.destroy();
      done(reply);
    };
    sock.setTimeout(timeoutMs, () => finish(null));
    sock.on("connect", () => sock.write("PING\r\n"));
    sock.on("data", (chunk) => {
      buf += chunk.toString();
      const end = buf.indexOf("\r\n");
      if (end >= 0) finish(buf.slice(0, end));
    });
    sock.on("error", () => finish(null));
    sock.on("close", () => finish(null));
  });
}

async function waitReady(socketPath: string, proc: Bun.Subprocess, logFile: string) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      const code = proc.exitCode ?? proc.signalCode;
      throw new Error(`redis-server exited early (${code}); last log lines:\n${tail(logFile)}`);
    }
    if ((await ping(socketPath, 500)) === "+PONG") return;
    await Bun.sleep(50);
  }
  throw new Error(
    `redis-server did not answer PING within 10 s; last log lines:\n${tail(logFile)}`,
  );
}

async function shutdown(proc: Bun.Subprocess<"pipe", "ignore", "ignore">) {
  proc.stdin.end(); // EOF makes the watchdog SIGTERM redis-server
  const exited = await Promise.race([
    proc.exited.then(() => true),
    Bun.sleep(STOP_TIMEOUT_MS).then(() => false),
  ]);
  if (exited) return;
  killQuietly(-proc.pid); // the whole process group: watchdog and redis-server
  await proc.exited;
}

async function findOrInstallBinary(opts: StartOptions, log: Log): Promise<string> {
  const found = findBinary(opts.binary);
  if (found) return found;
  const where = opts.binary ? ` at ${opts.binary}` : "";
  const canInstall =
    !opts.binary &&
    (opts.installIfMissing ?? true) &&
    process.getuid?.() === 0 &&
    existsSync("/etc/debian_version");
  if (!canInstall) throw new RedisUnavailable(`redis-server not found${where}: ${FIX}`);
  await aptInstallRedis(log);
  const installed = findBinary();
  if (!installed) throw new RedisUnavailable(`redis-server still not found after apt-get: ${FIX}`);
  return installed;
}

function findBinary(explicit?: string): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const candidates = [
    Bun.which("redis-server"),
    "/usr/bin/redis-server",
    "/usr/local/bin/redis-server",
  ];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

async function aptInstallRedis(log: Log) {
  log("redis-server not found; installing it with apt-get (this can take a minute)");
  const cmd = "apt-get update && apt-get install -y redis-server";
  const proc = Bun.spawn(["sh", "-c", cmd], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) {
    log("apt-get install redis-server failed", { code, output: lastLines(out + err) });
    throw new RedisUnavailable(`apt-get install redis-server failed (exit ${code}): ${FIX}`);
  }
  log("redis-server installed");
}

function killQuietly(pid: number) {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function tail(file: string): string {
  try {
    return lastLines(readFileSync(file, "utf8")) || "(log empty)";
  } catch {
    return "(no log)";
  }
}

function lastLines(text: string, n = 15): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

// For the backup's short-lived reader of an RDB copy (src/backup/rdbReader.ts).

/** The redis-server binary the embedded Redis would use, when one is installed. */
export const findRedisServer = (): string | undefined => findBinary();

/** redis-server under the same watchdog: it stops when `stopWatchedRedis` runs or we die. */
export function spawnWatchedRedis(binary: string, args: string[], dir: string) {
  return Bun.spawn(
    ["sh", "-c", WATCHDOG, "redis-watchdog", join(dir, "redis.log"), binary, ...args],
    { cwd: dir, detached: true, stdin: "pipe", stdout: "ignore", stderr: "ignore" },
  );
}

export const stopWatchedRedis = shutdown;
