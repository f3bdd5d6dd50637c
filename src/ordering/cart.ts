import type { Deps } from "../deps.ts";
import { findStore } from "../store/admin.ts";
import { runScript } from "../stream/scripts/index.ts";
import { type ChosenOption, chooseOptions, findMenuItem, type MenuItem } from "./menuLookup.ts";

export const ORDER_SESSION_TTL_S = 30 * 60;
export const MAX_QTY = 99;
export const MAX_LINES = 20;

export type CartLine = {
  itemId: string;
  name: string;
  unitPrice: number;
  qty: number;
  options: ChosenOption[];
};

/** A customer's cart for one store (Kakao calls it an order session), kept 30 min in Redis. */
export type OrderSession = {
  storeId: string;
  storeName: string;
  version: number;
  lines: CartLine[];
};

type Stored = Omit<OrderSession, "version">;

export const lineAmount = (l: CartLine) =>
  (l.unitPrice + l.options.reduce((s, o) => s + o.priceDelta, 0)) * l.qty;
export const cartTotal = (c: { lines: CartLine[] }) =>
  c.lines.reduce((s, l) => s + lineAmount(l), 0);

export async function readCart(deps: Deps, botUserKey: string): Promise<OrderSession | null> {
  const key = deps.keys.cart(botUserKey);
  const [[, raw]] = (await deps.redis
    .multi()
    .hmget(key, "version", "body")
    .expire(key, ORDER_SESSION_TTL_S, "XX")
    .exec()) as [[Error | null, (string | null)[]]];
  const [version, body] = raw;
  if (!version || !body) return null;
  return { ...(JSON.parse(body) as Stored), version: Number(version) };
}

/** Writes the cart if it is still at `readVersion`; false when another tap changed it first. */
async function saveCart(deps: Deps, botUserKey: string, readVersion: number, cart: Stored) {
  const [outcome, version] = await runScript(
    deps.redis,
    "cartSave",
    [deps.keys.cart(botUserKey)],
    [String(readVersion), JSON.stringify(cart), ORDER_SESSION_TTL_S],
  );
  return outcome === "ok" ? { ...cart, version: Number(version) } : null;
}

export type AddInput = {
  itemId: string;
  qty: number;
  options: Record<string, string>;
  replaceOtherStore?: boolean;
};

export type AddResult =
  | { kind: "added"; cart: OrderSession; line: CartLine }
  | { kind: "needs_option"; item: MenuItem; group: MenuItem["optionGroups"][number] }
  | { kind: "other_store"; cart: OrderSession; item: MenuItem }
  | {
      kind: "refused";
      reason: "unknown_item" | "sold_out" | "bad_option" | "bad_qty" | "too_many_lines";
      detail?: string;
    };

/** Adds a menu item, priced from the menu; asks for missing required options first. */
export async function addToCart(
  deps: Deps,
  botUserKey: string,
  input: AddInput,
): Promise<AddResult> {
  if (!Number.isInteger(input.qty) || input.qty < 1 || input.qty > MAX_QTY) {
    return { kind: "refused", reason: "bad_qty" };
  }
  const item = findMenuItem(deps.db, input.itemId);
  if (!item) return { kind: "refused", reason: "unknown_item" };
  if (item.soldOut) return { kind: "refused", reason: "sold_out", detail: item.name };
  const chosen = chooseOptions(item, input.options);
  if (chosen.kind === "missing") return { kind: "needs_option", item, group: chosen.group };
  if (chosen.kind === "invalid")
    return { kind: "refused", reason: "bad_option", detail: chosen.detail };

  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await readCart(deps, botUserKey);
    if (
      current &&
      current.storeId !== item.storeId &&
      current.lines.length > 0 &&
      !input.replaceOtherStore
    ) {
      return { kind: "other_store", cart: current, item };
    }
    const sameStore = current?.storeId === item.storeId;
    const base: Stored = sameStore
      ? { storeId: current.storeId, storeName: current.storeName, lines: current.lines }
      : {
          storeId: item.storeId,
          storeName: findStore(deps.db, item.storeId)?.name ?? "",
          lines: [],
        };
    const line: CartLine = {
      itemId: item.id,
      name: item.name,
      unitPrice: item.price,
      qty: input.qty,
      options: chosen.options,
    };
    const merged = mergeLine(base.lines, line);
    if (!merged) return { kind: "refused", reason: merged === null ? "too_many_lines" : "bad_qty" };
    const saved = await saveCart(deps, botUserKey, current?.version ?? 0, {
      ...base,
      lines: merged.lines,
    });
    if (saved) return { kind: "added", cart: saved, line: merged.line };
  }
  throw new Error("cart kept changing under concurrent taps");
}

/** Same item with the same options adds to its line (up to 99); otherwise a new line. */
function mergeLine(lines: CartLine[], line: CartLine) {
  const sameKey = (l: CartLine) =>
    l.itemId === line.itemId && JSON.stringify(l.options) === JSON.stringify(line.options);
  const existing = lines.find(sameKey);
  if (existing) {
    if (existing.qty + line.qty > MAX_QTY) return undefined;
    const updated = { ...existing, qty: existing.qty + line.qty };
    return { lines: lines.map((l) => (l === existing ? updated : l)), line: updated };
  }
  if (lines.length >= MAX_LINES) return null;
  return { lines: [...lines, line], line };
}

export async function clearCart(deps: Deps, botUserKey: string) {
  await deps.redis.del(deps.keys.cart(botUserKey));
}

/** Empties the cart only if it is still the version that was ordered (a paid order's cart). */
export async function clearCartIfVersion(deps: Deps, botUserKey: string, version: number) {
  const current = await deps.redis.hget(deps.keys.cart(botUserKey), "version");
  if (current === String(version)) await clearCart(deps, botUserKey);
}

export type { MenuItem };
