import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// ROLE=api and ROLE=worker (or two demos) starting at once on one new database file.
test("four processes opening one new SQLite file at once all migrate it and start", async () => {
  const dir = mkdtempSync(join(tmpdir(), "so-db-race-"));
  const db = join(import.meta.dir, "../../src/infra/db.ts");
  const script = join(dir, "open.ts");
  await Bun.write(
    script,
    `import { openSqlite } from ${JSON.stringify(db)};\nawait openSqlite(${JSON.stringify(join(dir, "so.db"))}).close();\n`,
  );
  for (let round = 0; round < 3; round++) {
    const file = join(dir, `so.db`);
    await Bun.$`rm -f ${file} ${file}-wal ${file}-shm`.quiet();
    const procs = Array.from({ length: 4 }, () =>
      Bun.spawn(["bun", script], { stdout: "ignore", stderr: "pipe" }),
    );
    const codes = await Promise.all(procs.map((p) => p.exited));
    const errors = await Promise.all(procs.map((p) => new Response(p.stderr).text()));
    expect({ codes, errors: errors.filter(Boolean) }).toEqual({ codes: [0, 0, 0, 0], errors: [] });
  }
}, 60_000);
