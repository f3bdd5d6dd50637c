// The Dockerfile without a Docker engine: its build stage is replayed in a temp dir (exactly the
// files its COPY lines take from the context, minus .dockerignore; then its RUN lines, e.g. the
// production-only install and `bun run build`), and the binary is started with the runtime
// stage's layout (COPY --from=build), ENV, ENTRYPOINT/CMD and WORKDIR, until /healthz answers 200
// and the image's own HEALTHCHECK passes.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import {
  copyFromContext,
  dockerignore,
  envOf,
  execForm,
  parseDockerfile,
  type Stage,
  stage,
} from "./dockerfile.ts";
import {
  cleanEnv,
  exitsWithin,
  freePort,
  killAll,
  leftOver,
  ROOT,
  type Running,
  run,
  spawn,
  waitHealthy,
} from "./processes.ts";

const STEP_TIMEOUT_MS = 180_000;
const TOKEN = "docker-test-operator-token";

const stages = parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
const ignored = dockerignore(readFileSync(join(ROOT, ".dockerignore"), "utf8"));
const workDir = mkdtempSync(join(tmpdir(), "so-docker-"));
const buildRoot = join(workDir, "build"); // the build stage's `/`
const runtimeRoot = join(workDir, "runtime"); // the runtime stage's `/`
const dataDir = join(workDir, "data");
const started: Running[] = [];

const workdirAt = (s: Stage, index: number) =>
  s.instructions
    .slice(0, index)
    .filter((i) => i.op === "WORKDIR")
    .reduce((dir, i) => posix.resolve(dir, i.args), "/");

/** Replays the build stage: its COPY lines from the context, its RUN lines with sh. */
async function replayBuild(build: Stage) {
  for (const [index, { op, args }] of build.instructions.entries()) {
    const workdir = workdirAt(build, index + 1);
    mkdirSync(join(buildRoot, workdir), { recursive: true });
    if (op === "COPY") {
      copyFromContext(args, { context: ROOT, root: buildRoot, workdir, ignored });
    } else if (op === "RUN") {
      const env = { ...(process.env as Record<string, string>), ...envOf(build) };
      const done = await run(["sh", "-c", args], { cwd: join(buildRoot, workdir), env });
      if (done.code !== 0) throw new Error(`RUN ${args} failed (${done.code}):\n${done.output}`);
    } else if (!["WORKDIR", "ARG", "ENV"].includes(op)) {
      throw new Error(`the build stage's ${op} is not replayed: extend this test`);
    }
  }
  return workdirAt(build, build.instructions.length);
}

/** The runtime stage's COPY --from=build lines: from the build stage's files into its `/`. */
function replayRuntimeCopies(runtime: Stage) {
  const copies = runtime.instructions.filter((i) => i.op === "COPY" && i.flags.from === "build");
  for (const { args } of copies) {
    const [from = "", to = ""] = args.split(/\s+/);
    const target = join(runtimeRoot, to);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(buildRoot, from), target, { recursive: true });
  }
  return copies.length;
}

describe("the Dockerfile, replayed", () => {
  const build = stage(stages, "build");
  const runtime = stage(stages, "runtime");
  let server: Running;
  let url = "";
  let port = 0;

  beforeAll(async () => {
    await replayBuild(build);
    expect(replayRuntimeCopies(runtime)).toBeGreaterThan(0);
    mkdirSync(dataDir);
    port = freePort();
    url = `http://127.0.0.1:${port}`;
    const [entry = "", ...entryArgs] = execForm(runtime, "ENTRYPOINT");
    const command = [join(runtimeRoot, "usr/local/bin", entry), ...entryArgs];
    const env = cleanEnv(dataDir, {
      ...envOf(runtime),
      DATA_DIR: dataDir,
      PORT: String(port),
      OPERATOR_TOKEN: TOKEN,
    });
    server = spawn([...command, ...execForm(runtime, "CMD")], { cwd: dataDir, env });
    started.push(server);
    await waitHealthy(url, server);
  }, STEP_TIMEOUT_MS);

  afterAll(() => {
    killAll(started, [dataDir]);
    rmSync(workDir, { recursive: true, force: true });
  }, 30_000);

  test("the binary from the runtime layout answers /healthz, and the HEALTHCHECK passes", async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, redis: true, sqlite: true });
    const check = await run(execForm(runtime, "HEALTHCHECK"), {
      env: cleanEnv(dataDir, { PORT: String(port) }),
    });
    expect({ code: check.code, output: check.output }).toEqual({ code: 0, output: "" });
  });

  test("bull-board's UI is found beside the binary", async () => {
    const auth = { authorization: `Basic ${Buffer.from(`operator:${TOKEN}`).toString("base64")}` };
    const page = await fetch(`${url}/admin/queues`, { headers: auth });
    expect(page.status).toBe(200);
    const script = (await page.text()).match(/src="([^"]+\.js)"/)?.[1];
    expect((await fetch(`${url}/admin/queues/${script}`, { headers: auth })).status).toBe(200);
  });

  test("SIGTERM stops it and its embedded redis-server", async () => {
    server.proc.kill("SIGTERM");
    expect(await exitsWithin(server.proc, 10_000)).toBe(true);
    expect(server.proc.exitCode).toBe(0);
    expect(await leftOver(dataDir)).toEqual([]);
  });
});
