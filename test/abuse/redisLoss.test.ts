import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../deploy/processes.ts";
import { login, makeTestDeps, seedStore } from "../helpers/testDeps.ts";

/** A Redis of this test's own on a TCP port, which the test kills and starts again. */
const port = freePort();
const dir = mkdtempSync(join(tmpdir(), "so-redisloss-"));
let redis: ReturnType<typeof Bun.spawn> | null = null;

async function startRedis() {
  redis = Bun.spawn(
    [
      "redis-server",
      ...["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""],
      ...["--appendonly", "yes", "--appendfsync", "always"],
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  const ping = () => Bun.spawnSync(["redis-cli", "-p", String(port), "ping"]).stdout.toString();
  while (!ping().includes("PONG")) await Bun.sleep(50);
}

async function killRedis() {
  redis?.kill("SIGKILL");
  await redis?.exited;
}

let t: ReturnType<typeof makeTestDeps>;
beforeAll(async () => {
  await startRedis();
  t = makeTestDeps({ redisUrl: `redis://127.0.0.1:${port}` });
});
afterAll(async () => {
  await t.close();
  await killRedis();
  rmSync(dir, { recursive: true, force: true });
});

async function timed(path: string, cookie?: string) {
  const started = performance.now();
  const res = await t.app.request(path, { headers: cookie ? { cookie } : {} });
  return { status: res.status, body: await res.json(), ms: performance.now() - started };
}

describe("Redis lost under a running process", () => {
  test("/healthz turns 503 and requests answer a clear 503 within 5 s; both recover when Redis is back", async () => {
    const store = await seedStore(t.deps);
    const { cookie } = await login(t.app, store);
    expect((await timed("/store/day", cookie)).status).toBe(200);

    await killRedis();
    const health = await timed("/healthz");
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false, redis: false, sqlite: true });
    const refused = await timed("/store/day", cookie);
    expect(refused.ms).toBeLessThan(5000);
    expect(refused).toMatchObject({
      status: 503,
      body: { error: "unavailable", message: expect.any(String) },
    });

    await startRedis();
    const deadline = Date.now() + 15_000;
    while ((await timed("/healthz")).status !== 200 && Date.now() < deadline) await Bun.sleep(200);
    expect((await timed("/healthz")).status).toBe(200);
    // The same counter screen, logged in before the loss, goes on.
    expect((await timed("/store/day", cookie)).status).toBe(200);
  }, 30_000);
});
