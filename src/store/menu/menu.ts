import { and, asc, eq, isNull } from "drizzle-orm";
import { menuItems } from "../../../db/schema.ts";
import type { Db } from "../../infra/db.ts";
import { notFound } from "../../infra/errors.ts";
import { newId } from "../../infra/ids.ts";
import type { MenuItemInput, MenuItemPatch } from "./schema.ts";

export function addMenuItems(db: Db, storeId: string, items: MenuItemInput[]) {
  return db.transaction((tx) =>
    items.map((item, i) => {
      const id = newId();
      tx.insert(menuItems)
        .values({ id, storeId, ...item, sortOrder: i })
        .run();
      return { itemId: id, name: item.name, price: item.price };
    }),
  );
}

export function listMenu(db: Db, storeId: string) {
  return db
    .select()
    .from(menuItems)
    .where(and(eq(menuItems.storeId, storeId), isNull(menuItems.deletedAt)))
    .orderBy(asc(menuItems.category), asc(menuItems.sortOrder), asc(menuItems.createdAt))
    .all();
}

const findItem = (db: Db, storeId: string, itemId: string) =>
  db
    .select()
    .from(menuItems)
    .where(
      and(eq(menuItems.id, itemId), eq(menuItems.storeId, storeId), isNull(menuItems.deletedAt)),
    )
    .get();

/** PATCH; another store's item is "not found". Past orders keep their own copies. */
export function updateMenuItem(db: Db, storeId: string, itemId: string, patch: MenuItemPatch) {
  if (!findItem(db, storeId, itemId)) throw notFound("menu item");
  const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  db.update(menuItems).set(changes).where(eq(menuItems.id, itemId)).run();
  return findItem(db, storeId, itemId)!;
}

/** Soft delete: the item leaves the menu; orders that had it keep their lines. */
export function deleteMenuItem(db: Db, storeId: string, itemId: string, now: number) {
  if (!findItem(db, storeId, itemId)) throw notFound("menu item");
  db.update(menuItems).set({ deletedAt: now }).where(eq(menuItems.id, itemId)).run();
}
