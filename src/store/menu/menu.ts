import { and, asc, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import type { Db } from "../../infra/db.ts";
import { AppError, notFound } from "../../infra/errors.ts";
import { newId } from "../../infra/ids.ts";
import { forgetMenu } from "./menuCopies.ts";
import type { MenuItemInput, MenuItemPatch, MenuOrder } from "./schema.ts";

/** New items go to the end of their category; a new category goes after the others. */
export async function addMenuItems(db: Db, storeId: string, items: MenuItemInput[]) {
  const { menuItems } = db.t;
  const added = await db.transaction(async (tx) => {
    const added = [];
    for (const item of items) {
      const id = newId();
      const sortOrder = await placeAtEnd(tx, storeId, item.category);
      await tx.insert(menuItems).values({ id, storeId, ...item, sortOrder });
      added.push({ itemId: id, name: item.name, price: item.price });
    }
    return added;
  });
  forgetMenu(db, storeId);
  return added;
}

/** The live items in the store's order: categories as the store set them, then items within. */
export async function listMenu(db: Db, storeId: string) {
  const { menuCategories, menuItems } = db.t;
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
    );
}

export type MenuRow = Awaited<ReturnType<typeof listMenu>>[number];

/** The categories of the listed items, in their order. */
export const categoriesOf = (items: MenuRow[]) => [...new Set(items.map((i) => i.category))];

async function findItem(db: Db, storeId: string, itemId: string) {
  const { menuItems } = db.t;
  const [item] = await db
    .select()
    .from(menuItems)
    .where(
      and(eq(menuItems.id, itemId), eq(menuItems.storeId, storeId), isNull(menuItems.deletedAt)),
    );
  return item;
}

/** PATCH; another store's item is "not found". Past orders keep their own copies. */
export async function updateMenuItem(
  db: Db,
  storeId: string,
  itemId: string,
  patch: MenuItemPatch,
) {
  const { menuItems } = db.t;
  const updated = await db.transaction(async (tx) => {
    const item = await findItem(tx, storeId, itemId);
    if (!item) throw notFound("menu item");
    const changes: Partial<typeof menuItems.$inferInsert> = Object.fromEntries(
      Object.entries(patch).filter(([, v]) => v !== undefined),
    );
    if (patch.category !== undefined && patch.category !== item.category) {
      changes.sortOrder = await placeAtEnd(tx, storeId, patch.category);
    }
    const [updated] = await tx
      .update(menuItems)
      .set(changes)
      .where(eq(menuItems.id, itemId))
      .returning();
    return updated!;
  });
  forgetMenu(db, storeId);
  return updated;
}

/** Soft delete: the item leaves the menu; orders that had it keep their lines. */
export async function deleteMenuItem(db: Db, storeId: string, itemId: string, now: number) {
  const { menuItems } = db.t;
  const gone = await db
    .update(menuItems)
    .set({ deletedAt: now })
    .where(
      and(eq(menuItems.id, itemId), eq(menuItems.storeId, storeId), isNull(menuItems.deletedAt)),
    )
    .returning({ id: menuItems.id });
  forgetMenu(db, storeId);
  if (gone.length === 0) throw notFound("menu item");
}

/**
 * The store's new order. `categories` come first in the given order, the others after them as
 * they were; `items` come first within their own category in the given order, the others after
 * them as they were. A category the menu does not have is refused (400 `unknown_category`); an
 * item that is not this store's live item is "not found".
 */
export async function setMenuOrder(db: Db, storeId: string, order: MenuOrder) {
  await db.transaction(async (tx) => {
    const items = await listMenu(tx, storeId);
    if (order.categories) await orderCategories(tx, storeId, categoriesOf(items), order.categories);
    if (order.items) await orderItems(tx, items, order.items);
  });
  forgetMenu(db, storeId);
  return listMenu(db, storeId);
}

async function orderCategories(tx: Db, storeId: string, current: string[], wanted: string[]) {
  const { menuCategories } = tx.t;
  const unknown = wanted.find((name) => !current.includes(name));
  if (unknown !== undefined) {
    throw new AppError(400, "unknown_category", `The menu has no category '${unknown}'.`, {
      category: unknown,
    });
  }
  const known = (
    await tx
      .select({ name: menuCategories.name })
      .from(menuCategories)
      .where(eq(menuCategories.storeId, storeId))
      .orderBy(asc(menuCategories.position))
  ).map((c) => c.name);
  const rest = [...current, ...known].filter((name) => !wanted.includes(name));
  const names = [...new Set([...wanted, ...rest])];
  for (const [position, name] of names.entries()) {
    await tx
      .insert(menuCategories)
      .values({ storeId, name, position })
      .onConflictDoUpdate({
        target: [menuCategories.storeId, menuCategories.name],
        set: { position },
      });
  }
}

async function orderItems(tx: Db, items: MenuRow[], wanted: string[]) {
  const { menuItems } = tx.t;
  const byId = new Map(items.map((i) => [i.id, i]));
  if (wanted.some((id) => !byId.has(id))) throw notFound("menu item");
  const rank = new Map(wanted.map((id, i) => [id, i]));
  const first = (i: MenuRow) => rank.get(i.id) ?? wanted.length;
  for (const category of categoriesOf(items)) {
    const inCategory = items.filter((i) => i.category === category);
    // A stable sort: the unlisted keep their order after the listed ones.
    inCategory.sort((a, b) => first(a) - first(b));
    for (const [sortOrder, item] of inCategory.entries()) {
      if (item.sortOrder !== sortOrder) {
        await tx.update(menuItems).set({ sortOrder }).where(eq(menuItems.id, item.id));
      }
    }
  }
}

/** Makes sure the category has a place (after the others), and answers the end of its items. */
async function placeAtEnd(tx: Db, storeId: string, category: string) {
  const { menuCategories, menuItems } = tx.t;
  await tx
    .insert(menuCategories)
    .values({
      storeId,
      name: category,
      position: sql`(select coalesce(max(${menuCategories.position}), -1) + 1 from ${menuCategories} where ${menuCategories.storeId} = ${storeId})`,
    })
    .onConflictDoNothing();
  const [last] = await tx
    .select({ max: sql<number | null>`max(${menuItems.sortOrder})`.mapWith(Number) })
    .from(menuItems)
    .where(
      and(
        eq(menuItems.storeId, storeId),
        eq(menuItems.category, category),
        isNull(menuItems.deletedAt),
      ),
    );
  return (last?.max ?? -1) + 1;
}
