import { and, asc, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import { menuCategories, menuItems } from "../../../db/schema.ts";
import type { Db } from "../../infra/db.ts";
import { AppError, notFound } from "../../infra/errors.ts";
import { newId } from "../../infra/ids.ts";
import type { MenuItemInput, MenuItemPatch, MenuOrder } from "./schema.ts";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Writer = Db | Tx;

/** New items go to the end of their category; a new category goes after the others. */
export function addMenuItems(db: Db, storeId: string, items: MenuItemInput[]) {
  return db.transaction((tx) =>
    items.map((item) => {
      const id = newId();
      const sortOrder = placeAtEnd(tx, storeId, item.category);
      tx.insert(menuItems)
        .values({ id, storeId, ...item, sortOrder })
        .run();
      return { itemId: id, name: item.name, price: item.price };
    }),
  );
}

/** The live items in the store's order: categories as the store set them, then items within. */
export function listMenu(db: Writer, storeId: string) {
  return db
    .select(getTableColumns(menuItems))
    .from(menuItems)
    .leftJoin(
      menuCategories,
      and(
        eq(menuCategories.storeId, menuItems.storeId),
        eq(menuCategories.name, menuItems.category),
      ),
    )
    .where(and(eq(menuItems.storeId, storeId), isNull(menuItems.deletedAt)))
    .orderBy(
      sql`coalesce(${menuCategories.position}, 2147483647)`,
      asc(menuItems.category),
      asc(menuItems.sortOrder),
      asc(menuItems.createdAt),
    )
    .all();
}

export type MenuRow = ReturnType<typeof listMenu>[number];

/** The categories of the listed items, in their order. */
export const categoriesOf = (items: MenuRow[]) => [...new Set(items.map((i) => i.category))];

const findItem = (db: Writer, storeId: string, itemId: string) =>
  db
    .select()
    .from(menuItems)
    .where(
      and(eq(menuItems.id, itemId), eq(menuItems.storeId, storeId), isNull(menuItems.deletedAt)),
    )
    .get();

/** PATCH; another store's item is "not found". Past orders keep their own copies. */
export function updateMenuItem(db: Db, storeId: string, itemId: string, patch: MenuItemPatch) {
  return db.transaction((tx) => {
    const item = findItem(tx, storeId, itemId);
    if (!item) throw notFound("menu item");
    const changes: Partial<typeof menuItems.$inferInsert> = Object.fromEntries(
      Object.entries(patch).filter(([, v]) => v !== undefined),
    );
    if (patch.category !== undefined && patch.category !== item.category) {
      changes.sortOrder = placeAtEnd(tx, storeId, patch.category);
    }
    tx.update(menuItems).set(changes).where(eq(menuItems.id, itemId)).run();
    return findItem(tx, storeId, itemId)!;
  });
}

/** Soft delete: the item leaves the menu; orders that had it keep their lines. */
export function deleteMenuItem(db: Db, storeId: string, itemId: string, now: number) {
  if (!findItem(db, storeId, itemId)) throw notFound("menu item");
  db.update(menuItems).set({ deletedAt: now }).where(eq(menuItems.id, itemId)).run();
}

/**
 * The store's new order. `categories` come first in the given order, the others after them as
 * they were; `items` come first within their own category in the given order, the others after
 * them as they were. A category the menu does not have is refused (400 `unknown_category`); an
 * item that is not this store's live item is "not found".
 */
export function setMenuOrder(db: Db, storeId: string, order: MenuOrder) {
  db.transaction((tx) => {
    const items = listMenu(tx, storeId);
    if (order.categories) orderCategories(tx, storeId, categoriesOf(items), order.categories);
    if (order.items) orderItems(tx, items, order.items);
  });
  return listMenu(db, storeId);
}

function orderCategories(tx: Tx, storeId: string, current: string[], wanted: string[]) {
  const unknown = wanted.find((name) => !current.includes(name));
  if (unknown !== undefined) {
    throw new AppError(400, "unknown_category", `The menu has no category '${unknown}'.`, {
      category: unknown,
    });
  }
  const known = tx
    .select({ name: menuCategories.name })
    .from(menuCategories)
    .where(eq(menuCategories.storeId, storeId))
    .orderBy(asc(menuCategories.position))
    .all()
    .map((c) => c.name);
  const rest = [...current, ...known].filter((name) => !wanted.includes(name));
  [...new Set([...wanted, ...rest])].forEach((name, position) => {
    tx.insert(menuCategories)
      .values({ storeId, name, position })
      .onConflictDoUpdate({
        target: [menuCategories.storeId, menuCategories.name],
        set: { position },
      })
      .run();
  });
}

function orderItems(tx: Tx, items: MenuRow[], wanted: string[]) {
  const byId = new Map(items.map((i) => [i.id, i]));
  if (wanted.some((id) => !byId.has(id))) throw notFound("menu item");
  const rank = new Map(wanted.map((id, i) => [id, i]));
  const first = (i: MenuRow) => rank.get(i.id) ?? wanted.length;
  for (const category of categoriesOf(items)) {
    const inCategory = items.filter((i) => i.category === category);
    // A stable sort: the unlisted keep their order after the listed ones.
    inCategory.sort((a, b) => first(a) - first(b));
    inCategory.forEach((item, sortOrder) => {
      if (item.sortOrder !== sortOrder) {
        tx.update(menuItems).set({ sortOrder }).where(eq(menuItems.id, item.id)).run();
      }
    });
  }
}

/** Makes sure the category has a place (after the others), and answers the end of its items. */
function placeAtEnd(tx: Tx, storeId: string, category: string) {
  tx.insert(menuCategories)
    .values({
      storeId,
      name: category,
      position: sql`(select coalesce(max(${menuCategories.position}), -1) + 1 from ${menuCategories} where ${menuCategories.storeId} = ${storeId})`,
    })
    .onConflictDoNothing()
    .run();
  const last = tx
    .select({ max: sql<number | null>`max(${menuItems.sortOrder})` })
    .from(menuItems)
    .where(
      and(
        eq(menuItems.storeId, storeId),
        eq(menuItems.category, category),
        isNull(menuItems.deletedAt),
      ),
    )
    .get();
  return (last?.max ?? -1) + 1;
}
