import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { redisOptionsFromUrl } from "../../src/infra/embeddedRedis.ts";
import { addToCart } from "../../src/ordering/cart.ts";
import { paymentOf } from "../../src/ordering/pendingOrder.ts";
import { placeOrder } from "../../src/ordering/placeOrder.ts";
import { startWorkers } from "../../workers/index.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { openShop } from "../helpers/shop.ts";
import { orders } from "../helpers/tables.ts";
import { databaseEnv, testDb } from "../helpers/testDb.ts";
import { makeTestDeps, redisUrl } from "../helpers/testDeps.ts";

// The payment worker runs in a child process that dies (exit 137) at a crash point; a new worker
// then picks the stalled job up, as BullMQ does after a real crash.
const emu = startTestEmulator();
const t = makeTestDeps({ db: await testDb(), env: emu.env });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

let storeId = "";
let itemId = "";
beforeAll(async () => {
  const shop = await openShop(t.deps);
  storeId = shop.storeId;
  itemId = shop.itemIds[0]!;
});

async function crashingWorker(failpoint: string) {
  const child = Bun.spawn(["bun", `${import.meta.dir}/crashWorker.ts`], {
    env: {
      ...process.env,
      ...emu.env,
      DATA_DIR: t.dir,
      ...databaseEnv(t.deps),
      TEST_REDIS_URL: redisUrl(),
      TEST_KEY_PREFIX: t.prefix,
      SO_FAILPOINT: failpoint,
      LOG_LEVEL: "silent",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  expect(new TextDecoder().decode(value)).toContain("worker ready");
  return child;
}

let n = 0;
async function approvedByCustomer() {
  const botUserKey = `crash-user-${++n}`;
  await addToCart(t.deps, botUserKey, { itemId, qty: 1, options: {} });
  const placed = await placeOrder(t.deps, { botUserKey, customerName: "손님" });
  if (placed.kind !== "ready") throw new Error(placed.kind);
  const tid = (await paymentOf(t.deps, placed.order.id))!.tid!;
  const location = new URL(await emu.customerApproves(tid));
  return { order: placed.order, tid, approvalPath: `${location.pathname}${location.search}` };
}

const orderRow = async (id: string) =>
  (await t.deps.db.select().from(orders).where(eq(orders.id, id)))[0]!;
async function paidEntriesOf(orderId: string) {
  const dayId = await t.deps.redis.hget(t.deps.keys.day(storeId), "dayId");
  const entries = await t.deps.redis.xrange(t.deps.keys.dayStream(storeId, dayId!), "-", "+");
  return entries.filter(([, f]) => f[1] === "order.paid" && JSON.parse(f[3]!).orderId === orderId);
}

async function untilPaid(orderId: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await orderRow(orderId)).status === "PAID") return;
    await Bun.sleep(100);
  }
  throw new Error(`order ${orderId} still ${(await orderRow(orderId)).status}`);
}

describe("the payment worker killed mid-job", () => {
  for (const point of ["after_capture", "after_append"] as const) {
    test(`killed ${point.replace("_", " ")}: after the retry, one capture, one order.paid, one PAID row`, async () => {
      const child = await crashingWorker(point);
      const { order, tid, approvalPath } = await approvedByCustomer();
      const page = await t.app.request(approvalPath);
      expect(await page.text()).toContain("결제를 확인하고 있어요");
      expect(await child.exited).toBe(137);

      expect((await emu.payment(tid)).capture_count).toBe(1);
      expect((await orderRow(order.id)).status).toBe("PENDING_PAYMENT");
      expect(await paidEntriesOf(order.id)).toHaveLength(point === "after_append" ? 1 : 0);

      const recovery = startWorkers(t.deps, redisOptionsFromUrl(redisUrl()), {
        lockDuration: 1000,
        stalledInterval: 500,
      });
      try {
        await untilPaid(order.id);
      } finally {
        await recovery.close();
      }
      const entries = await paidEntriesOf(order.id);
      expect(entries).toHaveLength(1);
      expect(JSON.parse(entries[0]![1][3]!).pickupNumber).toBe(
        (await orderRow(order.id)).pickupNumber,
      );
      expect((await emu.payment(tid)).capture_count).toBe(1);
      // The customer's refresh now shows the pickup number.
      expect(await (await t.app.request(approvalPath)).text()).toContain("결제가 완료됐어요");
    }, 40_000);
  }
});
