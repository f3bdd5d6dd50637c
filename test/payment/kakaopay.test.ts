import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { startEmulator } from "../../src/emulator/emulator.ts";
import { createEventApi, EventApiError, EventApiUnavailable } from "../../src/kakao/eventApi.ts";
import {
  createKakaoPay,
  KakaoPayCode,
  KakaoPayError,
  type KakaoPayOptions,
  KakaoPayUnavailable,
} from "../../src/payment/kakaopay.ts";

const emu = startEmulator({
  port: 0,
  secretKey: "sk-test",
  restApiKey: "rest-test",
  botId: "bot-1",
});
afterAll(() => emu.stop());
beforeEach(() => emu.state.reset());

const kakaopay = createKakaoPay({ baseUrl: emu.url, secretKey: "sk-test", cid: "TC0ONETIME" });
const SHOP = "http://shop.test/pay/kakaopay/o-1";
const readyInput = {
  partnerOrderId: "o-1",
  partnerUserId: "bot-user-1",
  itemName: "카페라떼",
  quantity: 1,
  totalAmount: 5000,
  approvalUrl: `${SHOP}/approve`,
  cancelUrl: `${SHOP}/cancel`,
  failUrl: `${SHOP}/fail`,
};

function fault(body: Record<string, unknown>) {
  return fetch(`${emu.url}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** The customer's 결제하기, as their browser would press it; the token is in the redirect. */
async function customerApproves(tid: string) {
  const res = await fetch(`${emu.url}/_emulator/payments/${tid}/approve`, {
    method: "POST",
    redirect: "manual",
  });
  expect(res.status).toBe(303);
  return new URL(res.headers.get("location") ?? "").searchParams.get("pg_token") ?? "";
}

async function readyAndApproved() {
  const { tid } = await kakaopay.ready(readyInput);
  const pgToken = await customerApproves(tid);
  return {
    tid,
    pgToken,
    approve: { tid, partnerOrderId: "o-1", partnerUserId: "bot-user-1", pgToken },
  };
}

describe("KakaoPay client", () => {
  test("ready → customer approves → approve → order says SUCCESS_PAYMENT", async () => {
    const ready = await kakaopay.ready(readyInput);
    expect(ready.next_redirect_mobile_url).toBe(`${emu.url}/_emulator/pay/${ready.tid}`);
    const pgToken = await customerApproves(ready.tid);

    const approved = await kakaopay.approve({
      tid: ready.tid,
      partnerOrderId: "o-1",
      partnerUserId: "bot-user-1",
      pgToken,
      totalAmount: 5000,
    });
    expect(approved).toMatchObject({
      tid: ready.tid,
      partner_order_id: "o-1",
      amount: { total: 5000 },
    });

    const order = await kakaopay.order(ready.tid);
    expect(order.status).toBe("SUCCESS_PAYMENT");
    expect(order.payment_action_details?.[0]?.payment_action_type).toBe("PAYMENT");
  });

  test("cancel refunds; a second full cancel is a typed refusal", async () => {
    const { tid, approve } = await readyAndApproved();
    await kakaopay.approve(approve);
    const canceled = await kakaopay.cancel({
      tid,
      cancelAmount: 5000,
      cancelAvailableAmount: 5000,
    });
    expect(canceled.status).toBe("CANCEL_PAYMENT");
    expect(canceled.canceled_amount.total).toBe(5000);
    const again = await kakaopay.cancel({ tid, cancelAmount: 5000 }).catch((e) => e);
    expect(again).toBeInstanceOf(KakaoPayError);
    expect(again.code).toBe(KakaoPayCode.cancelExceedsAvailable);
  });

  test("a decline is a KakaoPayError with KakaoPay's code, message and extras", async () => {
    const { approve } = await readyAndApproved();
    await fault({ path: "/online/v1/payment/approve", mode: "decline", times: 1 });
    const err = await kakaopay.approve(approve).catch((e) => e);
    expect(err).toBeInstanceOf(KakaoPayError);
    expect(err).toMatchObject({
      op: "approve",
      httpStatus: 400,
      code: KakaoPayCode.approvalFailure,
      message: "approval failure!",
      extras: { method_result_code: "EMULATED_DECLINE" },
    });
  });

  test("a second approve is refused as already approved", async () => {
    const { approve } = await readyAndApproved();
    await kakaopay.approve(approve);
    const err = await kakaopay.approve(approve).catch((e) => e);
    expect(err).toBeInstanceOf(KakaoPayError);
    expect(err.code).toBe(KakaoPayCode.alreadyApproved);
  });

  test("a wrong secret key is a KakaoPayError 401", async () => {
    const wrong = createKakaoPay({ baseUrl: emu.url, secretKey: "nope", cid: "TC0ONETIME" });
    const err = await wrong.ready(readyInput).catch((e) => e);
    expect(err).toBeInstanceOf(KakaoPayError);
    expect(err).toMatchObject({ httpStatus: 401, code: KakaoPayCode.invalidSecretKey });
  });

  test("5xx is KakaoPayUnavailable (outcome unknown), and order tells the truth", async () => {
    const { tid, approve } = await readyAndApproved();
    await fault({ path: "/online/v1/payment/approve", mode: "5xx", times: 1 });
    const err = await kakaopay.approve(approve).catch((e) => e);
    expect(err).toBeInstanceOf(KakaoPayUnavailable);
    expect(err).toMatchObject({ reason: "server_error", httpStatus: 500 });
    expect(err.message).toContain("HTTP 500");
    expect((await kakaopay.order(tid)).status).toBe("AUTH_PASSWORD");
  });

  test("a hung KakaoPay is KakaoPayUnavailable after timeoutMs", async () => {
    const quick = createKakaoPay({
      baseUrl: emu.url,
      secretKey: "sk-test",
      cid: "TC0ONETIME",
      timeoutMs: 150,
    });
    await fault({ path: "/online/v1/payment/ready", mode: "timeout", times: 1 });
    const started = performance.now();
    const err = await quick.ready(readyInput).catch((e) => e);
    expect(err).toBeInstanceOf(KakaoPayUnavailable);
    expect(err.reason).toBe("timeout");
    expect(err.message).toContain("timed out after 150 ms");
    expect(performance.now() - started).toBeLessThan(1500);
  });

  test("an unreachable KakaoPay is KakaoPayUnavailable (network)", async () => {
    const gone = createKakaoPay({
      baseUrl: "http://127.0.0.1:1",
      secretKey: "x",
      cid: "TC0ONETIME",
    });
    const err = await gone.order("T1").catch((e) => e);
    expect(err).toBeInstanceOf(KakaoPayUnavailable);
    expect(err.reason).toBe("network");
  });
});

describe("KakaoPay client guard: bounded calls, circuit breaker", () => {
  const guarded = (opts: Partial<KakaoPayOptions>) =>
    createKakaoPay({ baseUrl: emu.url, secretKey: "sk-test", cid: "TC0ONETIME", ...opts });
  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => "ok",
      (e) => (e instanceof KakaoPayUnavailable ? e.reason : "refused"),
    );

  test("the default timeout leaves room inside Kakao's 5 s skill limit", async () => {
    await fault({ path: "/online/v1/payment/ready", mode: "timeout", times: 1, delayMs: 10_000 });
    const err = await guarded({})
      .ready(readyInput)
      .catch((e) => e);
    expect(err).toBeInstanceOf(KakaoPayUnavailable);
    expect(err.message).toContain("timed out after 3000 ms");
  });

  test("beyond maxConcurrent calls (and a short wait line) calls fail at once as busy", async () => {
    const client = guarded({ maxConcurrent: 4, queueWaitMs: 100 });
    await fault({ path: "/online/v1/payment/ready", mode: "slow", times: 100, delayMs: 800 });
    const order: string[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        outcome(client.ready(readyInput)).then((r) => {
          order.push(r);
          return r;
        }),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(4);
    expect(results.filter((r) => r === "busy")).toHaveLength(16);
    expect(client.guard.peakInFlight()).toBe(4);
    expect(client.guard.inFlight()).toBe(0);
    // The refused calls did not wait for the slow ones.
    expect(order.slice(0, 16).every((r) => r === "busy")).toBe(true);
    // Busy is our own limit, not KakaoPay failing.
    expect(client.guard.state()).toBe("closed");
    expect(emu.state.payments.size).toBe(4);
  });

  test("a waiting call takes the first slot that frees up", async () => {
    const client = guarded({ maxConcurrent: 1, queueWaitMs: 2000 });
    await fault({ path: "/online/v1/payment/ready", mode: "slow", times: 1, delayMs: 300 });
    const results = await Promise.all([
      outcome(client.ready(readyInput)),
      outcome(client.ready(readyInput)),
    ]);
    expect(results).toEqual(["ok", "ok"]);
    expect(client.guard.peakInFlight()).toBe(1);
  });

  test("a call that waited for a slot gets only what is left of its timeout", async () => {
    const client = guarded({ maxConcurrent: 1, timeoutMs: 1000, queueWaitMs: 500 });
    await fault({ path: "/online/v1/payment/order", mode: "slow", times: 1, delayMs: 300 });
    await fault({ path: "/online/v1/payment/ready", mode: "timeout", times: 1, delayMs: 5000 });
    const first = client.order("T-1").catch((e) => e);
    const waited = await client.ready(readyInput).catch((e) => e);
    await first;
    expect(waited).toBeInstanceOf(KakaoPayUnavailable);
    expect(waited.reason).toBe("timeout");
    const allowed = Number(waited.message.match(/after (\d+) ms/)?.[1]);
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThan(1000);
  });

  test("N failures in a row open the breaker: calls are refused without reaching KakaoPay; after the cool-down one trial closes it", async () => {
    const client = guarded({ breakerFailures: 3, breakerCoolDownMs: 300 });
    await fault({ path: "/online/v1/payment/ready", mode: "5xx", times: 3 });
    for (let i = 0; i < 3; i++)
      expect(await outcome(client.ready(readyInput))).toBe("server_error");
    expect(client.guard.state()).toBe("open");
    expect(client.guard.refusing()).toBe(true);

    expect(await outcome(client.ready(readyInput))).toBe("circuit_open");
    expect(await outcome(client.order("T-any"))).toBe("circuit_open");
    expect(emu.state.payments.size).toBe(0);

    await Bun.sleep(350);
    expect(client.guard.state()).toBe("half_open");
    expect(await outcome(client.ready(readyInput))).toBe("ok");
    expect(client.guard.state()).toBe("closed");
    expect(await outcome(client.ready(readyInput))).toBe("ok");
  });

  test("half-open: one trial at a time; a failed trial opens the breaker again", async () => {
    const client = guarded({ breakerFailures: 1, breakerCoolDownMs: 200 });
    await fault({ path: "/online/v1/payment/ready", mode: "5xx", times: 1 });
    expect(await outcome(client.ready(readyInput))).toBe("server_error");
    await Bun.sleep(250);
    await fault({ path: "/online/v1/payment/ready", mode: "timeout", times: 1, delayMs: 400 });
    const trial = outcome(client.ready(readyInput));
    expect(await outcome(client.ready(readyInput))).toBe("circuit_open");
    expect(await trial).toBe("server_error");
    expect(client.guard.state()).toBe("open");
    await Bun.sleep(250);
    expect(await outcome(client.ready(readyInput))).toBe("ok");
    expect(client.guard.state()).toBe("closed");
  });

  test("timeouts count as failures; refusals (KakaoPay answered) do not", async () => {
    const wrongKey = createKakaoPay({
      baseUrl: emu.url,
      secretKey: "nope",
      cid: "TC0ONETIME",
      breakerFailures: 2,
    });
    for (let i = 0; i < 5; i++) expect(await outcome(wrongKey.ready(readyInput))).toBe("refused");
    expect(wrongKey.guard.state()).toBe("closed");

    const client = guarded({ breakerFailures: 2, timeoutMs: 100 });
    await fault({ path: "/online/v1/payment/order", mode: "timeout", times: 2, delayMs: 2000 });
    expect(await outcome(client.order("T-1"))).toBe("timeout");
    expect(await outcome(client.order("T-1"))).toBe("timeout");
    expect(client.guard.state()).toBe("open");
  });

  test("half the recent calls failing opens the breaker even without a long run of failures", async () => {
    const client = guarded({ breakerFailures: 100 });
    for (let i = 0; i < 10; i++) {
      expect(client.guard.state()).toBe("closed");
      expect(await outcome(client.ready(readyInput))).toBe("ok");
      await fault({ path: "/online/v1/payment/ready", mode: "5xx", times: 1 });
      expect(await outcome(client.ready(readyInput))).toBe("server_error");
    }
    expect(client.guard.state()).toBe("open");
    expect(await outcome(client.ready(readyInput))).toBe("circuit_open");
  });
});

describe("Event API client", () => {
  const eventApi = createEventApi({ baseUrl: emu.url, restApiKey: "rest-test", botId: "bot-1" });

  test("send is recorded by the emulator", async () => {
    const sent = await eventApi.send({
      eventName: "order_ready",
      botUserKey: "bot-user-1",
      data: { pickupNumber: 12 },
    });
    expect(sent).toEqual({ taskId: expect.any(String), status: "SUCCESS" });
    const { events } = await (await fetch(`${emu.url}/_emulator/events?userId=bot-user-1`)).json();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      taskId: sent.taskId,
      botId: "bot-1",
      event: { name: "order_ready", data: { pickupNumber: 12 } },
      user: [{ type: "botUserKey", id: "bot-user-1" }],
    });
  });

  test("a wrong key is EventApiError; 5xx and timeouts are EventApiUnavailable", async () => {
    const wrong = createEventApi({ baseUrl: emu.url, restApiKey: "nope", botId: "bot-1" });
    const refused = await wrong.send({ eventName: "x", botUserKey: "u" }).catch((e) => e);
    expect(refused).toBeInstanceOf(EventApiError);
    expect(refused.httpStatus).toBe(401);

    await fault({ path: "/v2/bots/bot-1/talk", mode: "5xx", times: 1 });
    const down = await eventApi.send({ eventName: "x", botUserKey: "u" }).catch((e) => e);
    expect(down).toBeInstanceOf(EventApiUnavailable);
    expect(down.reason).toBe("server_error");

    const quick = createEventApi({
      ...{ baseUrl: emu.url, restApiKey: "rest-test", botId: "bot-1" },
      timeoutMs: 100,
    });
    await fault({ path: "/v2/bots/bot-1/talk", mode: "timeout", times: 1 });
    const hung = await quick.send({ eventName: "x", botUserKey: "u" }).catch((e) => e);
    expect(hung).toBeInstanceOf(EventApiUnavailable);
    expect(hung.reason).toBe("timeout");
    expect(emu.state.events).toHaveLength(0);
  });
});
