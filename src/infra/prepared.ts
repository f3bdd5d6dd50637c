import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "./db.ts";

/**
 * The hot lookups of the ordering path, compiled once per database: building and compiling a
 * statement on every call cost ~10× the lookup itself (bench:orders profile).
 */
function prepare(db: Db) {
  const { menuItems, orderItems, orders, payments, stores } = db.t;
  const id = sql.placeholder("id");
  const q = {
    order: db.select().from(orders).where(eq(orders.id, id)).prepare("order_by_id"),
    orderByCartKey: db
      .select()
      .from(orders)
      .where(eq(orders.cartKey, id))
      .prepare("order_by_cart_key"),
    payment: db.select().from(payments).where(eq(payments.orderId, id)).prepare("payment_of"),
    lines: db.select().from(orderItems).where(eq(orderItems.orderId, id)).prepare("lines_of"),
    menuItem: db
      .select()
      .from(menuItems)
      .where(and(eq(menuItems.id, id), isNull(menuItems.deletedAt)))
      .prepare("menu_item_by_id"),
    store: db.select().from(stores).where(eq(stores.id, id)).prepare("store_by_id"),
  };
  const first = async <T>(rows: Promise<T[]>): Promise<T | undefined> => (await rows)[0];
  return {
    order: (orderId: string) => first(q.order.execute({ id: orderId })),
    orderByCartKey: (cartKey: string) => first(q.orderByCartKey.execute({ id: cartKey })),
    payment: (orderId: string) => first(q.payment.execute({ id: orderId })),
    lines: (orderId: string) => q.lines.execute({ id: orderId }),
    menuItem: (itemId: string) => first(q.menuItem.execute({ id: itemId })),
    store: (storeId: string) => first(q.store.execute({ id: storeId })),
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
