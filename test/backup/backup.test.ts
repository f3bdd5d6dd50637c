import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dumpAll, restoreKeys, snapshotKeys } from "../../src/backup/redisDump.ts";
import { buildDeps } from "../../src/bootstrap.ts";
import { runCli } from "../../src/cli/cli.ts";
import { loadConfig } from "../../src/config.ts";
import { startEmbeddedRedis } from "../../src/infra/embeddedRedis.ts";
import { silentLogger } from "../../src/infra/logger.ts";
import { readLiveDay } from "../../src/store/day/liveDay.ts";
import { openShop } from "../helpers/shop.ts";
import { makeTestDeps, newRedis, redisUrl } from "../helpers/testDeps.ts";

// The backup and restore commands, run the way an operator runs them (runCli), on the test
// Redis (REDIS_URL, its own key prefix) and a temp DATA_DIR; restores go into fresh DATA_DIRs.
const t = makeTestDeps();
const work = mkdtempSync(join(tmpdir(), "so-backup-test-"));
let shop: Awaited<ReturnType<typeof openShop>>;
let backupDir: string;

afterAll(async () => {
  await t.close();
  rmSync(work, { recursive: true, force: true });
});

async function cli(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: { LOG_LEVEL: "silent", ...env },
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The live shop's environment: the test Redis under this file's prefix. */
const liveEnv = () => ({ DATA_DIR: t.dir, REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: t.prefix });
const freshDir = (name: string) => join(work, name);
// The test run's own Redis (not a REDIS_URL given to the run, whose files may be out of reach).
const ownRedis = !process.env.REDIS_URL;

async function expectRefused(result: Awaited<ReturnType<typeof cli>>, message: RegExp) {
  expect(result.code).toBe(1);
  expect(result.out).toBe("");
  expect(result.err.split("\n")).toHaveLength(1);
  expect(result.err).toMatch(message);
}

beforeAll(async () => {
  shop = await openShop(t.deps); // a day OPEN, no order yet
  backupDir = freshDir("backup-1");
  const r = await cli(liveEnv(), "backup", "--to", backupDir, "--json");
  expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: "" });
  const printed = JSON.parse(r.out) as { dir: string; bytes: number };
  expect(printed.dir).toBe(backupDir);
  const files = readdirSync(backupDir).sort();
  expect(files).toEqual(["manifest.json", "redis-keys.jsonl", "simple-order.db"]);
  expect(printed.bytes).toBe(files.reduce((s, f) => s + statSync(join(backupDir, f)).size, 0));
});

describe("backup", () => {
  test("of an open day with no orders: the manifest has the prefix, sizes and checksums", () => {
    const manifest = JSON.parse(readFileSync(join(backupDir, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({
      format: "simple-order-backup",
      formatVersion: 1,
      appVersion: "0.1.0",
      redisKeyPrefix: t.prefix,
      redis: { capture: ownRedis ? "bgsave" : expect.stringMatching(/^(bgsave|script)$/) },
    });
    expect(manifest.redis.keys).toBeGreaterThan(0);
    for (const f of manifest.files) {
      expect(f.bytes).toBe(statSync(join(backupDir, f.name)).size);
      expect(f.sha256).toBe(
        new Bun.CryptoHasher("sha256").update(readFileSync(join(backupDir, f.name))).digest("hex"),
      );
    }
    // Only this environment's keys: nothing of other prefixes sharing the Redis.
    const keys = readFileSync(join(backupDir, "redis-keys.jsonl"), "utf8").trim().split("\n");
    expect(keys.every((line) => JSON.parse(line).key.startsWith(`${t.prefix}:`))).toBe(true);
    // PIN hashes and sessions inside: only the owner may read it.
    expect(statSync(backupDir).mode & 0o777).toBe(0o700);
  });

  test("without --json says where it went; a second backup goes into its own new directory", async () => {
    const second = freshDir("backup-2");
    const r = await cli(liveEnv(), "backup", "--to", second);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`backup written): ${second}`);
    await expectRefused(
      await cli(liveEnv(), "backup", "--to", second),
      /backup-2 is not empty: each backup goes into a new directory/,
    );
  });

  test("two at once (a cron run overlapping the last) both finish, each with its own BGSAVE", async () => {
    const redis = newRedis();
    const saves = async () =>
      Number(/^rdb_saves:(\d+)/m.exec(await redis.info("persistence"))?.[1] ?? 0);
    const savesBefore = await saves();
    const [a, b] = await Promise.all([
      cli(liveEnv(), "backup", "--to", freshDir("overlap-a"), "--json"),
      cli(liveEnv(), "backup", "--to", freshDir("overlap-b"), "--json"),
    ]);
    expect([a.code, b.code, a.err, b.err]).toEqual([0, 0, "", ""]);
    const manifest = (name: string) =>
      JSON.parse(readFileSync(join(freshDir(name), "manifest.json"), "utf8"));
    if (ownRedis) {
      expect(manifest("overlap-a").redis.capture).toBe("bgsave");
      expect(manifest("overlap-b").redis.capture).toBe("bgsave");
    }
    // Two saves, not one shared (LASTSAVE counts seconds, so two quick saves may share a second).
    if (ownRedis) expect((await saves()) - savesBefore).toBeGreaterThanOrEqual(2);
    redis.disconnect();
  });

  test("of a DATA_DIR without a database is refused (a wrong DATA_DIR), and writes nothing", async () => {
    const target = freshDir("backup-nothing");
    const r = await cli(
      { ...liveEnv(), DATA_DIR: freshDir("no-such-data") },
      "backup",
      "--to",
      target,
    );
    await expectRefused(r, /no database at .*no-such-data.*: check DATA_DIR or DATABASE_PATH/);
    expect(existsSync(target)).toBe(false);
  });
});

describe("restore", () => {
  test("into an empty DATA_DIR with embedded Redis gives back the open day", async () => {
    const dataDir = freshDir("restored");
    const env = { DATA_DIR: dataDir, REDIS_KEY_PREFIX: t.prefix };
    const r = await cli(env, "restore", "--from", backupDir, "--json");
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: "" });
    expect(JSON.parse(r.out)).toEqual({ restored: true });

    // What the server does next: embedded Redis on the DATA_DIR, the same SQLite file.
    const embedded = await startEmbeddedRedis({ dataDir });
    const config = loadConfig({ ...env, LOG_LEVEL: "silent" });
    const restored = buildDeps(config, {
      redisUrl: embedded.url,
      log: silentLogger,
      keyPrefix: t.prefix,
    });
    try {
      const live = await readLiveDay(restored.deps, shop.storeId);
      const original = await readLiveDay(t.deps, shop.storeId);
      expect(live).toMatchObject({ state: "OPEN", dayId: original!.dayId });
      const store = restored.deps.db.query.stores.findFirst();
      expect((await store)?.id).toBe(shop.storeId);
    } finally {
      await restored.close();
      await embedded.stop();
    }
    // The second time, the DATA_DIR is no longer empty.
    await expectRefused(
      await cli(env, "restore", "--from", backupDir),
      /DATA_DIR already holds a database .*restore goes only into an empty DATA_DIR/,
    );
  });

  test("refuses a DATA_DIR holding Redis data, and leaves it as it was", async () => {
    const dataDir = freshDir("has-redis");
    mkdirSync(join(dataDir, "redis/appendonlydir"), { recursive: true });
    const r = await cli(
      { DATA_DIR: dataDir, REDIS_KEY_PREFIX: t.prefix },
      "restore",
      "--from",
      backupDir,
    );
    await expectRefused(r, /DATA_DIR already holds Redis data .*appendonlydir/);
    expect(readdirSync(join(dataDir, "redis"))).toEqual(["appendonlydir"]);
    expect(existsSync(join(dataDir, "simple-order.db"))).toBe(false);
  });

  test("refuses a REDIS_URL that already holds keys under the prefix (the live shop's)", async () => {
    const dataDir = freshDir("shared-redis");
    await expectRefused(
      await cli({ ...liveEnv(), DATA_DIR: dataDir }, "restore", "--from", backupDir),
      new RegExp(`Redis already holds keys under REDIS_KEY_PREFIX=${t.prefix}`),
    );
    expect(existsSync(join(dataDir, "simple-order.db"))).toBe(false);
  });

  test("refuses a backup of another key prefix", async () => {
    const r = await cli(
      { DATA_DIR: freshDir("other-prefix"), REDIS_KEY_PREFIX: "other" },
      "restore",
      "--from",
      backupDir,
    );
    await expectRefused(
      r,
      new RegExp(`backup is of REDIS_KEY_PREFIX=${t.prefix}; set REDIS_KEY_PREFIX=${t.prefix}`),
    );
  });

  test("refuses a corrupted backup before writing anything", async () => {
    const damaged = freshDir("damaged");
    expect((await cli(liveEnv(), "backup", "--to", damaged)).code).toBe(0);
    const db = join(damaged, "simple-order.db");
    const bytes = readFileSync(db);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100]! + 1) % 256; // one flipped byte
    writeFileSync(db, bytes);

    const dataDir = freshDir("not-restored");
    const r = await cli(
      { DATA_DIR: dataDir, REDIS_KEY_PREFIX: t.prefix },
      "restore",
      "--from",
      damaged,
    );
    await expectRefused(r, /damaged: simple-order.db does not match its checksum in the manifest/);
    expect(existsSync(dataDir)).toBe(false);
  });

  test("refuses a directory without a manifest (not a backup, or one cut short)", async () => {
    const half = freshDir("half");
    mkdirSync(half);
    writeFileSync(join(half, "simple-order.db"), "");
    const r = await cli(
      { DATA_DIR: freshDir("x"), REDIS_KEY_PREFIX: t.prefix },
      "restore",
      "--from",
      half,
    );
    await expectRefused(r, /has no manifest.json: not a backup, or an unfinished one/);
  });
});

describe("the app's keys as DUMP payloads", () => {
  test("the one-script copy (a Redis elsewhere) reads the same keys as the RDB reader's SCAN; expired keys stay out on restore", async () => {
    const redis = newRedis();
    const prefix = `bk${Date.now().toString(36)}`;
    try {
      await redis.xadd(`${prefix}:{s}:stream:d`, "*", "type", "order.paid", "data", "{}");
      await redis.hset(`${prefix}:{s}:order:o1`, "status", "PAID", "pickupNumber", "1");
      await redis.set(`${prefix}:cart:u1`, "{}", "PX", 60_000);
      await redis.set(`${prefix}:loginfail:1.2.3.4`, "3", "PX", 60_000);
      const byScript = (await snapshotKeys(redis, prefix)).keys;
      const byScan = await dumpAll(redis, prefix);
      const names = (keys: { key: string }[]) => keys.map((k) => k.key).sort();
      expect(names(byScript)).toEqual(names(byScan));
      expect(byScript).toHaveLength(4);
      expect(byScript.find((k) => k.key.endsWith(":cart:u1"))!.expireAt).toBeNumber();

      await redis.del(...names(byScript));
      const soon = byScript.map((k) =>
        k.key.endsWith(":loginfail:1.2.3.4") ? { ...k, expireAt: Date.now() - 1 } : k,
      );
      expect(await restoreKeys(redis, soon, Date.now())).toEqual({ restored: 3, expired: 1 });
      expect(await redis.hget(`${prefix}:{s}:order:o1`, "status")).toBe("PAID");
      expect(await redis.xlen(`${prefix}:{s}:stream:d`)).toBe(1);
      expect(await redis.pttl(`${prefix}:cart:u1`)).toBeGreaterThan(0);
      expect(await redis.exists(`${prefix}:loginfail:1.2.3.4`)).toBe(0);
      await redis.del(...names(byScript));
    } finally {
      redis.disconnect();
    }
  });
});
