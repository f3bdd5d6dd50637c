import type { Db } from "../../infra/db.ts";

/**
 * This process's copies of store menus (./menuCache.ts), per database handle and store id: apart
 * from the cache so that ./menu.ts, which changes menus, can drop a copy without importing the
 * cache that reads it. Keyed by the handle, so two apps in one process (tests, tools) on
 * different databases never see each other's copies, and a closed database's go with it.
 */
const copies = new WeakMap<Db, Map<string, unknown>>();

export function menuCopiesOf(db: Db): Map<string, unknown> {
  let mine = copies.get(db);
  if (!mine) {
    mine = new Map();
    copies.set(db, mine);
  }
  return mine;
}

/** After a change of the store's menu in this database. */
export function forgetMenu(db: Db, storeId: string) {
  copies.get(db)?.delete(storeId);
}
