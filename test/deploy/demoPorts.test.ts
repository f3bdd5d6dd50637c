// A second `bun run demo`: on the ports of a running one it says so in one line and exits 1; on
// other ports but the same DATA_DIR it runs, sharing the first one's Redis and data. The banner
// links the emulator's pages.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  cleanEnv,
  demoLogin,
  exitsWithin,
  freePort,
  killAll,
  leftOver,
  openFeed,
  type Running,
  run,
  spawn,
  waitFor,
} from "./processes.ts";

const EXIT_TIMEOUT_MS = 10_000;
const workDir = mkdtempSync(join(tmpdir(), "so-demos-"));
const started: Running[] = [];

function dataDir(name: string) {
  const dir = join(workDir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const demoEnv = (dir: string, port: number, emulatorPort: number) =>
  cleanEnv(dir, { PORT: String(port), EMULATOR_PORT: String(emulatorPort) });

function startDemo(env: Record<string, string>) {
  const demo = spawn(["bun", "src/demo.ts"], { env });
  started.push(demo);
  return demo;
}

/** The whole output is one line: no stack trace, no banner. */
function oneLine(output: string) {
  const lines = output.trim().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe("a second demo", () => {
  const firstDir = dataDir("first");
  const port = freePort();
  const emulatorPort = freePort();
  let first: Running;

  beforeAll(async () => {
    first = startDemo(demoEnv(firstDir, port, emulatorPort));
    await waitFor(first, /Press Ctrl\+C/);
  }, 60_000);

  afterAll(() => {
    killAll(started, [workDir]);
    rmSync(workDir, { recursive: true, force: true });
  });

  test("the banner links the emulator's payments and events pages on EMULATOR_PORT", async () => {
    const emulator = `http://127.0.0.1:${emulatorPort}`;
    expect(first.stdout()).toContain(`${emulator}/_emulator/payments`);
    const events = /^ {2}Kakao messages +(\S+)/m.exec(first.stdout())?.[1];
    expect(events).toBe(`${emulator}/_emulator/events`);
    expect((await fetch(events!)).status).toBe(200);
  });

  test("on the same ports: one line naming PORT, a demo may be running, exit 1", async () => {
    const dir = dataDir("same-ports");
    const second = await run(["bun", "src/demo.ts"], { env: demoEnv(dir, port, emulatorPort) });
    expect(second.code).toBe(1);
    const line = oneLine(second.output);
    expect(line).toContain(`port ${port} (PORT) is in use`);
    expect(line).toContain("a demo may already be running");
    expect(await leftOver(dir)).toEqual([]); // no redis-server started for nothing
  }, 30_000);

  test("on a free PORT but the emulator's port taken: one line naming EMULATOR_PORT, exit 1", async () => {
    const dir = dataDir("same-emulator-port");
    const second = await run(["bun", "src/demo.ts"], {
      env: demoEnv(dir, freePort(), emulatorPort),
    });
    expect(second.code).toBe(1);
    const line = oneLine(second.output);
    expect(line).toContain(`port ${emulatorPort} (EMULATOR_PORT) is in use`);
    expect(line).toContain("may already be running");
  }, 30_000);

  test("bun run start on the demo's PORT: one line naming it, exit 1, its redis stopped", async () => {
    const dir = dataDir("start-same-port");
    const server = await run(["bun", "src/main.ts"], {
      env: cleanEnv(dir, { PORT: String(port), LOG_LEVEL: "error" }),
    });
    expect(server.code).toBe(1);
    expect(oneLine(server.output)).toContain(`port ${port} (PORT) is in use`);
    expect(await leftOver(dir)).toEqual([]);
  }, 30_000);

  test("on other ports and the same DATA_DIR: says it shares the first one's Redis and data", async () => {
    const otherPort = freePort();
    const second = startDemo(demoEnv(firstDir, otherPort, freePort()));
    await waitFor(second, /Press Ctrl\+C/);
    expect(second.stdout()).toContain(
      `another demo already runs on DATA_DIR ${firstDir}: this one shares its Redis and data`,
    );
    // The same café, and its counter logs in on either server.
    const store = demoLogin(second.stdout());
    expect(store).toEqual(demoLogin(first.stdout()));
    const feed = await openFeed(`http://127.0.0.1:${otherPort}`, store);

    // Stopping the second leaves the first one's Redis running: the first still answers.
    second.proc.kill("SIGTERM");
    expect(await exitsWithin(second.proc, EXIT_TIMEOUT_MS)).toBe(true);
    expect(second.proc.exitCode).toBe(0);
    expect(await feed.ended).toBe("clean");
    expect(second.stdout()).toContain("redis left running");
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toMatchObject({ ok: true, redis: true });

    first.proc.kill("SIGTERM");
    expect(await exitsWithin(first.proc, EXIT_TIMEOUT_MS)).toBe(true);
    expect(first.stdout()).toContain("redis stopped");
    expect(await leftOver(firstDir)).toEqual([]);
  }, 60_000);
});
