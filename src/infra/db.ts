import { Database } from "bun:sqlite";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import { migrationJournal, migrationSql } from "../../db/migrations/index.ts";
import * as schema from "../../db/schema.ts";

export type Db = BunSQLiteDatabase<typeof schema> & { $client: Database };

/** Opens SQLite in WAL mode and applies the committed migrations. */
export function openDb(path: string, opts: { synchronous?: "NORMAL" | "FULL" } = {}): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { create: true, strict: true });
  // First: two processes starting on one file (ROLE=api + ROLE=worker) wait for each other's
  // migrations instead of failing SQLITE_BUSY on the journal-mode switch.
  sqlite.exec("PRAGMA busy_timeout = 5000");
  sqlite.exec("PRAGMA journal_mode = WAL");
  sqlite.exec(`PRAGMA synchronous = ${opts.synchronous === "FULL" ? "FULL" : "NORMAL"}`);
  sqlite.exec("PRAGMA foreign_keys = ON");
  const db = drizzle(sqlite, { schema });
  applyMigrations(db);
  return db;
}

// The migrations are embedded (db/migrations/index.ts) so a compiled binary carries them;
// drizzle's migrator wants a folder, so they are written to a temp one first.
function applyMigrations(db: Db) {
  const dir = mkdtempSync(join(tmpdir(), "so-migrations-"));
  try {
    mkdirSync(join(dir, "meta"));
    writeFileSync(join(dir, "meta/_journal.json"), JSON.stringify(migrationJournal));
    for (const [tag, text] of Object.entries(migrationSql)) {
      writeFileSync(join(dir, `${tag}.sql`), text);
    }
    // Processes starting at once on one new file each read "nothing applied", then wait for
    // each other's lock; a loser finds the winner's tables and tries again, with less left to
    // apply each time (someone committed), so a few rounds always finish.
    for (let attempt = 1; ; attempt++) {
      try {
        migrate(db, { migrationsFolder: dir });
        break;
      } catch (err) {
        const cause = (err as Error & { cause?: unknown }).cause;
        const text = `${(err as Error).message} ${cause instanceof Error ? cause.message : ""}`;
        if (attempt >= 20 || !/already exists/.test(text)) throw err;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pingDb(db: Db): boolean {
  return db.$client.query("select 1 as ok").get() !== null;
}
