import { and, asc, eq, isNull } from "drizzle-orm";
import { menuItems } from "../../../db/schema.ts";
import type { Db } from "../../infra/db.ts";
import { newId } from "../../infra/ids.ts";
import type { MenuItemInput } from "./schema.ts";

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
