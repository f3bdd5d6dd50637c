import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv, freePort, spawn } from "./processes.ts";

const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");

describe("a DATABASE_URL nobody answers, as an operator meets it", () => {
  test("the server does not start: one line naming the server and the variable, exit 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "so-baddb-"));
    const port = freePort();
    const run = spawn(["bun", "src/main.ts"], {
      env: cleanEnv(dir, {
        DATABASE_URL: `postgres://so:secret@127.0.0.1:${port}/so`,
        // Redis is only reached after the database: nothing listens here either.
        REDIS_URL: `redis://127.0.0.1:${freePort()}`,
        PORT: String(freePort()),
      }),
    });
    expect(await run.proc.exited).toBe(1);
    expect(lines(run.output())).toEqual([
      `PostgreSQL at 127.0.0.1:${port}/so: connection refused (is it running?): check DATABASE_URL`,
    ]);
  });

  test("backup and restore refuse with one line: PostgreSQL has its own backups", async () => {
    const dir = mkdtempSync(join(tmpdir(), "so-baddb-"));
    // A SQLite file left from the one-host days must not be taken for the platform's data.
    writeFileSync(join(dir, "simple-order.db"), "");
    const env = cleanEnv(dir, {
      DATABASE_URL: `postgres://so:secret@127.0.0.1:${freePort()}/so`,
      REDIS_URL: `redis://127.0.0.1:${freePort()}`,
    });
    for (const args of [
      ["backup", "--to", join(dir, "copy")],
      ["restore", "--from", join(dir, "copy")],
    ]) {
      const run = spawn(["bun", "src/cli/main.ts", ...args], { env });
      expect(await run.proc.exited).toBe(1);
      expect(lines(run.output())).toHaveLength(1);
      expect(run.output()).toContain("with DATABASE_URL, back up PostgreSQL with its own tools");
      expect(run.output()).not.toContain("secret");
    }
  });
});
