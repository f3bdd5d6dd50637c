import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQL } from "bun";
import { drizzle } from "drizzle-orm/bun-sql";
import { migrate } from "drizzle-orm/bun-sql/migrator";
import { migrationJournal, migrationSql } from "../../db/migrations-pg/index.ts";
import * as pgTables from "../../db/schema.pg.ts";
import type { Db } from "./db.ts";
import { DatabaseUnreachable } from "./dbErrors.ts";
import { withQueryDeadline } from "./pgDeadline.ts";

export type PostgresOptions = {
  /** connections in this process's pool (DATABASE_POOL_MAX, default 10) */
  poolMax?: number;
  /** a statement running longer is cancelled by the server */
  statementTimeoutMs?: number;
  /** a query left unanswered this long fails with DatabaseTimeout (DATABASE_QUERY_TIMEOUT_MS) */
  queryTimeoutMs?: number;
};

const CONNECT_TIMEOUT_S = 5;
const PING_TIMEOUT_MS = 2000;
// pg_advisory_lock key for "migrating this database": any fixed number, the same in every process.
const MIGRATION_LOCK = 7_304_113_001;

/**
 * Opens the PostgreSQL at `url` (DATABASE_URL) through Bun's built-in client (bench/pgDriver.ts
 * measured it against postgres.js) and applies the embedded migrations, one process at a time.
 * Fails within about 5 s, with one line saying where and why, when the server cannot be reached.
 */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<Db> {
  const where = describe(url);
  const client = new SQL({
    url,
    max: opts.poolMax ?? 10,
    connectionTimeout: CONNECT_TIMEOUT_S,
    idleTimeout: 60,
    connection: {
      application_name: "simple-order",
      statement_timeout: opts.statementTimeoutMs ?? 30_000,
    },
  });
  try {
    await withDeadline(client`select 1`, CONNECT_TIMEOUT_S * 1000);
    await applyMigrations(url);
  } catch (err) {
    await client.close({ timeout: 0 }).catch(() => undefined);
    throw new DatabaseUnreachable(`PostgreSQL at ${where}: ${reason(err)}`);
  }
  const orm = drizzle({
    client: withQueryDeadline(client, opts.queryTimeoutMs ?? 4000),
    schema: pgTables,
  });
  const extras = { t: pgTables, engine: "postgres" as const };
  const begin = orm.transaction.bind(orm);
  return Object.assign(orm, {
    ...extras,
    // A transaction is a Db too, so helpers take either.
    transaction: <T>(fn: (tx: Db) => Promise<T>) =>
      begin((tx) => fn(Object.assign(tx, extras) as unknown as Db)),
    ping: () =>
      withDeadline(client`select 1 as ok`, PING_TIMEOUT_MS).then(
        (rows) => rows.length === 1,
        () => false,
      ),
    close: () => client.close({ timeout: 5 }),
  }) as unknown as Db;
}

/** host:port/database, never the password. */
function describe(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error("DATABASE_URL is not a URL (postgres://user:password@host:5432/database)");
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
    throw new Error(`DATABASE_URL must start with postgres:// (got ${u.protocol}//)`);
  }
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

function reason(err: unknown): string {
  const e = err as Error & { code?: string; cause?: unknown };
  if (e.code === "ERR_POSTGRES_CONNECTION_REFUSED") return "connection refused (is it running?)";
  if (e.code === "ERR_POSTGRES_CONNECTION_TIMEOUT" || e.code === "ERR_POSTGRES_CONNECTION_FAILED") {
    return `no answer within ${CONNECT_TIMEOUT_S} s`;
  }
  if (e.cause instanceof Error) return `${e.message}: ${e.cause.message}`;
  return e.message ?? String(err);
}

class Timeout extends Error {}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: Timer | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * The embedded migrations (db/migrations-pg/index.ts), on a connection of their own that holds
 * an advisory lock meanwhile: processes starting at once on one database take turns, and each
 * after the first finds everything applied. drizzle's migrator wants a folder: a temp one.
 */
async function applyMigrations(url: string) {
  const dir = mkdtempSync(join(tmpdir(), "so-migrations-pg-"));
  const one = new SQL({ url, max: 1, connectionTimeout: CONNECT_TIMEOUT_S });
  try {
    mkdirSync(join(dir, "meta"));
    writeFileSync(join(dir, "meta/_journal.json"), JSON.stringify(migrationJournal));
    for (const [tag, text] of Object.entries(migrationSql)) {
      writeFileSync(join(dir, `${tag}.sql`), text);
    }
    await one`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migrate(drizzle({ client: one }), { migrationsFolder: dir });
    } finally {
      await one`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await one.close({ timeout: 5 });
    rmSync(dir, { recursive: true, force: true });
  }
}
