import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Config } from "../config.ts";
import { connectAppRedis, refuseSharedEngines } from "./appRedis.ts";
import { backupFiles, readManifest, verifyFiles } from "./manifest.ts";
import { fromJsonLines, holdsKeys, restoreKeys } from "./redisDump.ts";

/**
 * Restores a backup into an empty DATA_DIR (and an empty key prefix of REDIS_URL, when set).
 * Everything is checked before anything is written: the manifest, every file's sha256, the key
 * prefix, and that nothing is there to overwrite. The server started afterwards heals the live
 * day from SQLite × stream × KakaoPay like after a power cut.
 */
export async function restoreBackup(config: Config, from: string) {
  refuseSharedEngines(config);
  const dir = resolve(from);
  const manifest = readManifest(dir);
  await verifyFiles(dir, manifest);
  if (manifest.redisKeyPrefix !== config.redisKeyPrefix) {
    throw new Error(
      `the backup is of REDIS_KEY_PREFIX=${manifest.redisKeyPrefix}; set REDIS_KEY_PREFIX=${manifest.redisKeyPrefix} to restore it`,
    );
  }
  refuseExistingData(config);
  const keys = fromJsonLines(readFileSync(join(dir, backupFiles.redis), "utf8"));

  const { redis, close } = await connectAppRedis(config);
  try {
    if (await holdsKeys(redis, config.redisKeyPrefix)) {
      throw new Error(
        `Redis already holds keys under REDIS_KEY_PREFIX=${config.redisKeyPrefix}: restore goes only into an empty one`,
      );
    }
    const outcome = await partial(() => restoreKeys(redis, keys, Date.now()));
    await partial(async () => copyDatabase(join(dir, backupFiles.db), config.databasePath));
    return { ...outcome, createdAt: manifest.createdAt };
  } finally {
    await close();
  }
}

function refuseExistingData(config: Config) {
  for (const path of [config.databasePath, `${config.databasePath}-wal`]) {
    if (existsSync(path)) {
      throw new Error(
        `DATA_DIR already holds a database (${path}): restore goes only into an empty DATA_DIR`,
      );
    }
  }
  if (config.redisUrl) return;
  const redisDir = join(config.dataDir, "redis");
  const data = existsSync(redisDir)
    ? readdirSync(redisDir).filter((f) => /^(appendonlydir|dump\.rdb)$|\.aof$/.test(f))
    : [];
  if (data.length > 0) {
    throw new Error(
      `DATA_DIR already holds Redis data (${join(redisDir, data[0]!)}): restore goes only into an empty DATA_DIR`,
    );
  }
}

/** Past this point something was written: say so, or the next try would refuse without a reason. */
async function partial<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw new Error(
      `${(err as Error).message} — DATA_DIR (and the key prefix) now hold part of the backup: empty them before trying again`,
    );
  }
}

/** Copied beside, then renamed: a database file is either the whole backup or absent. */
function copyDatabase(from: string, to: string) {
  const target = resolve(to);
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.restoring`;
  copyFileSync(from, temp);
  renameSync(temp, target);
}
