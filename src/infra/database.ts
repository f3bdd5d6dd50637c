import type { Config } from "../config.ts";
import { type Db, openSqlite } from "./db.ts";

/** The start cannot reach or prepare PostgreSQL; the message is one line, without the password. */
export class DatabaseUnreachable extends Error {
  override name = "DatabaseUnreachable";
}

/** The configured relational store: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export async function openDatabase(config: Config): Promise<Db> {
  if (config.databaseUrl) {
    const { openPostgres } = await import("./dbPostgres.ts");
    return openPostgres(config.databaseUrl, { poolMax: config.databasePoolMax });
  }
  return openSqlite(config.databasePath, { synchronous: config.durability.sqliteSynchronous });
}
