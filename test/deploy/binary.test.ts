// Smoke test of the compiled binary (`bun run build` → dist/simple-order): it is started from a
// temp cwd so it cannot read anything from the repo, with embedded Redis (no REDIS_URL), and must
// answer /healthz and /metrics, run the operator CLI, and stop cleanly (with its redis-server) on
// SIGTERM.

import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ping } from "../../src/infra/embeddedRedis.ts";

const ROOT = resolve(import.meta.dir, "../..");
const BINARY = join(ROOT, "dist/simple-order");
const TOKEN = "deploy-test-operator-token";
const BUILD_TIMEOUT_MS = 120_000;
const READY_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 10_000;

/** Newest mtime of the inputs the binary is built from. */
function newestSourceMtime(): number {
  let newest = 0;
  for (const dir of ["src", "db"]) {
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

async function buildIfStale() {
  const st = statSync(BINARY, { throwIfNoEntry: false });
  if (st && st.mtimeMs >= newestSourceMtime()) return;
  const proc = Bun.spawn(["bun", "run", "build"], {
    cwd: ROOT,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), BUILD_TIMEOUT_MS);
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  if (code !== 0 || !existsSync(BINARY)) {
    throw new Error(`bun run build failed (exit ${code}):\n${out}\n${err}`);
  }
}

function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = probe.port;
  probe.stop(true);
  if (!port) throw new Error("could not find a free port");
  return port;
}

/** Only what the binary needs: notably no REDIS_URL / DATABASE_PATH leaking from the test env. */
function binaryEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { DATA_DIR: dataDir, ...extra };
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  return env;
}

/** Drains a child's output stream into a string (so the pipe never fills up). */
function collect(stream: ReadableStream<Uint8Array>, sink: { text: string }) {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      sink.text += decoder.decode(value, { stream: true });
    }
  })().catch(() => {});
}

/** Pids (other than ours) whose command line mentions `needle`, e.g. the data dir. */
function pidsMentioning(needle: string): number[] {
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

async function waitHealthy(url: string, server: Bun.Subprocess, output: () => string) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(
        `binary exited early (${server.exitCode ?? server.signalCode}):\n${output()}`,
      );
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await Bun.sleep(100);
  }
  throw new Error(`no 200 from /healthz within ${READY_TIMEOUT_MS} ms:\n${output()}`);
}

describe("compiled binary (dist/simple-order)", () => {
  const workDir = mkdtempSync(join(tmpdir(), "so-deploy-"));
  const cwd = join(workDir, "cwd");
  const dataDir = join(workDir, "data");
  const logs = { text: "" };
  const output = () => logs.text.split("\n").slice(-40).join("\n");
  let server: Bun.Subprocess<"ignore", "pipe", "pipe"> | undefined;
  let url = "";

  beforeAll(
    async () => {
      await buildIfStale();
      mkdirSync(cwd);
      mkdirSync(dataDir);
      const port = freePort();
      url = `http://127.0.0.1:${port}`;
      server = Bun.spawn([BINARY], {
        cwd,
        env: binaryEnv(dataDir, { PORT: String(port), OPERATOR_TOKEN: TOKEN, LOG_LEVEL: "info" }),
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
      });
      collect(server.stdout, logs);
      collect(server.stderr, logs);
      await waitHealthy(url, server, output);
    },
    BUILD_TIMEOUT_MS + READY_TIMEOUT_MS + 10_000,
  );

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill("SIGKILL");
      await server.exited;
    }
    // Never leave a redis-server behind, even when a test failed half-way.
    for (const pid of pidsMentioning(dataDir)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
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
    // The browser code is embedded (e.g. a function's toString() after --minify): a broken
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

  test("the binary's operator CLI creates a store in the same DATA_DIR", async () => {
    const cli = Bun.spawn(
      [
        BINARY,
        ...["store:create", "--name", "바이너리 카페", "--lat", "37.5", "--lng", "127"],
        ...["--pin", "1234", "--json"],
      ],
      { cwd, env: binaryEnv(dataDir), stdin: "ignore", stdout: "pipe", stderr: "pipe" },
    );
    const [out, err, code] = await Promise.all([
      new Response(cli.stdout).text(),
      new Response(cli.stderr).text(),
      cli.exited,
    ]);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    const lines = out.trim().split("\n");
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

  test("SIGTERM stops the binary (exit 0) and its embedded redis-server", async () => {
    const proc = server!;
    proc.kill("SIGTERM");
    const exited = await Promise.race([
      proc.exited.then(() => true),
      Bun.sleep(EXIT_TIMEOUT_MS).then(() => false),
    ]);
    expect(exited).toBe(true);
    expect({ exitCode: proc.exitCode, signal: proc.signalCode }).toEqual({
      exitCode: 0,
      signal: null,
    });

    expect(await ping(join(dataDir, "redis/redis.sock"))).toBeNull();
    // The watchdog's reader subshell may need a moment after redis-server itself is gone.
    const deadline = Date.now() + 3000;
    let left = pidsMentioning(dataDir);
    while (left.length > 0 && Date.now() < deadline) {
      await Bun.sleep(100);
      left = pidsMentioning(dataDir);
    }
    expect(left).toEqual([]);
    expect(logs.text).toContain('"signal":"SIGTERM"');
  }, 30_000);
});
