// The database a data-layer test file runs on: SQLite (a temp file, made by makeTestDeps) unless
// TEST_DATABASE=postgres (`bun run test:postgres`), then a fresh database on the test PostgreSQL.
import type { Db } from "../../src/infra/db.ts";
import { openPostgres } from "../../src/infra/dbPostgres.ts";
import { freshDatabase } from "./postgres.ts";

export const testEngine = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

const urls = new WeakMap<Db, string>();

/** undefined on SQLite (makeTestDeps opens its own file); an opened PostgreSQL database otherwise. */
export async function testDb(): Promise<Db | undefined> {
  if (testEngine !== "postgres") return undefined;
  const url = await freshDatabase();
  const db = await openPostgres(url);
  urls.set(db, url);
  return db;
}

/** The env that points another process at the same database as `deps`. */
export function databaseEnv(deps: { db: Db; config: { databasePath: string } }) {
  const url = urls.get(deps.db);
  return url ? { DATABASE_URL: url } : { DATABASE_PATH: deps.config.databasePath };
}
