import { Database } from "bun:sqlite";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { drizzle } from "drizzle-orm/bun-sqlite";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { migrationJournal, migrationSql } from "../../db/migrations/index.ts";
import type * as pgTables from "../../db/schema.pg.ts";
import * as sqliteTables from "../../db/schema.ts";
import { FALLBACK_AUTOCHECKPOINT_PAGES, startWalCheckpointer } from "./walCheckpointer.ts";

/** The tables, as every query names them: `const { orders } = db.t`. */
export type Tables = typeof pgTables;
export type Dialect = "sqlite" | "postgres";

/**
 * The relational store, SQLite (default) or PostgreSQL (DATABASE_URL). Queries are written once,
 * against drizzle's PostgreSQL surface and the tables in `db.t`; on SQLite the same builders run
 * on db/schema.ts's twin tables. What only one dialect has stays out of the shared code: results
 * are awaited (no `.get()`/`.all()`/`.run()`), changed rows come from `.returning()`, and the few
 * hand-written statements pick their dialect's text (`db.engine`).
 */
export type Db = Omit<PgDatabase<PgQueryResultHKT, Tables>, "transaction"> & {
  readonly t: Tables;
  /** BEGIN … COMMIT around `fn`; `tx` is the same kind of Db, so helpers take either */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  readonly engine: Dialect;
  /** true when a trivial query answers */
  ping(): Promise<boolean>;
  close(): Promise<void>;
};

/**
 * Opens SQLite in WAL mode and applies the committed migrations. `checkpointer`: the app's own
 * database checkpoints on a background thread (src/infra/walCheckpointer.ts); tools and tests
 * opening a file for a moment keep SQLite's default.
 */
export function openSqlite(
  path: string,
  opts: { synchronous?: "NORMAL" | "FULL"; checkpointer?: boolean } = {},
): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { create: true, strict: true });
  // First: two processes starting on one file (ROLE=api + ROLE=worker) wait for each other's
  // migrations instead of failing SQLITE_BUSY on the journal-mode switch.
  sqlite.exec("PRAGMA busy_timeout = 5000");
  sqlite.exec("PRAGMA journal_mode = WAL");
  sqlite.exec(`PRAGMA synchronous = ${opts.synchronous === "FULL" ? "FULL" : "NORMAL"}`);
  sqlite.exec("PRAGMA foreign_keys = ON");
  const orm = drizzle(sqlite, { schema: sqliteTables });
  applyMigrations(orm);
  const checkpointer = opts.checkpointer && path !== ":memory:" ? startWalCheckpointer(path) : null;
  if (checkpointer) sqlite.exec(`PRAGMA wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  return Object.assign(orm, {
    t: sqliteTables as unknown as Tables,
    engine: "sqlite" as const,
    transaction: serialTransactions(orm, sqlite),
    ping: async () => sqlite.query("select 1 as ok").get() !== null,
    close: async () => {
      checkpointer?.stop();
      sqlite.close();
    },
  }) as unknown as Db;
}

/** The SQLite connection under `db`, for SQLite-only tools (backup, tests); throws on PostgreSQL. */
export function sqliteClient(db: Db): Database {
  if (db.engine !== "sqlite") throw new Error("this needs the SQLite database");
  return (db as unknown as { $client: Database }).$client;
}

/**
 * Transactions on the one SQLite connection, one at a time, awaited like PostgreSQL's. A body
 * awaits only this database (each statement runs synchronously and resumes in a microtask), so no
 * other request's work runs in the middle of it; keep network calls out of transactions.
 */
function serialTransactions(orm: object, sqlite: Database) {
  let tail: Promise<unknown> = Promise.resolve();
  const inside = <T>(fn: (tx: unknown) => Promise<T>): Promise<T> => fn(tx);
  const tx: object = Object.assign(Object.create(orm), { transaction: inside });
  return <T>(fn: (tx: unknown) => Promise<T>): Promise<T> => {
    const run = tail.then(async () => {
      sqlite.run("BEGIN IMMEDIATE");
      try {
        const out = await fn(tx);
        sqlite.run("COMMIT");
        return out;
      } catch (err) {
        sqlite.run("ROLLBACK");
        throw err;
      }
    });
    tail = run.catch(() => undefined);
    return run;
  };
}

// The migrations are embedded (db/migrations/index.ts) so a compiled binary carries them;
// drizzle's migrator wants a folder, so they are written to a temp one first.
function applyMigrations(orm: Parameters<typeof migrate>[0]) {
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
        migrate(orm, { migrationsFolder: dir });
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

/**
 * `SELECT … FOR UPDATE` on PostgreSQL, so a read-then-write in a transaction is not raced;
 * SQLite's transactions run one at a time (BEGIN IMMEDIATE) and need no row locks.
 */
export function forUpdate<Q extends { for(strength: "update"): unknown }>(db: Db, query: Q): Q {
  return db.engine === "postgres" ? (query.for("update") as Q) : query;
}
