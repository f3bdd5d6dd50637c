import type { Deps } from "../../deps.ts";
import { findStore } from "../admin.ts";
import { listMenu, type MenuRow } from "./menu.ts";
import { forgetMenu, menuCopiesOf } from "./menuCopies.ts";

/**
 * A store's menu as the customers' menu skill reads it, kept in this process between calls: the
 * menu is read on every menu tap of every customer but changes a few times a day, and reading it
 * (store, items in order) costs more than the rest of the answer.
 *
 * Freshness: every change goes through ./menu.ts, which forgets this process's copy
 * (`forgetMenu`), and the store's API routes then bump the store's menu version in Redis
 * (`menuChanged`), which every process reads on every menu call, in the round trip that reads
 * the day state. The version is read BEFORE the menu, and bumped AFTER the change is committed,
 * so a copy is never filed under a version newer than what it shows. A change made beside the
 * API (the CLI's menu import) is seen after at most MAX_AGE_MS.
 */
export const MAX_AGE_MS = 30_000;
const MAX_STORES = 2000;

type Store = NonNullable<Awaited<ReturnType<typeof findStore>>>;

export type CachedMenu = {
  store: Store;
  items: MenuRow[];
  /** answers derived from this menu (e.g. the menu skill's, per day state), dropped with it */
  derived: Map<string, unknown>;
};

type Entry = CachedMenu & { version: string | null; loadedAt: number };

/** string: the store's menu version; under the store's hash tag (src/stream/keys.ts). */
export const menuVersionKey = (deps: Pick<Deps, "keys">, storeId: string) =>
  `${deps.keys.prefix}:{${storeId}}:menuver`;

/** After a committed change: every process reads the menu afresh on its next call. */
export async function menuChanged(deps: Pick<Deps, "db" | "redis" | "keys">, storeId: string) {
  forgetMenu(deps.db, storeId);
  await deps.redis.incr(menuVersionKey(deps, storeId));
}

/**
 * The store and its live items in order, or null when there is no such store. `version` is the
 * store's menu version as just read from Redis (null: never bumped).
 */
export async function cachedMenu(
  deps: Pick<Deps, "db">,
  storeId: string,
  version: string | null,
): Promise<CachedMenu | null> {
  const now = performance.now();
  const menus = menuCopiesOf(deps.db) as Map<string, Entry>;
  const hit = menus.get(storeId);
  if (hit && hit.version === version && now - hit.loadedAt < MAX_AGE_MS) return hit;
  const store = await findStore(deps.db, storeId);
  // Unknown ids are not kept: anyone can send any id.
  if (!store) return null;
  const items = await listMenu(deps.db, storeId);
  const entry: Entry = { store, items, derived: new Map(), version, loadedAt: now };
  menus.delete(storeId);
  if (menus.size >= MAX_STORES) menus.delete(menus.keys().next().value!);
  menus.set(storeId, entry);
  return entry;
}
