import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite, sqliteClient } from "../../src/infra/db.ts";

// The app's SQLite folds its WAL back into the database file on a thread of its own: writes
// keep committing meanwhile, and the file alone (as a naive copy would take it) holds what was
// committed a moment ago — SQLite's own checkpoint would leave up to 1,000 pages in the WAL.
test("WAL checkpoints run in the background while the app writes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "so-wal-"));
  const path = join(dir, "so.db");
  const db = openSqlite(path, { checkpointer: true });
  const sqlite = sqliteClient(db);
  sqlite.exec("create table receipts (id integer primary key, body text not null)");
  const insert = sqlite.prepare("insert into receipts (body) values (?)");
  const body = "아메리카노 2, 카페라떼 1 — 13,500원 ".repeat(20);
  for (let i = 0; i < 6000; i++) {
    insert.run(body); // one commit each, as requests write
    if (i % 500 === 0) await Bun.sleep(20);
  }
  const deadline = Date.now() + 5000;
  const inMainFile = () => {
    copyFileSync(path, join(dir, "copy.db"));
    const copy = new Database(join(dir, "copy.db"), { readonly: true });
    try {
      return (copy.query("select count(*) as n from receipts").get() as { n: number }).n;
    } catch {
      return 0;
    } finally {
      copy.close();
    }
  };
  while (inMainFile() < 6000 && Date.now() < deadline) await Bun.sleep(100);
  expect(inMainFile()).toBe(6000);
  // The WAL restarts only when a commit finds it all copied back, which a busy writer rarely
  // does: the main connection's own checkpoint at 10,000 pages (~40 MB) bounds it.
  expect(statSync(`${path}-wal`).size).toBeLessThan(60 * 1024 * 1024);
  await db.close();
});
