import type { Db } from "./db.ts";

/** Placeholder until the PostgreSQL driver lands (issue 12). */
export async function openPostgres(_url: string, _opts: { poolMax: number }): Promise<Db> {
  throw new Error("PostgreSQL is not available in this build");
}
