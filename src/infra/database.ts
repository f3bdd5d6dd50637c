import type { Config } from "../config.ts";
import { type Db, openSqlite } from "./db.ts";

export { DatabaseUnreachable, isDatabaseOutage } from "./dbErrors.ts";

/** The configured relational store: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export async function openDatabase(config: Config): Promise<Db> {
  if (config.databaseUrl) {
    const { openPostgres } = await import("./dbPostgres.ts");
    return openPostgres(config.databaseUrl, {
      poolMax: config.databasePoolMax,
      queryTimeoutMs: config.databaseQueryTimeoutMs,
    });
  }
  return openSqlite(config.databasePath, {
    synchronous: config.durability.sqliteSynchronous,
    checkpointer: true,
  });
}
