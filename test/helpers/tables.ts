// The tables of the engine the tests run on (`db.t` of the test's Db), for tests that read or
// arrange rows directly: SQLite's, or PostgreSQL's under `bun run test:postgres`.
import * as pgTables from "../../db/schema.pg.ts";
import * as sqliteTables from "../../db/schema.ts";
import type { Tables } from "../../src/infra/db.ts";
import { testEngine } from "./testDb.ts";

export const {
  accountingFindings,
  dayBusinesses,
  dayReports,
  devices,
  menuCategories,
  menuItems,
  orderItems,
  orders,
  payments,
  settlements,
  stores,
} = (testEngine === "postgres" ? pgTables : sqliteTables) as unknown as Tables;
