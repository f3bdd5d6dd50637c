import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv, freePort, spawn } from "../deploy/processes.ts";

/** `bun src/main.ts` with REDIS_CLUSTER_NODES: its exit code, its output, how long it ran. */
async function start(nodes: string, variable = "REDIS_CLUSTER_NODES") {
  const dir = mkdtempSync(join(tmpdir(), "so-badnodes-"));
  const started = Date.now();
  const run = spawn(["bun", "src/main.ts"], {
    env: cleanEnv(dir, { [variable]: nodes, PORT: String(freePort()) }),
  });
  const code = await run.proc.exited;
  return { code, output: run.output(), seconds: (Date.now() - started) / 1000 };
}

const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");

describe("a wrong REDIS_CLUSTER_NODES stops the start with one readable line", () => {
  test("nobody listens there: one line naming the nodes, exit 1, within seconds", async () => {
    const dead = `127.0.0.1:${freePort()}`;
    const { code, output, seconds } = await start(dead);
    expect(code).toBe(1);
    expect(lines(output)).toHaveLength(1);
    expect(output).toContain(`cannot reach the Redis Cluster at ${dead}`);
    expect(output).toContain("REDIS_CLUSTER_NODES");
    expect(seconds).toBeLessThan(10);
  });

  test("not host:port: the config line names the variable", async () => {
    const { code, output } = await start("redis-a,redis-b");
    expect(code).toBe(1);
    expect(lines(output)).toEqual([
      'config: REDIS_CLUSTER_NODES="redis-a,redis-b" is invalid: must be host:port[,host:port…] (a Redis Cluster\'s nodes)',
    ]);
  });

  test("a plain Redis, not a cluster: one line saying so", async () => {
    const port = freePort();
    const plain = Bun.spawn(
      [
        "redis-server",
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
      ],
      { stdout: "ignore", stderr: "ignore" },
    );
    try {
      while (
        !Bun.spawnSync(["redis-cli", "-p", String(port), "ping"])
          .stdout.toString()
          .includes("PONG")
      )
        await Bun.sleep(50);
      const { code, output } = await start(`127.0.0.1:${port}`);
      expect(code).toBe(1);
      expect(lines(output)).toHaveLength(1);
      expect(output).toContain(`cannot reach the Redis Cluster at 127.0.0.1:${port}`);
    } finally {
      plain.kill();
      await plain.exited;
    }
  });

  test("backup with REDIS_CLUSTER_NODES: one line saying to use the cluster's own persistence", async () => {
    const dir = mkdtempSync(join(tmpdir(), "so-badnodes-"));
    writeFileSync(join(dir, "simple-order.db"), "");
    const run = spawn(["bun", "src/cli/main.ts", "backup", "--to", join(dir, "copy")], {
      env: cleanEnv(dir, { REDIS_CLUSTER_NODES: "127.0.0.1:7000" }),
    });
    expect(await run.proc.exited).toBe(1);
    expect(lines(run.output())).toHaveLength(1);
    expect(run.output()).toContain("back up the cluster with its own persistence");
  });
});

test("a REDIS_URL where nobody listens: one line naming it, exit 1, within seconds", async () => {
  const port = freePort();
  const { code, output, seconds } = await start(
    `redis://:hunter2secret@127.0.0.1:${port}`,
    "REDIS_URL",
  );
  expect(code).toBe(1);
  expect(lines(output)).toEqual([
    expect.stringContaining(`cannot reach Redis at 127.0.0.1:${port}`),
  ]);
  expect(output).toContain("check REDIS_URL");
  expect(output).not.toContain("hunter2secret");
  expect(seconds).toBeLessThan(10);
});
