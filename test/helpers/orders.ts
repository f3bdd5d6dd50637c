import { eq } from "drizzle-orm";
import type { Deps } from "../../src/deps.ts";
import { addToCart } from "../../src/ordering/cart.ts";
import { paymentOf } from "../../src/ordering/pendingOrder.ts";
import { placeOrder } from "../../src/ordering/placeOrder.ts";
import { approvePayment } from "../../src/payment/approvePayment.ts";
import type { startTestEmulator } from "./emulator.ts";
import { orders } from "./tables.ts";

let seq = 0;

/** A customer orders `itemId` and pays through the emulator: the order ends PAID. */
export async function paidOrder(
  deps: Deps,
  emu: ReturnType<typeof startTestEmulator>,
  itemId: string,
  opts: { qty?: number; options?: Record<string, string>; botUserKey?: string } = {},
) {
  const botUserKey = opts.botUserKey ?? `paying-user-${++seq}-${Date.now()}`;
  const added = await addToCart(deps, botUserKey, {
    itemId,
    qty: opts.qty ?? 1,
    options: opts.options ?? {},
  });
  if (added.kind !== "added") throw new Error(`cart: ${added.kind}`);
  const placed = await placeOrder(deps, { botUserKey, customerName: "손님" });
  if (placed.kind !== "ready") throw new Error(`place: ${placed.kind}`);
  const tid = (await paymentOf(deps, placed.order.id))!.tid!;
  const pgToken = new URL(await emu.customerApproves(tid)).searchParams.get("pg_token")!;
  const result = await approvePayment(deps, { orderId: placed.order.id, pgToken });
  if (result.outcome !== "paid") throw new Error(`approve: ${JSON.stringify(result)}`);
  const order = (await deps.db.select().from(orders).where(eq(orders.id, placed.order.id)))[0]!;
  return { order, tid, botUserKey };
}
