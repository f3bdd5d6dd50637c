// The SQLite tables under the names and types the app's queries use (`db.t` of a SQLite Db), for
// tests that read or arrange rows of the default SQLite database directly. Tests that run on both
// engines take the tables from their own `db.t` instead.
import * as sqliteTables from "../../db/schema.ts";
import type { Tables } from "../../src/infra/db.ts";

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
} = sqliteTables as unknown as Tables;
