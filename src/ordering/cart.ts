import type { Deps } from "../deps.ts";
import { newSecret } from "../infra/ids.ts";
import { execReplies } from "../infra/redisClient.ts";
import { findStore } from "../store/admin.ts";
import { luaCommand } from "../stream/scripts/command.ts";
import { cartSave } from "../stream/scripts/index.ts";
import cartReadLua from "./cartRead.lua" with { type: "text" };
import {
  type ChosenOption,
  chooseOptions,
  findMenuItem,
  type MenuItem,
  nextOptionalGroup,
} from "./menuLookup.ts";

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

/**
 * A customer's cart for one store (Kakao calls it an order session), kept 30 min in Redis.
 * `cartId` is drawn when the cart starts (new, after clearing or paying, or replaced by another
 * store's item); with `version` it names the one order the cart becomes.
 */
export type OrderSession = {
  storeId: string;
  storeName: string;
  cartId: string;
  version: number;
  lines: CartLine[];
};

type Stored = Omit<OrderSession, "version" | "cartId">;

const newCartId = () => newSecret(16);

/** The order a cart becomes: pressing 주문하기 again on the same cart finds the same order. */
export const cartKeyOf = (botUserKey: string, cart: OrderSession) =>
  `${botUserKey}:${cart.storeId}:${cart.cartId}.${cart.version}`;

export const lineAmount = (l: CartLine) =>
  (l.unitPrice + l.options.reduce((s, o) => s + o.priceDelta, 0)) * l.qty;
export const cartTotal = (c: { lines: CartLine[] }) =>
  c.lines.reduce((s, l) => s + lineAmount(l), 0);

const cartReadCmd = luaCommand("cartRead", cartReadLua, ["cart"]);

export async function readCart(deps: Deps, botUserKey: string): Promise<OrderSession | null> {
  const key = deps.keys.cart(botUserKey);
  const [version, body, cartId] = (await cartReadCmd(deps.redis, { cart: key }, [
    ORDER_SESSION_TTL_S,
  ])) as unknown as (string | null)[];
  if (!version || !body) return null;
  return {
    ...(JSON.parse(body) as Stored),
    cartId: cartId ?? (await giveCartId(deps, key)),
    version: Number(version),
  };
}

/** A cart saved before carts had ids: the first reader draws one, concurrent readers share it. */
async function giveCartId(deps: Deps, key: string) {
  const [, , id] = (await execReplies(
    deps.redis
      .multi()
      .hsetnx(key, "cartId", newCartId())
      // Had the cart just expired, the lone id must not stay forever.
      .expire(key, ORDER_SESSION_TTL_S, "NX")
      .hget(key, "cartId"),
  )) as [unknown, unknown, string];
  return id;
}

/** Writes the cart if it is still at `readVersion`; false when another tap changed it first. */
async function saveCart(
  deps: Deps,
  botUserKey: string,
  readVersion: number,
  cart: Stored,
  replaced: boolean,
): Promise<OrderSession | null> {
  const saved = await cartSave(
    deps.redis,
    { cart: deps.keys.cart(botUserKey) },
    {
      readVersion,
      body: JSON.stringify(cart),
      ttlS: ORDER_SESSION_TTL_S,
      newCartId: newCartId(),
      replace: replaced,
    },
  );
  return saved.outcome === "ok" ? { ...cart, cartId: saved.cartId, version: saved.version } : null;
}

export type AddInput = {
  itemId: string;
  qty: number;
  options: Record<string, string>;
  replaceOtherStore?: boolean;
  /**
   * When given, optional groups (샷 추가, 시럽…) are offered after the required ones, each once:
   * `skipped` are those the customer already passed over ("그대로 담기").
   */
  offerOptional?: { skipped: string[] };
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

/** Adds a menu item, priced from the menu; asks missing required options (then optional) first. */
export async function addToCart(
  deps: Deps,
  botUserKey: string,
  input: AddInput,
): Promise<AddResult> {
  if (!Number.isInteger(input.qty) || input.qty < 1 || input.qty > MAX_QTY) {
    return { kind: "refused", reason: "bad_qty" };
  }
  const item = await findMenuItem(deps.db, input.itemId);
  if (!item) return { kind: "refused", reason: "unknown_item" };
  if (item.soldOut) return { kind: "refused", reason: "sold_out", detail: item.name };
  const chosen = chooseOptions(item, input.options);
  if (chosen.kind === "missing") return { kind: "needs_option", item, group: chosen.group };
  if (chosen.kind === "invalid")
    return { kind: "refused", reason: "bad_option", detail: chosen.detail };
  if (input.offerOptional) {
    const offer = nextOptionalGroup(item, input.options, input.offerOptional.skipped);
    if (offer) return { kind: "needs_option", item, group: offer };
  }

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
          storeName: (await findStore(deps.db, item.storeId))?.name ?? "",
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
    const saved = await saveCart(
      deps,
      botUserKey,
      current?.version ?? 0,
      { ...base, lines: merged.lines },
      !!current && !sameStore,
    );
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

/**
 * Empties the cart only if it is still the one a paid order was made from: a newer cart (cleared
 * and filled again meanwhile, even to the same version) stays.
 */
export async function clearOrderedCart(deps: Deps, botUserKey: string, cartKey: string | null) {
  const ordered = cartKey?.split(":").at(-1);
  if (!ordered) return;
  const [version, cartId] = await deps.redis.hmget(deps.keys.cart(botUserKey), "version", "cartId");
  // An order key from before carts had ids ends in the version alone.
  const current = ordered.includes(".") ? `${cartId}.${version}` : version;
  if (current === ordered) await clearCart(deps, botUserKey);
}

export type { MenuItem };
