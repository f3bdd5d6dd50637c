import { Database } from "bun:sqlite";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Config } from "../config.ts";
import { connectAppRedis, refuseSharedEngines } from "./appRedis.ts";
import {
  appVersion,
  backupFiles,
  digestFile,
  type FileEntry,
  type Manifest,
  schemaVersion,
} from "./manifest.ts";
import { bgsaveCopy, localRdbPath, readRdb } from "./rdbReader.ts";
import { snapshotKeys, toJsonLines } from "./redisDump.ts";

/**
 * An online backup into a new directory `to`: the app's Redis keys, then SQLite, then the
 * manifest (sizes and sha256 of both). Orders keep flowing meanwhile.
 *
 * Redis is copied before SQLite on purpose: whatever happens between the two copies is then in
 * SQLite (an order placed, paid or moved), and healing at start brings the restored stream up
 * to SQLite and asks KakaoPay about orders still unpaid. The other way round, an order placed
 * between the copies would exist nowhere but in the (later) Redis copy's payment job.
 */
export async function takeBackup(config: Config, to: string) {
  refuseSharedEngines(config);
  const dir = resolve(to);
  if (!existsSync(config.databasePath)) {
    throw new Error(`no database at ${config.databasePath}: check DATA_DIR or DATABASE_PATH`);
  }
  const created = prepareDir(dir);
  const work = mkdtempSync(join(tmpdir(), "so-backup-"));
  try {
    const redis = await snapshotRedis(config, work);
    copySqlite(config.databasePath, join(dir, backupFiles.db));
    const keys = await redis.keys();
    writeFileSync(join(dir, backupFiles.redis), toJsonLines(keys), { mode: 0o600 });
    const manifest = await writeManifest(dir, config, redis, keys.length);
    const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, manifest.bytes);
    return { dir, bytes, redis: manifest.redis };
  } catch (err) {
    if (created) rmSync(dir, { recursive: true, force: true });
    else for (const name of Object.values(backupFiles)) rmSync(join(dir, name), { force: true });
    throw err;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Written last: a directory with a manifest is a whole backup. */
async function writeManifest(
  dir: string,
  config: Config,
  redis: Awaited<ReturnType<typeof snapshotRedis>>,
  keys: number,
) {
  const files: FileEntry[] = [];
  for (const name of [backupFiles.db, backupFiles.redis]) {
    files.push({ name, ...(await digestFile(join(dir, name))) });
  }
  const { keys: _, ...taken } = redis;
  const manifest: Manifest = {
    format: "simple-order-backup",
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    appVersion,
    schemaVersion: schemaVersion(),
    redisKeyPrefix: config.redisKeyPrefix,
    redis: { ...taken, keys },
    files,
  };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(join(dir, backupFiles.manifest), text, { mode: 0o600 });
  return { ...manifest, bytes: Buffer.byteLength(text) };
}

/** A new or empty directory, readable by its owner only (it holds PIN hashes and sessions). */
function prepareDir(dir: string): boolean {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new Error(`${dir} exists and is not a directory`);
    if (readdirSync(dir).length > 0) {
      throw new Error(`${dir} is not empty: each backup goes into a new directory`);
    }
    return false;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return true;
}

/**
 * The app's keys as DUMP payloads (restorable into any Redis of the same or a newer version).
 * When the Redis is on this host: BGSAVE (no pause for the live server) and a copy of its RDB,
 * read out by `keys()` once SQLite is copied too, so the two copies are close in time.
 * Otherwise one script copies them, holding Redis meanwhile (docs/backup.md has the figures).
 */
async function snapshotRedis(config: Config, work: string) {
  const { redis, close } = await connectAppRedis(config);
  try {
    const version = /redis_version:(\S+)/.exec(await redis.info("server"))?.[1] ?? "unknown";
    let note = "this Redis is not on this host";
    try {
      const rdb = await localRdbPath(redis, config);
      if (rdb) {
        const { savedAt } = await bgsaveCopy(redis, rdb, work);
        const snapshotAt = new Date(savedAt).toISOString();
        const keys = () => readRdb(work, config.redisKeyPrefix);
        return { version, snapshotAt, capture: "bgsave" as const, keys };
      }
    } catch (err) {
      note = (err as Error).message;
    }
    const taken = await snapshotKeys(redis, config.redisKeyPrefix);
    const snapshotAt = new Date(taken.at).toISOString();
    return { version, snapshotAt, capture: "script" as const, note, keys: async () => taken.keys };
  } finally {
    await close();
  }
}

/**
 * `VACUUM INTO` writes one consistent, self-contained copy (no -wal beside it) from a single read
 * transaction: in WAL mode the server keeps writing meanwhile. bun:sqlite has no binding for
 * SQLite's page-by-page backup API, and VACUUM INTO also compacts the copy.
 */
function copySqlite(databasePath: string, target: string) {
  const db = new Database(databasePath, { readwrite: true, create: false });
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    db.query("VACUUM INTO ?").run(target);
  } finally {
    db.close();
  }
  chmodSync(target, 0o600);
  const copy = new Database(target, { readonly: true });
  try {
    const check = copy.query("PRAGMA quick_check").get() as { quick_check: string } | null;
    if (check?.quick_check !== "ok") {
      throw new Error(`the database copy failed its check: ${check?.quick_check}`);
    }
  } finally {
    copy.close();
  }
}
