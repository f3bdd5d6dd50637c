// Smoke test of the compiled binary (`bun run build` → dist/simple-order): it is started from a
// temp cwd so it cannot read anything from the repo, with embedded Redis (no REDIS_URL), and must
// answer /healthz and /metrics, run the operator CLI, and stop cleanly (with its redis-server) on
// SIGTERM even while a counter screen holds its live feed open.

import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ping } from "../../src/infra/embeddedRedis.ts";
import { launchBrowser } from "../helpers/browser.ts";
import {
  BINARY,
  buildIfStale,
  cleanEnv,
  type DemoStore,
  exitsWithin,
  freePort,
  killAll,
  leftOver,
  openFeed,
  ROOT,
  type Running,
  run,
  spawn,
  waitHealthy,
} from "./processes.ts";

const TOKEN = "deploy-test-operator-token";
const EXIT_TIMEOUT_MS = 10_000;

describe("compiled binary (dist/simple-order)", () => {
  const workDir = mkdtempSync(join(tmpdir(), "so-deploy-"));
  const cwd = join(workDir, "cwd");
  const dataDir = join(workDir, "data");
  let server: Running | undefined;
  let url = "";

  beforeAll(async () => {
    await buildIfStale();
    mkdirSync(cwd);
    mkdirSync(dataDir);
    const port = freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn([BINARY], {
      cwd,
      env: cleanEnv(dataDir, {
        PORT: String(port),
        PUBLIC_URL: url, // the browser test logs in from this origin
        OPERATOR_TOKEN: TOKEN,
        LOG_LEVEL: "info",
      }),
    });
    await waitHealthy(url, server);
  }, 180_000);

  afterAll(() => {
    killAll(server ? [server] : [], [dataDir]);
    rmSync(workDir, { recursive: true, force: true });
  });

  test("/healthz reports Redis (embedded) and SQLite ok", async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, redis: true, sqlite: true });
    // Embedded Redis lives under DATA_DIR, and nothing was written to the cwd.
    expect(await ping(join(dataDir, "redis/redis.sock"))).toBe("+PONG");
    expect(existsSync(join(dataDir, "simple-order.db"))).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
  }, 30_000);

  test("/metrics needs the operator token and serves Prometheus text", async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const body = await res.text();
    expect(body).toContain("# TYPE ");
    expect(body).toContain('route="/healthz"');
  }, 30_000);

  test("bull-board from the binary: 401 without auth; the page, an asset and the queues with it", async () => {
    expect((await fetch(`${url}/admin/queues`)).status).toBe(401);
    const auth = { authorization: `Basic ${Buffer.from(`operator:${TOKEN}`).toString("base64")}` };
    const page = await fetch(`${url}/admin/queues`, { headers: auth });
    expect(page.status).toBe(200);
    const script = (await page.text()).match(/src="([^"]+\.js)"/)?.[1];
    expect(script).toBeString();
    const asset = await fetch(`${url}/admin/queues/${script}`, { headers: auth });
    expect(asset.status).toBe(200);
    const api = await fetch(`${url}/admin/queues/api/queues`, { headers: auth });
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names.sort()).toEqual(["accounting", "notify", "payment", "sweep"]);
  });

  test("/ serves the store client page, and every script on it parses", async () => {
    // The browser code is bundled at build time and embedded in the binary: a broken
    // bundle shows up here as a syntax error rather than only in a browser.
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    const transpiler = new Bun.Transpiler({ loader: "js" });
    const scripts: { where: string; code: string }[] = [];
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      const src = /\bsrc\s*=\s*["']?([^"'\s>]+)/i.exec(m[1] ?? "")?.[1];
      if (!src) {
        scripts.push({ where: "inline", code: m[2] ?? "" });
        continue;
      }
      const target = new URL(src, `${url}/`);
      if (target.origin !== new URL(url).origin) continue;
      const js = await fetch(target);
      expect({ src, status: js.status }).toEqual({ src, status: 200 });
      scripts.push({ where: src, code: await js.text() });
    }
    for (const { where, code } of scripts) {
      let error = "";
      try {
        transpiler.transformSync(code);
      } catch (err) {
        error = String(err);
      }
      expect({ where, error }).toEqual({ where, error: "" });
    }
  }, 30_000);

  test("Chromium runs the binary's store client: the bundle of dist/client, login, the live feed", async () => {
    // The script served is the one `bun run build` bundled, and it works in a real browser.
    const html = await (await fetch(`${url}/`)).text();
    const src = /src="(\/assets\/store\.js\?v=[0-9a-f]+)"/.exec(html)?.[1] ?? "";
    const served = await (await fetch(`${url}${src}`)).text();
    expect(served).toBe(readFileSync(join(ROOT, "dist/client/store.js"), "utf8"));
    expect(served).toEndWith("//# sourceMappingURL=store.js.map\n");
    const map = await fetch(`${url}/assets/store.js.map`);
    expect(map.status).toBe(200);
    expect(((await map.json()) as { sources: string[] }).sources).toContainEqual(
      expect.stringContaining("client/main.ts"),
    );

    const seeded = await run([BINARY, "demo:seed", "--json"], { cwd, env: cleanEnv(dataDir) });
    expect(seeded.code).toBe(0);
    const store = JSON.parse(seeded.stdout) as DemoStore;
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({
        geolocation: { latitude: store.lat, longitude: store.lng },
        permissions: ["geolocation"],
      });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${url}/`);
      await page.locator("#login-view").waitFor({ state: "visible" });
      await page.fill("#store-id", store.storeId);
      await page.fill("#pin", store.pin);
      await page.fill("#device-token", store.deviceToken);
      await page.click("#login-submit");
      await page.locator("#day-view").waitFor({ state: "visible" });
      await page.locator('#conn[data-mode="live"]').waitFor();
      expect(errors).toEqual([]);
      // Frees the store for the next test's counter.
      const out = await page.evaluate(
        async () => (await fetch("/store/auth/logout", { method: "POST" })).status,
      );
      expect(out).toBe(204);
    } finally {
      await browser.close();
    }
  }, 60_000);

  test("the binary's operator CLI creates a store in the same DATA_DIR", async () => {
    const cli = await run(
      [
        BINARY,
        ...["store:create", "--name", "바이너리 카페", "--lat", "37.5", "--lng", "127"],
        ...["--pin", "1234", "--json"],
      ],
      { cwd, env: cleanEnv(dataDir) },
    );
    expect({ code: cli.code, err: cli.stderr }).toEqual({ code: 0, err: "" });
    const lines = cli.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0]!) as { storeId?: unknown };
    expect(typeof printed.storeId).toBe("string");

    const db = new Database(join(dataDir, "simple-order.db"), { readonly: true });
    try {
      const row = db.query("select name from stores where id = ?").get(printed.storeId as string);
      expect(row).toEqual({ name: "바이너리 카페" });
    } finally {
      db.close();
    }
  }, 60_000);

  test("SIGTERM with a counter's feed open: the feed ends, the binary and its redis-server stop", async () => {
    const seeded = await run([BINARY, "demo:seed", "--json"], { cwd, env: cleanEnv(dataDir) });
    expect(seeded.code).toBe(0);
    const feed = await openFeed(url, JSON.parse(seeded.stdout) as DemoStore);

    const { proc } = server!;
    proc.kill("SIGTERM");
    expect(await exitsWithin(proc, EXIT_TIMEOUT_MS)).toBe(true);
    expect({ exitCode: proc.exitCode, signal: proc.signalCode }).toEqual({
      exitCode: 0,
      signal: null,
    });
    expect(await feed.ended).toBe("clean");

    expect(await ping(join(dataDir, "redis/redis.sock"))).toBeNull();
    expect(await leftOver(dataDir)).toEqual([]);
    const said = server!.output();
    expect(said).toContain('"signal":"SIGTERM"');
    expect(said).toContain("closed 1 feed");
    expect(said).toContain("workers closed");
    expect(said).toContain("redis stopped");
  }, 30_000);
});
