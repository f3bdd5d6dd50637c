// Stopping while a counter screen holds its live feed open: `bun run start` and `bun run demo`
// must end the feed (the client reconnects to the next server), close the workers, stop the
// embedded redis-server and exit on their own, saying what they stopped. The compiled binary is
// covered in binary.test.ts.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  cleanEnv,
  type DemoStore,
  demoLogin,
  exitsWithin,
  freePort,
  interrupt,
  killAll,
  leftOver,
  openFeed,
  ROOT,
  type Running,
  run,
  spawn,
  waitFor,
  waitHealthy,
} from "./processes.ts";

/** Generous: a stop that works takes well under a second; one that hangs never ends. */
const EXIT_TIMEOUT_MS = 10_000;

const workDir = mkdtempSync(join(tmpdir(), "so-stop-"));
const started: Running[] = [];

afterAll(() => {
  killAll(started, [workDir]);
  rmSync(workDir, { recursive: true, force: true });
});

function dataDir(name: string) {
  const dir = join(workDir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function signalAndWait(server: Running, send: () => void) {
  send();
  const exited = await exitsWithin(server.proc, EXIT_TIMEOUT_MS);
  if (!exited) server.proc.kill("SIGKILL");
  return exited;
}

describe("stop with an open feed", () => {
  test("bun run start: SIGTERM ends the feed, closes the workers, stops redis and exits 0", async () => {
    const dir = dataDir("start");
    const seeded = await run(["bun", "src/cli/main.ts", "demo:seed", "--json"], {
      env: cleanEnv(dir),
    });
    expect(seeded.code).toBe(0);
    const store = JSON.parse(seeded.stdout) as DemoStore;
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = spawn(["bun", "src/main.ts"], { env: cleanEnv(dir, { PORT: String(port) }) });
    started.push(server);
    await waitHealthy(base, server);
    const feed = await openFeed(base, store);

    expect(await signalAndWait(server, () => server.proc.kill("SIGTERM"))).toBe(true);
    expect(server.proc.exitCode).toBe(0);
    expect(await feed.ended).toBe("clean");
    expect(await leftOver(dir)).toEqual([]);
    const said = server.output();
    expect(said).toContain('"signal":"SIGTERM"');
    expect(said).toContain("closed 1 feed");
    expect(said).toContain("workers closed");
    expect(said).toContain("redis stopped");
  }, 60_000);

  // Both demo runs share one DATA_DIR: the second is the demo's restart.
  const demoDir = () => dataDir("demo");
  const demoEnv = (dir: string, port: number) =>
    cleanEnv(dir, { PORT: String(port), EMULATOR_PORT: String(freePort()) });

  test("bun src/demo.ts: SIGTERM ends the feed, stops redis and the emulator, and says so", async () => {
    const dir = demoDir();
    const port = freePort();
    const demo = spawn(["bun", "src/demo.ts"], { env: demoEnv(dir, port) });
    started.push(demo);
    await waitFor(demo, /Press Ctrl\+C/);
    const feed = await openFeed(`http://127.0.0.1:${port}`, demoLogin(demo.stdout()));

    expect(await signalAndWait(demo, () => demo.proc.kill("SIGTERM"))).toBe(true);
    expect(demo.proc.exitCode).toBe(0);
    expect(await feed.ended).toBe("clean");
    expect(await leftOver(dir)).toEqual([]);
    // The demo logs at warn: what it stopped is still printed.
    expect(demo.stdout()).toContain(
      "stopped: closed 1 feed, 0 requests in flight, workers closed, redis stopped, emulator stopped",
    );
  }, 60_000);

  test("bun run demo: one Ctrl-C (SIGINT to the job, forwarded again by bun run) stops it cleanly", async () => {
    const dir = demoDir();
    const port = freePort();
    const demo = spawn(["bun", "run", "demo"], { env: demoEnv(dir, port), detached: true });
    started.push(demo);
    await waitFor(demo, /Press Ctrl\+C/);
    const feed = await openFeed(`http://127.0.0.1:${port}`, demoLogin(demo.stdout()));

    expect(await signalAndWait(demo, () => interrupt(demo.proc))).toBe(true);
    expect(demo.proc.exitCode).toBe(0);
    expect(await feed.ended).toBe("clean");
    expect(await leftOver(dir)).toEqual([]);
    expect(demo.stdout()).toContain("stopping on SIGINT");
    expect(demo.stdout()).toContain("closed 1 feed");
    expect(demo.stdout()).toContain("emulator stopped");
    expect(demo.output()).not.toContain("again");
  }, 60_000);
});

describe("signals while stopping", () => {
  // A stop that never ends, as one stuck on a hung connection would.
  const stuck = () => {
    const script = join(workDir, "stuckStop.ts");
    const from = (file: string) => JSON.stringify(join(ROOT, file));
    writeFileSync(
      script,
      [
        `import { createLogger } from ${from("src/infra/logger.ts")};`,
        `import { stopOnSignals } from ${from("src/server.ts")};`,
        `stopOnSignals(() => new Promise(() => {}), createLogger("warn"), { echo: true });`,
        "setInterval(() => {}, 60_000);",
        'console.log("ready");',
      ].join("\n"),
    );
    const running = spawn(["bun", script], { env: cleanEnv(workDir) });
    started.push(running);
    return running;
  };

  test("a second signal (not the same Ctrl-C twice) exits at once, saying so", async () => {
    const running = stuck();
    await waitFor(running, /ready/);
    running.proc.kill("SIGTERM");
    await waitFor(running, /stopping on SIGTERM/);
    await Bun.sleep(1000); // a person's second signal, not the first one forwarded
    expect(await signalAndWait(running, () => running.proc.kill("SIGTERM"))).toBe(true);
    expect(running.proc.exitCode).toBe(1);
    expect(running.stdout()).toContain("SIGTERM again while stopping: exiting now");
  }, 30_000);

  test("a stop still running after a few seconds exits anyway, saying so", async () => {
    const running = stuck();
    await waitFor(running, /ready/);
    expect(await signalAndWait(running, () => running.proc.kill("SIGINT"))).toBe(true);
    expect(running.proc.exitCode).toBe(1);
    expect(running.stdout()).toContain("still stopping after");
  }, 30_000);
});
