import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import {
  type EmbeddedRedis,
  RedisUnavailable,
  redisOptionsFromUrl,
  startEmbeddedRedis,
} from "../../src/infra/embeddedRedis.ts";

const MODULE_PATH = resolve(import.meta.dir, "../../src/infra/embeddedRedis.ts");

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function tempDir(prefix = "emb-redis-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string): Promise<EmbeddedRedis> {
  const redis = await startEmbeddedRedis({ dataDir });
  cleanups.push(() => redis.stop());
  return redis;
}

function client(url: string): Redis {
  const c = new Redis({
    ...redisOptionsFromUrl(url),
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  cleanups.push(() => c.disconnect());
  return c;
}

async function answers(socketPath: string): Promise<boolean> {
  const c = new Redis({ path: socketPath, lazyConnect: true, retryStrategy: () => null });
  c.on("error", () => {});
  try {
    await c.connect();
    return (await c.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    c.disconnect();
  }
}

function processesMentioning(text: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(100);
  }
}

describe("startEmbeddedRedis", () => {
  test("starts on a unix socket with AOF and no TCP port", async () => {
    const dataDir = tempDir();
    const redis = await start(dataDir);
    expect(redis.socketPath).toBe(join(dataDir, "redis", "redis.sock"));
    expect(redis.url).toBe(`unix://${redis.socketPath}`);

    const c = client(redis.url);
    await c.set("greeting", "hello");
    expect(await c.get("greeting")).toBe("hello");
    expect(await c.config("GET", "port")).toEqual(["port", "0"]);
    expect(await c.config("GET", "appendonly")).toEqual(["appendonly", "yes"]);
    expect(existsSync(join(dataDir, "redis", "appendonlydir"))).toBe(true);
  });

  test("AOF fsync follows REDIS_APPENDFSYNC: everysec by default, always when asked", async () => {
    const everysec = client((await start(tempDir())).url);
    expect(await everysec.config("GET", "appendfsync")).toEqual(["appendfsync", "everysec"]);
    const dataDir = tempDir();
    const redis = await startEmbeddedRedis({ dataDir, appendfsync: "always" });
    cleanups.push(() => redis.stop());
    expect(await client(redis.url).config("GET", "appendfsync")).toEqual(["appendfsync", "always"]);
  });

  test("the url also works directly with new Redis(url) and with BullMQ", async () => {
    const redis = await start(tempDir());
    const direct = new Redis(redis.url);
    cleanups.push(() => direct.disconnect());
    expect(await direct.ping()).toBe("PONG");

    const connection = { ...redisOptionsFromUrl(redis.url), maxRetriesPerRequest: null };
    const queue = new Queue("embedded-redis-test", { connection });
    const worker = new Worker("embedded-redis-test", async (job) => job.data.n * 2, { connection });
    cleanups.push(async () => {
      await worker.close();
      await queue.close();
    });
    const done = new Promise((ok) => worker.on("completed", (_job, result) => ok(result)));
    await queue.add("double", { n: 21 });
    expect(await done).toBe(42);
  });

  test("a second start on the same dataDir reuses the running server", async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    await client(first.url).set("k", "v");

    const second = await startEmbeddedRedis({ dataDir });
    expect({ first: first.reused, second: second.reused }).toEqual({ first: false, second: true });
    expect(second.socketPath).toBe(first.socketPath);
    expect(await client(second.url).get("k")).toBe("v");

    await second.stop();
    expect(await answers(first.socketPath)).toBe(true);
  });

  test("stop() ends the server and is idempotent", async () => {
    const redis = await start(tempDir());
    expect(await answers(redis.socketPath)).toBe(true);
    await redis.stop();
    expect(await answers(redis.socketPath)).toBe(false);
    expect(processesMentioning(redis.socketPath)).toEqual([]);
    await redis.stop();
  });

  test("a stale socket file is replaced", async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    await first.stop();
    writeFileSync(first.socketPath, ""); // leftover of a crashed run
    const redis = await start(dataDir);
    expect(await answers(redis.socketPath)).toBe(true);
  });

  test("falls back to a short socket under tmpdir when the path is too long", async () => {
    const dataDir = join(tempDir(), "x".repeat(100));
    const redis = await start(dataDir);
    expect(redis.socketPath.startsWith(tmpdir())).toBe(true);
    expect(await answers(redis.socketPath)).toBe(true);
    expect(existsSync(join(dataDir, "redis", "appendonlydir"))).toBe(true);
  });

  test("no orphan redis-server when the parent is SIGKILLed", async () => {
    const dir = tempDir();
    const script = join(dir, "child.ts");
    writeFileSync(
      script,
      `import { startEmbeddedRedis } from ${JSON.stringify(MODULE_PATH)};
const redis = await startEmbeddedRedis({ dataDir: ${JSON.stringify(join(dir, "data"))} });
console.log(redis.socketPath);
setInterval(() => {}, 1 << 30);
`,
    );
    const child = Bun.spawn([process.execPath, script], { stdout: "pipe", stderr: "inherit" });
    cleanups.push(() => child.kill("SIGKILL"));
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    const socketPath = new TextDecoder().decode(value).trim();
    expect(socketPath).toBe(join(dir, "data", "redis", "redis.sock"));
    expect(await answers(socketPath)).toBe(true);
    expect(processesMentioning(socketPath).length).toBeGreaterThan(0);

    child.kill("SIGKILL");
    await child.exited;
    await eventually(async () => !(await answers(socketPath)));
    await eventually(() => processesMentioning(socketPath).length === 0);
  });

  test("missing binary without install rejects with a one-line RedisUnavailable", async () => {
    const promise = startEmbeddedRedis({
      dataDir: tempDir(),
      binary: "/nonexistent/redis-server",
      installIfMissing: false,
    });
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RedisUnavailable);
    const message = (err as Error).message;
    expect(message).toContain("REDIS_URL");
    expect(message).not.toContain("\n");
  });
});

describe("redisOptionsFromUrl", () => {
  test("unix, redis and rediss urls", () => {
    expect(redisOptionsFromUrl("unix:///tmp/a%20b/redis.sock")).toEqual({
      path: "/tmp/a b/redis.sock",
    });
    expect(redisOptionsFromUrl("unix:///tmp/r.sock?db=3")).toEqual({ path: "/tmp/r.sock", db: 3 });
    expect(redisOptionsFromUrl("/tmp/r.sock")).toEqual({ path: "/tmp/r.sock" });
    expect(redisOptionsFromUrl("redis://:p%40ss@cache:6380/2")).toEqual({
      host: "cache",
      port: 6380,
      password: "p@ss",
      db: 2,
    });
    expect(redisOptionsFromUrl("rediss://u:pw@example.com")).toEqual({
      host: "example.com",
      port: 6379,
      username: "u",
      password: "pw",
      tls: {},
    });
    expect(() => redisOptionsFromUrl("http://x:secret@h")).toThrow(/unsupported/);
  });
});
