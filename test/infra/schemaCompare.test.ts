// db/schema.ts (SQLite) and db/schema.pg.ts (PostgreSQL) describe one store: the same tables,
// columns, nullability, keys and index names, both as declared and as the migrations build them.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { is, sql } from "drizzle-orm";
import { PgTable, getTableConfig as pgConfig } from "drizzle-orm/pg-core";
import { getTableConfig as liteConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as pgSchema from "../../db/schema.pg.ts";
import { type Db, openSqlite } from "../../src/infra/db.ts";
import { openPostgres } from "../../src/infra/dbPostgres.ts";
import { freshDatabase } from "../helpers/postgres.ts";
import * as liteSchema from "../helpers/tables.ts";

/** What must agree about a table, in a form both dialects can give. */
type Shape = {
  columns: Record<string, string>;
  primaryKey: string[];
  indexes: Record<string, string>;
  foreignKeys: string[];
};

const sorted = <T>(xs: T[]) => [...xs].sort();
const column = (notNull: boolean, kind: string) => `${kind} ${notNull ? "not null" : "null"}`;

// The storage class each PostgreSQL type lands in on SQLite (booleans are 0/1, JSON is text).
const LITE_KIND: Record<string, string> = {
  integer: "integer",
  bigint: "integer",
  boolean: "integer",
  text: "text",
  jsonb: "text",
  "double precision": "real",
  real: "real",
};

describe("declared schemas (drizzle)", () => {
  const liteTables = Object.entries(liteSchema).filter(([, v]) => is(v, SQLiteTable));
  const pgTables = Object.entries(pgSchema).filter(([, v]) => is(v, PgTable));

  test("the same tables under the same names", () => {
    expect(sorted(pgTables.map(([k]) => k))).toEqual(sorted(liteTables.map(([k]) => k)));
  });

  test("each table: columns, nullability, primary key, indexes, foreign keys", () => {
    const lite = Object.fromEntries(
      liteTables.map(([k, v]) => [k, declaredLite(liteConfig(v as SQLiteTable))]),
    );
    const pg = Object.fromEntries(
      pgTables.map(([k, v]) => [k, declaredPg(pgConfig(v as PgTable))]),
    );
    expect(pg).toEqual(lite);
  });

  function declaredLite(c: ReturnType<typeof liteConfig>) {
    return {
      name: c.name,
      columns: Object.fromEntries(
        c.columns.map((col) => [col.name, column(col.notNull, col.getSQLType())]),
      ),
      primaryKey: sorted([
        ...c.columns.filter((col) => col.primary).map((col) => col.name),
        ...c.primaryKeys.flatMap((pk) => pk.columns.map((col) => col.name)),
      ]),
      indexes: Object.fromEntries(
        c.indexes.map((i) => [i.config.name, i.config.unique ? "unique" : "index"]),
      ),
      foreignKeys: sorted(
        c.foreignKeys.map((fk) => {
          const r = fk.reference();
          return `${r.columns.map((x) => x.name)} → ${liteConfig(r.foreignTable).name}`;
        }),
      ),
    };
  }

  function declaredPg(c: ReturnType<typeof pgConfig>) {
    return {
      name: c.name,
      columns: Object.fromEntries(
        c.columns.map((col) => [col.name, column(col.notNull, LITE_KIND[col.getSQLType()] ?? "?")]),
      ),
      primaryKey: sorted([
        ...c.columns.filter((col) => col.primary).map((col) => col.name),
        ...c.primaryKeys.flatMap((pk) => pk.columns.map((col) => col.name)),
      ]),
      indexes: Object.fromEntries(
        c.indexes.map((i) => [i.config.name, i.config.unique ? "unique" : "index"]),
      ),
      foreignKeys: sorted(
        c.foreignKeys.map((fk) => {
          const r = fk.reference();
          return `${r.columns.map((x) => x.name)} → ${pgConfig(r.foreignTable).name}`;
        }),
      ),
    };
  }
});

describe("migrated databases", () => {
  let litePath: string;
  let pg: Db;

  beforeAll(async () => {
    litePath = join(mkdtempSync(join(tmpdir(), "so-test-schema-")), "so.db");
    await openSqlite(litePath).close();
    pg = await openPostgres(await freshDatabase());
  });
  afterAll(() => pg?.close());

  test("the same tables, columns, nullability, primary keys and index names", async () => {
    expect(await migratedPg(pg)).toEqual(migratedLite(litePath));
  });

  // Tables only the migrations make (not in the drizzle schemas): SQLite's 1…100 helper for its
  // triggers has no twin; PostgreSQL counts with generate_series.
  const LITE_ONLY = ["store_name_positions", "sqlite_sequence", "__drizzle_migrations"];

  function migratedLite(path: string): Record<string, Shape> {
    const file = new Database(path, { readonly: true });
    try {
      const tables = file
        .query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((t) => t.name)
        .filter((t) => !LITE_ONLY.includes(t));
      return Object.fromEntries(tables.map((t) => [t, liteShape(file, t)]));
    } finally {
      file.close();
    }
  }

  function liteShape(file: Database, table: string): Shape {
    type Col = { name: string; type: string; notnull: number; pk: number };
    const cols = file.query<Col, []>(`PRAGMA table_info(${table})`).all();
    type Idx = { name: string; unique: number; origin: string };
    const idx = file.query<Idx, []>(`PRAGMA index_list(${table})`).all();
    type Fk = { table: string; from: string };
    const fks = file.query<Fk, []>(`PRAGMA foreign_key_list(${table})`).all();
    return {
      columns: Object.fromEntries(
        cols.map((c) => [c.name, column(c.notnull === 1 || c.pk > 0, c.type.toLowerCase())]),
      ),
      primaryKey: sorted(cols.filter((c) => c.pk > 0).map((c) => c.name)),
      indexes: Object.fromEntries(
        idx.filter((i) => i.origin === "c").map((i) => [i.name, i.unique ? "unique" : "index"]),
      ),
      foreignKeys: sorted(fks.map((f) => `${f.from} → ${f.table}`)),
    };
  }

  async function migratedPg(db: Db): Promise<Record<string, Shape>> {
    const q = async <T>(text: string) => (await db.execute(sql.raw(text))) as unknown as T[];
    const cols = await q<{ t: string; c: string; type: string; nullable: string }>(
      `SELECT table_name AS t, column_name AS c, data_type AS type, is_nullable AS nullable
       FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const keys = await q<{ t: string; c: string; kind: string; ref: string | null }>(
      `SELECT tc.table_name AS t, k.column_name AS c, tc.constraint_type AS kind,
         (SELECT DISTINCT u.table_name FROM information_schema.constraint_column_usage u
          WHERE u.constraint_name = tc.constraint_name AND tc.constraint_type = 'FOREIGN KEY') AS ref
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name
       WHERE tc.table_schema = 'public' AND tc.constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')`,
    );
    const idx = await q<{ t: string; name: string; isunique: boolean }>(
      `SELECT c.relname AS t, i.relname AS name, x.indisunique AS isunique
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND NOT x.indisprimary`,
    );
    const out: Record<string, Shape> = {};
    for (const c of cols) {
      out[c.t] ??= { columns: {}, primaryKey: [], indexes: {}, foreignKeys: [] };
      out[c.t]!.columns[c.c] = column(c.nullable === "NO", LITE_KIND[c.type] ?? c.type);
    }
    for (const k of keys) {
      const shape = out[k.t]!;
      if (k.kind === "PRIMARY KEY") shape.primaryKey = sorted([...shape.primaryKey, k.c]);
      else shape.foreignKeys = sorted([...shape.foreignKeys, `${k.c} → ${k.ref}`]);
    }
    for (const i of idx) out[i.t]!.indexes[i.name] = i.isunique ? "unique" : "index";
    return out;
  }
});
