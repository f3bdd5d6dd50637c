import type { Deps } from "../deps.ts";
import { releaseLock, takeLock } from "../infra/owner.ts";
import { prepared } from "../infra/prepared.ts";
import { KakaoPayError } from "../payment/kakaopay.ts";
import { readCart } from "./cart.ts";
import { failOrder } from "./orderStatus.ts";
import {
  createPendingOrder,
  orderLines,
  type PendingOrder,
  type PendingRefusal,
  paymentOf,
  type SheetLine,
} from "./pendingOrder.ts";

export type PlaceResult =
  /** `lines` when this call has them at hand (else read them with `orderLines`) */
  | { kind: "ready"; order: PendingOrder; redirectUrl: string; lines?: SheetLine[] }
  | { kind: "no_cart" }
  | { kind: "stale_cart"; version: number }
  | { kind: "payment_unavailable"; order: PendingOrder; declined: boolean }
  | { kind: "busy" }
  | PendingRefusal;

const READY_LOCK_S = 15;

/**
 * `orders/place`: the cart version the customer saw becomes one PENDING_PAYMENT order, and
 * KakaoPay ready is called once for it (a lock per order keeps double taps from two tids).
 */
export async function placeOrder(
  deps: Deps,
  input: { botUserKey: string; cartVersion?: number; customerName: string },
): Promise<PlaceResult> {
  const cart = await readCart(deps, input.botUserKey);
  if (!cart || cart.lines.length === 0) return { kind: "no_cart" };
  if (input.cartVersion !== undefined && input.cartVersion !== cart.version) {
    return { kind: "stale_cart", version: cart.version };
  }
  const pending = await createPendingOrder(deps, input.botUserKey, cart, input.customerName);
  if (pending.kind !== "ok") return pending;
  const { order, lines } = pending;
  // An order made just now has no KakaoPay payment yet (the check under the lock still runs).
  const known = pending.created ? null : await paymentOf(deps, order.id);
  if (known?.redirectMobileUrl)
    return { kind: "ready", order, redirectUrl: known.redirectMobileUrl };

  const lock = `${deps.keys.day(order.storeId)}:payready:${order.id}`;
  if (!(await takeLock(deps.redis, deps.owner, lock, READY_LOCK_S))) {
    return waitForReady(deps, order, lock);
  }
  return readyUnderLock(deps, order, lock, lines);
}

async function readyUnderLock(
  deps: Deps,
  order: PendingOrder,
  lock: string,
  lines?: SheetLine[],
): Promise<PlaceResult> {
  try {
    // The holder we took over from (or raced) may have finished just before.
    const known = await paymentOf(deps, order.id);
    if (known?.redirectMobileUrl)
      return { kind: "ready" as const, order, redirectUrl: known.redirectMobileUrl };
    return await kakaoPayReady(deps, order, lines);
  } finally {
    await releaseLock(deps.redis, deps.owner, lock);
  }
}

async function kakaoPayReady(
  deps: Deps,
  order: PendingOrder,
  written?: SheetLine[],
): Promise<PlaceResult> {
  const base = `${deps.config.publicUrl}/pay/kakaopay/${order.id}`;
  try {
    const lines = written ?? (await orderLines(deps, order.id));
    const ready = await deps.kakaopay.ready({
      partnerOrderId: order.id,
      partnerUserId: order.botUserKey,
      itemName: order.itemSummary,
      // The number of items bought, as the customer counts them on KakaoPay's page.
      quantity: lines.reduce((n, l) => n + l.qty, 0),
      totalAmount: order.totalAmount,
      approvalUrl: `${base}/approve`,
      cancelUrl: `${base}/cancel`,
      failUrl: `${base}/fail`,
    });
    await prepared(deps.db).paymentReady(order.id, {
      tid: ready.tid,
      mobile: ready.next_redirect_mobile_url,
      pc: ready.next_redirect_pc_url,
      now: deps.clock.now(),
    });
    return { kind: "ready", order, redirectUrl: ready.next_redirect_mobile_url, lines };
  } catch (err) {
    // No tid was stored, so nothing can be captured for this order: it simply fails.
    const declined = err instanceof KakaoPayError;
    await failOrder(deps, order.id, declined ? "payment_declined" : "payment_unavailable");
    deps.log.warn({ orderId: order.id, err: (err as Error).message }, "KakaoPay ready failed");
    return { kind: "payment_unavailable", order, declined };
  }
}

/** A concurrent place of the same cart holds the lock: wait briefly for its redirect URL. */
async function waitForReady(deps: Deps, order: PendingOrder, lock: string): Promise<PlaceResult> {
  for (let i = 0; i < 30; i++) {
    await Bun.sleep(100);
    const payment = await paymentOf(deps, order.id);
    if (payment?.redirectMobileUrl)
      return { kind: "ready", order, redirectUrl: payment.redirectMobileUrl };
    if (payment?.status === "FAILED")
      return { kind: "payment_unavailable", order, declined: false };
    // The holder died mid-ready (a crash): its lock is ours at once, not after its expiry.
    if (await takeLock(deps.redis, deps.owner, lock, READY_LOCK_S)) {
      return readyUnderLock(deps, order, lock);
    }
  }
  return { kind: "busy" };
}
