/**
 * This process's copies of store menus (./menuCache.ts), by store id: apart from it so that
 * ./menu.ts, which changes menus, can drop a copy without importing the cache that reads it.
 */
export const menuCopies = new Map<string, unknown>();

/** After a change of the store's menu in this process's database. */
export function forgetMenu(storeId: string) {
  menuCopies.delete(storeId);
}
