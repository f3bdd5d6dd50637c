import type { Deps } from "../../src/deps.ts";
import { moveDay, readyDay } from "../../src/store/day/dayBusiness.ts";
import { addMenuItems } from "../../src/store/menu/menu.ts";
import type { MenuItemInput } from "../../src/store/menu/schema.ts";
import { americano } from "./menu.ts";
import { seedStore } from "./testDeps.ts";

/** A store with a menu whose day is OPEN: ready for customers. */
export async function openShop(deps: Deps, items: MenuItemInput[] = [americano]) {
  const store = await seedStore(deps);
  const itemIds = (await addMenuItems(deps.db, store.storeId, items)).map((i) => i.itemId);
  await readyDay(deps, store.storeId);
  await moveDay(deps, store.storeId, "open");
  return { ...store, itemIds };
}
