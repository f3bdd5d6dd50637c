import type { Deps } from "../../src/deps.ts";
import { inBatches } from "../../src/infra/batches.ts";
import { newId } from "../../src/infra/ids.ts";
import type { KakaoPay } from "../../src/payment/kakaopay.ts";
import { orderItems, orders, payments } from "./tables.ts";

/**
 * A busy day without the chat: `n` picked-up orders written straight to SQLite and to the day
 * stream, each with a real capture at the KakaoPay emulator (ready → customer approves →
 * approve), so accounting has every source to compare. For tests and benches of the batch.
 */
export async function seedBusyDay(
  deps: Deps,
  kakaopay: KakaoPay,
  emulatorUrl: string,
  storeId: string,
  dayId: string,
  n: number,
) {
  const started = deps.clock.now() - n * 1000;
  const rows = Array.from({ length: n }, (_, i) => ({
    id: newId(),
    botUserKey: `bulk-${i}`,
    total: 4500 + (i % 3) * 500,
    paidAt: started + i * 1000,
    pickup: i + 1,
  }));
  const tids = await inBatches(
    rows,
    async (r) => {
      const ready = await kakaopay.ready({
        partnerOrderId: r.id,
        partnerUserId: r.botUserKey,
        itemName: "아메리카노",
        quantity: 1,
        totalAmount: r.total,
        approvalUrl: "http://localhost/approve",
        cancelUrl: "http://localhost/cancel",
        failUrl: "http://localhost/fail",
      });
      const res = await fetch(`${emulatorUrl}/_emulator/payments/${ready.tid}/approve`, {
        method: "POST",
        redirect: "manual",
      });
      const pgToken = new URL(res.headers.get("location")!).searchParams.get("pg_token")!;
      await kakaopay.approve({
        tid: ready.tid,
        partnerOrderId: r.id,
        partnerUserId: r.botUserKey,
        pgToken,
      });
      return ready.tid;
    },
    32,
  );
  for (let i = 0; i < n; i += 500) {
    const slice = rows.slice(i, i + 500);
    await deps.db.transaction(async (tx) => {
      await tx.insert(orders).values(
        slice.map((r) => ({
          id: r.id,
          storeId,
          dayId,
          botUserKey: r.botUserKey,
          customerName: "손님",
          status: "PICKED_UP" as const,
          pickupNumber: r.pickup,
          totalAmount: r.total,
          itemSummary: "아메리카노",
          createdAt: r.paidAt,
          paidAt: r.paidAt,
          pickedUpAt: r.paidAt + 60_000,
        })),
      );
      await tx.insert(orderItems).values(
        slice.map((r) => ({
          orderId: r.id,
          menuItemId: null,
          name: "아메리카노",
          unitPrice: r.total,
          qty: 1,
          options: [],
          amount: r.total,
        })),
      );
      await tx.insert(payments).values(
        slice.map((r, j) => ({
          id: newId(),
          orderId: r.id,
          tid: tids[i + j]!,
          status: "APPROVED" as const,
          amount: r.total,
          approvedAt: r.paidAt,
        })),
      );
    });
    const pipe = deps.redis.pipeline();
    for (const r of slice) {
      const data = JSON.stringify({
        orderId: r.id,
        pickupNumber: r.pickup,
        totalAmount: r.total,
        items: [],
        customerName: "손님",
        paidAt: r.paidAt,
      });
      pipe.xadd(deps.keys.dayStream(storeId, dayId), "*", "type", "order.paid", "data", data);
    }
    await pipe.exec();
  }
  const gross = rows.reduce((s, r) => s + r.total, 0);
  await deps.redis.hset(
    deps.keys.day(storeId),
    "orderCount",
    n,
    "grossAmount",
    gross,
    "nextPickup",
    n + 1,
  );
  const last = await deps.redis.xrevrange(
    deps.keys.dayStream(storeId, dayId),
    "+",
    "-",
    "COUNT",
    1,
  );
  await deps.redis.hset(deps.keys.day(storeId), "lastEntryId", last[0]![0]);
  return { gross, n };
}
