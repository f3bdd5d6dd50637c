import { afterAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { addToCart } from "../../src/ordering/cart.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { openShop } from "../helpers/shop.ts";
import { callSkill, type SkillAnswer } from "../helpers/skill.ts";
import { orders } from "../helpers/tables.ts";
import { makeTestDeps } from "../helpers/testDeps.ts";

const emu = startTestEmulator();
const t = makeTestDeps({
  env: { ...emu.env, KAKAOPAY_BREAKER_COOLDOWN_MS: "1000" },
  workers: true,
});
afterAll(async () => {
  await t.close();
  await emu.stop();
});

/** Kakao gives a skill 5 seconds: the product requirement, whatever KakaoPay does. */
const KAKAO_LIMIT_MS = 5000;
const RUSH = 200;
const PAY_DOWN = "결제가 잠시 어려워요. 잠시 후 다시 시도해 주세요.";
const guard = t.deps.kakaopay.guard;
const operator = { authorization: "Bearer test-operator-token" };

let n = 0;
const payLink = (a: SkillAnswer): string | null =>
  a.template.outputs[0]?.basicCard?.buttons?.find(
    (b: { label: string }) => b.label === "카카오페이 결제",
  )?.webLinkUrl ?? null;
const said = (a: SkillAnswer): string | undefined => a.template.outputs[0]?.simpleText?.text;

async function timedPlace(user: string) {
  const started = performance.now();
  const answer = await callSkill(t.app, "/orders/place", user);
  return { answer, ms: performance.now() - started };
}

/** `RUSH` customers of a new shop, each with a cart, press 주문하기 at the same moment. */
async function rush() {
  const shop = await openShop(t.deps);
  const users = Array.from({ length: RUSH }, () => `rush-${++n}`);
  for (const u of users)
    await addToCart(t.deps, u, { itemId: shop.itemIds[0]!, qty: 1, options: {} });
  const results = await Promise.all(users.map(timedPlace));
  return { shop, users, results };
}

/** Every answer came in time, and each is a payment card or a polite message with a way on. */
function expectAnsweredInTime(results: { answer: SkillAnswer; ms: number }[]) {
  for (const { answer, ms } of results) {
    expect(ms).toBeLessThan(KAKAO_LIMIT_MS);
    if (payLink(answer)) continue;
    expect(said(answer)).toContain("잠시 후");
    expect(answer.template.quickReplies?.length).toBeGreaterThan(0);
  }
}

async function until(check: () => boolean | Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await Bun.sleep(50);
  }
  throw new Error("condition not met in time");
}

async function kakaoPayRecovers() {
  emu.state.faults.clear();
  await until(() => guard.state() !== "open", 2000);
}

async function health() {
  const res = await t.app.request("/healthz");
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("KakaoPay outage under a rush of orders", () => {
  test("KakaoPay hangs: every customer is answered within 5 s, calls in flight stay bounded, the breaker opens and closes once KakaoPay is back", async () => {
    await emu.fault("/online/v1/payment/ready", "timeout", 10_000, 30_000);
    const { users, results } = await rush();

    expectAnsweredInTime(results);
    expect(results.filter((r) => payLink(r.answer))).toHaveLength(0);
    expect(guard.peakInFlight()).toBeLessThanOrEqual(guard.maxConcurrent);
    expect(guard.inFlight()).toBe(0);
    expect(guard.state()).toBe("open");

    // While open, the next customer is answered at once and KakaoPay is not called.
    const seen = emu.state.payments.size;
    const late = await timedPlace(users[0]!);
    expect(said(late.answer)).toBe(PAY_DOWN);
    expect(late.answer.template.quickReplies?.length).toBeGreaterThan(0);
    expect(emu.state.payments.size).toBe(seen);

    expect(await health()).toEqual({
      status: 200,
      body: { ok: true, redis: true, sqlite: true, kakaopay: "open" },
    });
    const metrics = await (await t.app.request("/metrics", { headers: operator })).text();
    expect(metrics).toMatch(/\nkakaopay_breaker_state 2\n/);
    expect(metrics).toMatch(/\nkakaopay_calls_in_flight 0\n/);
    expect(metrics).toMatch(/kakaopay_calls_refused_total\{reason="busy"\} \d+/);

    await kakaoPayRecovers();
    const again = await timedPlace(users[1]!);
    expect(payLink(again.answer)).toStartWith(emu.url);
    expect(guard.state()).toBe("closed");
    expect((await health()).body.kakaopay).toBe("closed");
  }, 30_000);

  test("KakaoPay slow (2.5 s a call): those in flight are served, the rest are told at once; the breaker stays closed", async () => {
    await emu.fault("/online/v1/payment/ready", "slow", 10_000, 2500);
    const { users, results } = await rush();

    expectAnsweredInTime(results);
    const served = results.filter((r) => payLink(r.answer));
    expect(served.length).toBeGreaterThan(0);
    expect(served.length).toBeLessThanOrEqual(guard.maxConcurrent);
    expect(guard.peakInFlight()).toBeLessThanOrEqual(guard.maxConcurrent);
    expect(guard.state()).toBe("closed");

    await kakaoPayRecovers();
    const turnedAway = users.filter((_, i) => !payLink(results[i]!.answer));
    const again = await timedPlace(turnedAway[0]!);
    expect(payLink(again.answer)).toStartWith(emu.url);
  }, 30_000);

  test("KakaoPay answers 5xx: the breaker opens after a few failures and the rest are told at once", async () => {
    await emu.fault("/online/v1/payment/ready", "5xx", 10_000);
    const before = emu.state.payments.size;
    const { users, results } = await rush();

    expectAnsweredInTime(results);
    expect(results.filter((r) => payLink(r.answer))).toHaveLength(0);
    expect(guard.state()).toBe("open");
    expect(emu.state.payments.size).toBe(before);

    await kakaoPayRecovers();
    const again = await timedPlace(users[RUSH - 1]!);
    expect(payLink(again.answer)).toStartWith(emu.url);
    expect(guard.state()).toBe("closed");
  }, 30_000);

  test("a payment approved while KakaoPay is down backs off and is completed once it is back", async () => {
    const shop = await openShop(t.deps);
    const customer = `payer-${++n}`;
    await addToCart(t.deps, customer, { itemId: shop.itemIds[0]!, qty: 1, options: {} });
    const card = await timedPlace(customer);
    expect(payLink(card.answer)).toStartWith(emu.url);
    const tid = [...emu.state.payments.values()].find((p) => p.partner_user_id === customer)!.tid;
    const approvalUrl = new URL(await emu.customerApproves(tid));

    // KakaoPay goes down; a few failed orders open the breaker.
    await emu.fault("/online/v1/payment/*", "5xx", 10_000);
    for (let i = 0; i < 5; i++) {
      const other = `payer-${++n}`;
      await addToCart(t.deps, other, { itemId: shop.itemIds[0]!, qty: 1, options: {} });
      await timedPlace(other);
    }
    expect(guard.state()).toBe("open");

    // The customer lands on our approval page: told to wait, not left hanging.
    const started = performance.now();
    const page = await t.app.request(approvalUrl.pathname + approvalUrl.search);
    expect(performance.now() - started).toBeLessThan(KAKAO_LIMIT_MS);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("결제를 확인하고 있어요");
    const orderOf = async () =>
      (await t.deps.db.select().from(orders).where(eq(orders.botUserKey, customer)))[0]!;
    expect((await orderOf()).status).toBe("PENDING_PAYMENT");
    expect((await emu.payment(tid)).capture_count).toBe(0);
    expect((await t.deps.queues.payment.getDelayed()).length).toBe(1);

    // KakaoPay is back: the job's next retry captures and the order is paid, once.
    emu.state.faults.clear();
    await until(async () => (await orderOf()).status === "PAID", 25_000);
    expect((await emu.payment(tid)).capture_count).toBe(1);
    const reload = await t.app.request(approvalUrl.pathname + approvalUrl.search);
    const html = await reload.text();
    expect(html).toContain("결제가 완료됐어요");
    expect(html).toContain(String((await orderOf()).pickupNumber));
    expect(guard.state()).toBe("closed");
  }, 45_000);
});
