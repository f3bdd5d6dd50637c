import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { copyFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { buildDeps } from "../../src/bootstrap.ts";
import { loadConfig } from "../../src/config.ts";
import type { Deps } from "../../src/deps.ts";
import { sqliteClient } from "../../src/infra/db.ts";
import { silentLogger } from "../../src/infra/logger.ts";
import { addToCart } from "../../src/ordering/cart.ts";
import { paymentOf } from "../../src/ordering/pendingOrder.ts";
import { placeOrder } from "../../src/ordering/placeOrder.ts";
import { healLiveDay } from "../../src/recovery/healDay.ts";
import { moveDay } from "../../src/store/day/dayBusiness.ts";
import { readLiveDay } from "../../src/store/day/liveDay.ts";
import { cancelOrder } from "../../src/store/orders/cancelOrder.ts";
import { moveOrder } from "../../src/store/orders/orderMoves.ts";
import { readAfter } from "../../src/stream/entries.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { paidOrder } from "../helpers/orders.ts";
import { redisSnapshot } from "../helpers/rollback.ts";
import { openShop } from "../helpers/shop.ts";
import { accountingFindings, orders } from "../helpers/tables.ts";
import { makeTestDeps, redisUrl } from "../helpers/testDeps.ts";

const emu = startTestEmulator();
const t = makeTestDeps({ env: emu.env });
let deps: Deps = t.deps;
let closeDeps: () => Promise<unknown> = t.close;
afterAll(async () => {
  await closeDeps();
  await emu.stop();
});

/** The day stream as the counter screen would receive it. */
async function stream(storeId: string) {
  const live = (await readLiveDay(deps, storeId))!;
  return readAfter(deps.redis, deps.keys.dayStream(storeId, live.dayId), null);
}
const paidEntries = async (storeId: string) =>
  (await stream(storeId))
    .filter((e) => e.type === "order.paid")
    .map((e) => JSON.parse(e.data) as { id: string; pickupNumber: number });
const row = async (id: string) =>
  (await deps.db.select().from(orders).where(eq(orders.id, id)))[0]!;
const findingsOf = async (dayId: string) =>
  await deps.db.select().from(accountingFindings).where(eq(accountingFindings.dayId, dayId));

/** A customer places an order and approves at KakaoPay, but our approval never ran. */
async function capturedButUnknown(itemId: string) {
  const botUserKey = `lost-${Bun.randomUUIDv7()}`;
  await addToCart(deps, botUserKey, { itemId, qty: 1, options: {} });
  const placed = await placeOrder(deps, { botUserKey, customerName: "손님" });
  if (placed.kind !== "ready") throw new Error(placed.kind);
  const tid = (await paymentOf(deps, placed.order.id))!.tid!;
  const approvalUrl = await emu.customerApproves(tid);
  const pgToken = new URL(approvalUrl).searchParams.get("pg_token")!;
  return { orderId: placed.order.id, tid, pgToken };
}

describe("healing a live day after a power cut rolled Redis back", () => {
  let shop: Awaited<ReturnType<typeof openShop>>;
  beforeEach(async () => {
    shop = await openShop(deps);
  });

  test("lost order.paid entries come back once with their numbers; lost moves too; numbers never repeat", async () => {
    const a = await paidOrder(deps, emu, shop.itemIds[0]!);
    const b = await paidOrder(deps, emu, shop.itemIds[0]!);
    const cut = await redisSnapshot(deps.redis, t.prefix);
    const c = await paidOrder(deps, emu, shop.itemIds[0]!);
    const d = await paidOrder(deps, emu, shop.itemIds[0]!);
    await moveOrder(deps, shop.storeId, a.order.id, "accept");
    await moveOrder(deps, shop.storeId, b.order.id, "ready");
    expect([c.order.pickupNumber, d.order.pickupNumber]).toEqual([3, 4]);

    await cut.restore(); // the power cut: Redis is back at the snapshot, SQLite kept everything
    expect((await paidEntries(shop.storeId)).map((p) => p.id)).toEqual([a.order.id, b.order.id]);

    const repairs = await healLiveDay(deps, shop.storeId, { askKakaoPay: true, settleMs: 0 });
    const paid = await paidEntries(shop.storeId);
    expect(paid.map((p) => [p.id, p.pickupNumber])).toEqual([
      [a.order.id, 1],
      [b.order.id, 2],
      [c.order.id, 3],
      [d.order.id, 4],
    ]);
    const moves = (await stream(shop.storeId)).filter(
      (e) => e.type.startsWith("order.") && e.type !== "order.paid",
    );
    expect(moves.map((e) => [e.type, JSON.parse(e.data).orderId])).toEqual(
      expect.arrayContaining([
        ["order.accepted", a.order.id],
        ["order.ready", b.order.id],
      ]),
    );
    expect(repairs.map((r) => r.kind).sort()).toEqual(
      expect.arrayContaining(["paid_restored_to_stream", "move_restored_to_stream"]),
    );

    // The next customer gets 5, never a number already handed out.
    const e = await paidOrder(deps, emu, shop.itemIds[0]!);
    expect(e.order.pickupNumber).toBe(5);
    // A second heal finds nothing left to do and appends nothing.
    const before = (await stream(shop.storeId)).length;
    expect(await healLiveDay(deps, shop.storeId, { askKakaoPay: true, settleMs: 0 })).toEqual([]);
    expect((await stream(shop.storeId)).length).toBe(before);
    // The day report will show what was repaired.
    const live = (await readLiveDay(deps, shop.storeId))!;
    expect((await findingsOf(live.dayId)).map((f) => f.kind)).toContain("paid_restored_to_stream");
  });

  test("a captured payment whose approval Redis lost is completed above every number that may have been shown", async () => {
    await paidOrder(deps, emu, shop.itemIds[0]!);
    const lost = await capturedButUnknown(shop.itemIds[0]!);
    const cut = await redisSnapshot(deps.redis, t.prefix);
    // Approved after the snapshot: the customer was shown pickup 2.
    const { approvePayment } = await import("../../src/payment/approvePayment.ts");
    const shown = await approvePayment(deps, { orderId: lost.orderId, pgToken: lost.pgToken });
    expect(shown).toEqual({ outcome: "paid", pickupNumber: 2 });
    await cut.restore();
    // SQLite also lost the PAID mark (both rolled back): only KakaoPay knows.
    await deps.db
      .update(orders)
      .set({ status: "PENDING_PAYMENT", pickupNumber: null, entryId: null, paidAt: null })
      .where(eq(orders.id, lost.orderId));

    const repairs = await healLiveDay(deps, shop.storeId, { askKakaoPay: true, settleMs: 0 });
    expect(repairs.map((r) => r.kind)).toContain("captured_completed");
    const healed = await row(lost.orderId);
    expect(healed.status).toBe("PAID");
    // 2 may have been shown to this customer before the cut: it is skipped, never reused.
    expect(healed.pickupNumber).toBe(3);
    const next = await paidOrder(deps, emu, shop.itemIds[0]!);
    expect(next.order.pickupNumber).toBe(4);
    const paid = await paidEntries(shop.storeId);
    expect(paid.filter((p) => p.id === lost.orderId)).toHaveLength(1);
    expect((await emu.payment(lost.tid)).capture_count ?? 1).toBe(1);
  });

  test("the minute's check compares the whole day only when the paid counts disagree", async () => {
    await paidOrder(deps, emu, shop.itemIds[0]!);
    const cut = await redisSnapshot(deps.redis, t.prefix);
    const lost = await paidOrder(deps, emu, shop.itemIds[0]!);
    const quick = { askKakaoPay: false, settleMs: 0, onlyIfCountsDiffer: true };
    expect(await healLiveDay(deps, shop.storeId, quick)).toEqual([]);
    await cut.restore();
    const repairs = await healLiveDay(deps, shop.storeId, quick);
    expect(repairs.map((r) => [r.kind, r.orderId])).toContainEqual([
      "paid_restored_to_stream",
      lost.order.id,
    ]);
    expect((await paidEntries(shop.storeId)).map((p) => p.pickupNumber)).toEqual([1, 2]);
  });

  test("a lost day transition comes back from the SQLite record", async () => {
    const cut = await redisSnapshot(deps.redis, t.prefix);
    await moveDay(deps, shop.storeId, "break");
    await cut.restore();
    expect((await readLiveDay(deps, shop.storeId))!.state).toBe("OPEN");
    await healLiveDay(deps, shop.storeId, { askKakaoPay: false, settleMs: 0 });
    expect((await readLiveDay(deps, shop.storeId))!.state).toBe("BREAK");
    const last = (await stream(shop.storeId)).at(-1)!;
    expect([last.type, JSON.parse(last.data).state]).toEqual(["state", "BREAK"]);
  });

  test("a day Redis lost entirely is restored, not closed", async () => {
    await paidOrder(deps, emu, shop.itemIds[0]!);
    const live = (await readLiveDay(deps, shop.storeId))!;
    // Redis lost everything of this store (rolled back to before `ready`).
    await deps.redis.unlink(
      deps.keys.day(shop.storeId),
      deps.keys.dayStream(shop.storeId, live.dayId),
    );
    await healLiveDay(deps, shop.storeId, { askKakaoPay: false, settleMs: 0 });
    const back = (await readLiveDay(deps, shop.storeId))!;
    expect([back.dayId, back.state]).toEqual([live.dayId, "OPEN"]);
    expect((await paidEntries(shop.storeId)).map((p) => p.pickupNumber)).toEqual([1]);
    const next = await paidOrder(deps, emu, shop.itemIds[0]!);
    expect(next.order.pickupNumber).toBe(2);
  });
});

describe("healing a live day after a power cut rolled SQLite back", () => {
  test("orders SQLite lost are rebuilt from the stream; lost PAID marks and moves come back", async () => {
    const shop = await openShop(deps);
    const a = await paidOrder(deps, emu, shop.itemIds[0]!);
    const pending = await capturedButUnknown(shop.itemIds[0]!);
    // The power cut's SQLite: a copy taken now (WAL included), restored after more work.
    const dbPath = deps.config.databasePath;
    sqliteClient(deps.db).exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const copy = `${dbPath}.cut`;
    copyFileSync(dbPath, copy);
    const { approvePayment } = await import("../../src/payment/approvePayment.ts");
    await approvePayment(deps, { orderId: pending.orderId, pgToken: pending.pgToken });
    const b = await paidOrder(deps, emu, shop.itemIds[0]!); // created and paid after the cut
    await moveOrder(deps, shop.storeId, a.order.id, "ready");
    await cancelOrder(deps, shop.storeId, b.order.id, "재료 소진");

    await closeDeps();
    for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(f, { force: true });
    copyFileSync(copy, dbPath);
    const config = loadConfig({ DATA_DIR: join(dbPath, ".."), LOG_LEVEL: "silent", ...emu.env });
    const rebuilt = buildDeps(config, {
      redisUrl: redisUrl(),
      log: silentLogger,
      keyPrefix: t.prefix,
    });
    deps = rebuilt.deps;
    closeDeps = rebuilt.close;
    expect(
      (await deps.db.select().from(orders).where(eq(orders.id, b.order.id)))[0],
    ).toBeUndefined();

    const repairs = await healLiveDay(deps, shop.storeId, { askKakaoPay: true, settleMs: 0 });
    expect(repairs.map((r) => r.kind).sort()).toEqual(
      expect.arrayContaining([
        "order_restored_to_db",
        "paid_restored_to_db",
        "status_restored_to_db",
      ]),
    );
    expect([(await row(a.order.id)).status, (await row(a.order.id)).pickupNumber]).toEqual([
      "READY",
      1,
    ]);
    expect([
      (await row(pending.orderId)).status,
      (await row(pending.orderId)).pickupNumber,
    ]).toEqual(["PAID", 2]);
    expect([(await row(b.order.id)).status, (await row(b.order.id)).pickupNumber]).toEqual([
      "CANCELED",
      3,
    ]);
    expect((await paymentOf(deps, b.order.id))?.tid).toBe(b.tid);
    // Nothing was appended twice to the stream.
    expect((await paidEntries(shop.storeId)).map((p) => p.pickupNumber)).toEqual([1, 2, 3]);
  });
});
