import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sha256 } from "../../src/infra/ids.ts";
import { queueApproval } from "../../src/infra/queues.ts";
import { addToCart } from "../../src/ordering/cart.ts";
import { paymentOf } from "../../src/ordering/pendingOrder.ts";
import { placeOrder } from "../../src/ordering/placeOrder.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { openShop } from "../helpers/shop.ts";
import { makeTestDeps, redisUrl } from "../helpers/testDeps.ts";

// An API process (this one, no workers) and a worker in another process, sharing Redis and SQLite.
const emu = startTestEmulator();
const api = makeTestDeps({ env: emu.env });
let worker: ReturnType<typeof Bun.spawn> | null = null;
let itemId = "";

beforeAll(async () => {
  itemId = (await openShop(api.deps)).itemIds[0]!;
  const child = Bun.spawn(["bun", `${import.meta.dir}/crashWorker.ts`], {
    env: {
      ...process.env,
      ...emu.env,
      DATA_DIR: api.dir,
      DATABASE_PATH: api.deps.config.databasePath,
      TEST_REDIS_URL: redisUrl(),
      TEST_KEY_PREFIX: api.prefix,
      LOG_LEVEL: "silent",
    },
    stdout: "pipe",
    stderr: "ignore",
  });
  const { value } = await child.stdout.getReader().read();
  expect(new TextDecoder().decode(value)).toContain("worker ready");
  worker = child;
});
afterAll(async () => {
  worker?.kill();
  await worker?.exited;
  await api.close();
  await emu.stop();
});

let n = 0;
async function approvedAtKakaoPay() {
  const botUserKey = `signal-user-${++n}`;
  await addToCart(api.deps, botUserKey, { itemId, qty: 1, options: {} });
  const placed = await placeOrder(api.deps, { botUserKey, customerName: "손님" });
  if (placed.kind !== "ready") throw new Error(placed.kind);
  const tid = (await paymentOf(api.deps, placed.order.id))!.tid!;
  const location = new URL(await emu.customerApproves(tid));
  return { orderId: placed.order.id, pgToken: location.searchParams.get("pg_token")! };
}

describe("approval outcomes travel through Redis", () => {
  test("a payment job finished by a worker in another process wakes the API process's waiting page", async () => {
    const job = await approvedAtKakaoPay();
    const jobId = `approve-${job.orderId}-${sha256(job.pgToken).slice(0, 16)}`;
    // Listening only: no polling of the job here, so only the worker's message can answer.
    const heard = api.deps.approvals.next(jobId, 15_000);
    expect((await queueApproval(api.deps, job)).id).toBe(jobId);
    expect(await heard.promise).toMatchObject({ outcome: "paid" });
  });

  test("the approval page on the API process says paid (the second customer too)", async () => {
    for (let i = 0; i < 2; i++) {
      const job = await approvedAtKakaoPay();
      const page = await api.app.request(
        `/pay/kakaopay/${job.orderId}/approve?pg_token=${job.pgToken}`,
      );
      expect(await page.text()).toContain("결제가 완료됐어요");
    }
  });
});
