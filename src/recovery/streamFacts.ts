import type { OrderStatus } from "../../db/model.ts";
import type { StreamEntry } from "../stream/entries.ts";

/** What the day stream says of one order: its `order.paid` payload and its latest status. */
export type OrderFacts = {
  paid: PaidPayload | null;
  status: OrderStatus;
  canceled: { reason: string; refunded: number } | null;
};

export type PaidPayload = {
  id: string;
  items: {
    name: string;
    qty: number;
    unitPrice: number;
    options: { group: string; choice: string; priceDelta: number }[];
    amount: number;
  }[];
  totalAmount: number;
  customerName: string | null;
  paidAt: number;
  pickupNumber: number;
};

const statusOfEvent: Record<string, OrderStatus> = {
  "order.paid": "PAID",
  "order.accepted": "ACCEPTED",
  "order.ready": "READY",
  "order.picked_up": "PICKED_UP",
  "order.canceled": "CANCELED",
};

/** How far along an order is; the two endings (picked up, canceled) are equally far. */
export const progress: Partial<Record<OrderStatus, number>> = {
  PAID: 1,
  ACCEPTED: 2,
  READY: 3,
  PICKED_UP: 4,
  CANCELING: 3.5,
  CANCELED: 4,
};

/** Folds the stream's order events, up to `until` ms (newer entries are still settling). */
export function orderFacts(entries: StreamEntry[], until: number) {
  const facts = new Map<string, OrderFacts>();
  for (const e of entries) {
    const status = statusOfEvent[e.type];
    if (!status || e.ms > until) continue;
    const data = JSON.parse(e.data) as { orderId?: string; id?: string } & Record<string, unknown>;
    const orderId = data.orderId ?? data.id;
    if (!orderId) continue;
    const known = facts.get(orderId) ?? { paid: null, status, canceled: null };
    if (status === "PAID") known.paid = data as unknown as PaidPayload;
    if (status === "CANCELED") {
      known.canceled = { reason: String(data.reason ?? ""), refunded: Number(data.refunded ?? 0) };
    }
    if ((progress[status] ?? 0) >= (progress[known.status] ?? 0)) known.status = status;
    facts.set(orderId, known);
  }
  return facts;
}

/** The highest pickup number the stream has handed out. */
export function maxPickupIn(facts: Map<string, OrderFacts>) {
  let max = 0;
  for (const f of facts.values()) max = Math.max(max, f.paid?.pickupNumber ?? 0);
  return max;
}
