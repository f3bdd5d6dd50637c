import { copyFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import type { Config } from "../config.ts";
import {
  findRedisServer,
  ping,
  spawnWatchedRedis,
  stopWatchedRedis,
} from "../infra/embeddedRedis.ts";
import { type DumpedKey, dumpAll } from "./redisDump.ts";

const SAVE_TIMEOUT_MS = 10 * 60_000;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/**
 * Where this Redis writes its RDB, when it runs on this host (embedded, a unix socket or a
 * loopback address); null for a Redis elsewhere, whose files we cannot read.
 */
export async function localRdbPath(redis: Redis, config: Config): Promise<string | null> {
  if (config.redisUrl) {
    const url = new URL(config.redisUrl);
    if (url.protocol !== "unix:" && !LOOPBACK.has(url.hostname)) return null;
  }
  const [, dir] = (await redis.config("GET", "dir")) as string[];
  const [, file] = (await redis.config("GET", "dbfilename")) as string[];
  return dir && file ? join(dir, file) : null;
}

/**
 * BGSAVE (Redis forks and writes a point-in-time RDB; the live server is not held up) and a copy
 * of that file into `work`, as `dump.rdb` for `readRdb`.
 */
export async function bgsaveCopy(redis: Redis, rdbPath: string, work: string) {
  if (!findRedisServer()) throw new Error("no redis-server here to read an RDB copy");
  const { startedMs, savedAt } = await bgsave(redis);
  const written = statSync(rdbPath, { throwIfNoEntry: false });
  if (!written || written.mtimeMs < startedMs - 2000) {
    throw new Error(`${rdbPath} was not written by this BGSAVE (Redis in a container?)`);
  }
  copyFileSync(rdbPath, join(work, "dump.rdb"));
  return { savedAt };
}

const infoField = (info: string, name: string) =>
  new RegExp(`^${name}:(\\S*)`, "m").exec(info)?.[1] ?? "";

/** Starts a BGSAVE of our own and waits until it is on disk (INFO persistence, LASTSAVE). */
async function bgsave(redis: Redis) {
  const { before, startedMs } = await startBgsave(redis);
  const deadline = Date.now() + SAVE_TIMEOUT_MS;
  let idleSince = Date.now();
  while (Date.now() < deadline) {
    const info = await redis.info("persistence");
    const running =
      infoField(info, "rdb_bgsave_in_progress") === "1" ||
      infoField(info, "aof_rewrite_in_progress") === "1";
    const last = Number(infoField(info, "rdb_last_save_time"));
    if (!running && last > before) return { startedMs, savedAt: last * 1000 };
    if (running) idleSince = Date.now();
    // A save scheduled behind an AOF rewrite starts within ~100 ms of it; idle longer = failed.
    else if (Date.now() - idleSince > 2000) {
      const status = infoField(info, "rdb_last_bgsave_status");
      throw new Error(`BGSAVE failed (${status}): see the Redis log (disk full? fork refused?)`);
    }
    await Bun.sleep(50);
  }
  throw new Error("BGSAVE did not finish within 10 minutes");
}

async function startBgsave(redis: Redis) {
  for (;;) {
    const before = await redis.lastsave();
    // LASTSAVE counts seconds: start in a later second than the last save, or ours cannot be told apart.
    while (Number((await redis.time())[0]) <= before) await Bun.sleep(100);
    const startedMs = Date.now();
    try {
      // SCHEDULE: during an AOF rewrite the save starts right after it instead of failing.
      await redis.bgsave("SCHEDULE");
      return { before, startedMs };
    } catch (err) {
      if (!/already in progress/i.test((err as Error).message)) throw err;
      await Bun.sleep(100); // someone else's save: let it finish, then take our own
    }
  }
}

/** A redis-server of our own on a copy of the RDB (no AOF, no saves): static, so reading it needs no lock. */
export async function readRdb(dir: string, prefix: string): Promise<DumpedKey[]> {
  const binary = findRedisServer()!; // checked by bgsaveCopy
  const socket = join(dir, "reader.sock");
  const proc = spawnWatchedRedis(
    binary,
    [
      ...["--port", "0", "--unixsocket", socket, "--unixsocketperm", "700", "--dir", dir],
      ...["--dbfilename", "dump.rdb", "--appendonly", "no", "--save", "", "--daemonize", "no"],
    ],
    dir,
  );
  try {
    await waitLoaded(socket, proc);
    const reader = new Redis({ path: socket, maxRetriesPerRequest: 1 });
    reader.on("error", () => {});
    try {
      return await dumpAll(reader, prefix);
    } finally {
      reader.disconnect();
    }
  } finally {
    await stopWatchedRedis(proc);
  }
}

async function waitLoaded(socket: string, proc: Bun.Subprocess) {
  const deadline = Date.now() + SAVE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error("the RDB reader (redis-server) exited early");
    if ((await ping(socket, 500)) === "+PONG") return; // "-LOADING" until the copy is read
    await Bun.sleep(50);
  }
  throw new Error("the RDB reader did not load the copy in time");
}
