import { eq } from "drizzle-orm";
import type { Deps } from "../deps.ts";
import type { Db } from "../infra/db.ts";
import { newId } from "../infra/ids.ts";
import { prepared } from "../infra/prepared.ts";
import { readLiveDay } from "../store/day/liveDay.ts";
import { type CartLine, cartKeyOf, lineAmount, type OrderSession } from "./cart.ts";
import { type ChosenOption, chooseOptions, findMenuItem } from "./menuLookup.ts";

export type PendingRefusal =
  | { kind: "not_open"; state: string | null }
  | { kind: "empty" }
  | { kind: "unavailable"; name: string; why: "gone" | "sold_out" | "options_changed" };

export type PendingOrder = Db["t"]["orders"]["$inferSelect"];

/** An order line as the order sheet and KakaoPay's quantity need it. */
export type SheetLine = { name: string; qty: number; options: ChosenOption[]; amount: number };

/** KakaoPay's `item_name`: "최대 100자". */
export const ITEM_NAME_MAX = 100;

type SummaryLine = { name: string; qty: number; options: Pick<ChosenOption, "choice">[] };

/** "아이스 아메리카노(라지) ×2": a line as KakaoPay's item name and the order list show it. */
export function lineLabel(l: SummaryLine) {
  const opts = l.options.map((o) => o.choice).join("·");
  return `${l.name}${opts ? `(${opts})` : ""}${l.qty > 1 ? ` ×${l.qty}` : ""}`;
}

/**
 * "아이스 아메리카노(라지) ×2 외 1건": KakaoPay's item_name and the order's one-line summary,
 * at most 100 characters (the first line is shortened with "…", the count always kept).
 */
export function itemSummary(lines: SummaryLine[]) {
  const rest = lines.length > 1 ? ` 외 ${lines.length - 1}건` : "";
  const first = Array.from(lineLabel(lines[0]!));
  const room = ITEM_NAME_MAX - rest.length;
  // Counted in UTF-16 units (an emoji counts two), so no way of counting exceeds the limit.
  let head = first.join("");
  for (let keep = first.length; head.length > room; keep--) {
    head = `${first.slice(0, keep - 1).join("")}…`;
  }
  return `${head}${rest}`;
}

/** Re-prices every line from the menu as it is now; the cart's own prices are never trusted. */
async function repriceLines(deps: Deps, cart: OrderSession) {
  const lines: CartLine[] = [];
  for (const line of cart.lines) {
    const item = await findMenuItem(deps.db, line.itemId);
    if (!item || item.storeId !== cart.storeId)
      return { kind: "unavailable" as const, name: line.name, why: "gone" as const };
    if (item.soldOut)
      return { kind: "unavailable" as const, name: item.name, why: "sold_out" as const };
    const picked = Object.fromEntries(line.options.map((o) => [o.group, o.choice]));
    const chosen = chooseOptions(item, picked);
    if (chosen.kind !== "ok")
      return { kind: "unavailable" as const, name: item.name, why: "options_changed" as const };
    lines.push({
      itemId: item.id,
      name: item.name,
      unitPrice: item.price,
      qty: line.qty,
      options: chosen.options,
    });
  }
  return { kind: "ok" as const, lines };
}

/**
 * The order (PENDING_PAYMENT), its lines and its payment row, in one transaction,
 * while the store's day is OPEN. The same cart version gives the same order.
 */
export async function createPendingOrder(
  deps: Deps,
  botUserKey: string,
  cart: OrderSession,
  customerName: string,
): Promise<
  { kind: "ok"; order: PendingOrder; created: boolean; lines?: SheetLine[] } | PendingRefusal
> {
  if (cart.lines.length === 0) return { kind: "empty" };
  const day = await readLiveDay(deps, cart.storeId);
  if (day?.state !== "OPEN") return { kind: "not_open", state: day?.state ?? null };
  const cartKey = cartKeyOf(botUserKey, cart);
  const existing = await prepared(deps.db).orderByCartKey(cartKey);
  if (existing) return { kind: "ok", order: existing, created: false };
  const priced = await repriceLines(deps, cart);
  if (priced.kind !== "ok") return priced;

  const total = priced.lines.reduce((s, l) => s + lineAmount(l), 0);
  const orderId = newId();
  const row = {
    id: orderId,
    storeId: cart.storeId,
    dayId: day.dayId,
    botUserKey,
    customerName,
    totalAmount: total,
    itemSummary: itemSummary(priced.lines),
    cartKey,
    createdAt: deps.clock.now(),
  };
  const inserted = await deps.db.transaction(async (tx) => {
    // A concurrent place of the same cart inserted first (PostgreSQL runs both at once; the
    // unique cart_key makes the second insert a no-op): its order is this one.
    const q = prepared(tx);
    const order = await q.insertOrder(row);
    if (!order) return { order: (await q.orderByCartKey(cartKey))!, created: false };
    for (const l of priced.lines) {
      await q.insertLine({
        orderId,
        menuItemId: l.itemId,
        name: l.name,
        unitPrice: l.unitPrice,
        qty: l.qty,
        options: l.options,
        amount: lineAmount(l),
      });
    }
    await q.insertPayment(newId(), orderId, total);
    // The lines as just written, so that the caller need not read them back.
    const lines = priced.lines.map((l) => ({ ...l, amount: lineAmount(l) }));
    return { order: order!, created: true, lines };
  });
  return { kind: "ok", ...inserted };
}

export function orderLines(deps: Deps, orderId: string) {
  return prepared(deps.db).lines(orderId);
}

export function paymentOf(deps: Deps, orderId: string) {
  return prepared(deps.db).payment(orderId);
}

export function findOrder(deps: Deps, orderId: string) {
  return prepared(deps.db).order(orderId);
}

/** The order's payment was refunded in full at KakaoPay. */
export async function markPaymentRefunded(db: Db, orderId: string, amount: number, now: number) {
  const { payments } = db.t;
  await db
    .update(payments)
    .set({ status: "CANCELED", canceledAmount: amount, canceledAt: now, updatedAt: now })
    .where(eq(payments.orderId, orderId));
}
