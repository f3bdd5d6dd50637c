import { and, eq, isNull, sql } from "drizzle-orm";
import { menuItems, orderItems, orders, payments, stores } from "../../db/schema.ts";
import type { Db } from "./db.ts";

/**
 * The hot lookups of the ordering path, compiled once per database: building and compiling a
 * statement on every call cost ~10× the lookup itself (bench:orders profile).
 */
function prepare(db: Db) {
  const id = sql.placeholder("id");
  return {
    order: db.select().from(orders).where(eq(orders.id, id)).prepare(),
    orderByCartKey: db.select().from(orders).where(eq(orders.cartKey, id)).prepare(),
    payment: db.select().from(payments).where(eq(payments.orderId, id)).prepare(),
    lines: db.select().from(orderItems).where(eq(orderItems.orderId, id)).prepare(),
    menuItem: db
      .select()
      .from(menuItems)
      .where(and(eq(menuItems.id, id), isNull(menuItems.deletedAt)))
      .prepare(),
    store: db.select().from(stores).where(eq(stores.id, id)).prepare(),
  };
}

const cache = new WeakMap<Db, ReturnType<typeof prepare>>();

export function prepared(db: Db) {
  let p = cache.get(db);
  if (!p) {
    p = prepare(db);
    cache.set(db, p);
  }
  return p;
}
