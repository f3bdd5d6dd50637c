import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { startEmulator } from "../../src/emulator/emulator.ts";
import { KakaoPayCode } from "../../src/payment/kakaopayErrors.ts";

const SECRET = "test-secret-key";
const REST = "test-rest-key";
const emu = startEmulator({ port: 0, secretKey: SECRET, restApiKey: REST, botId: "bot-1" });
afterAll(() => emu.stop());
beforeEach(async () => {
  await fetch(`${emu.url}/_emulator/reset`, { method: "POST" });
});

const SHOP = "http://shop.test/pay/kakaopay/order-1";
const readyBody = (over: Record<string, unknown> = {}) => ({
  cid: "TC0ONETIME",
  partner_order_id: "order-1",
  partner_user_id: "user-1",
  item_name: "아메리카노 외 1건",
  quantity: 2,
  total_amount: 4500,
  tax_free_amount: 0,
  approval_url: `${SHOP}/approve`,
  cancel_url: `${SHOP}/cancel`,
  fail_url: `${SHOP}/fail`,
  ...over,
});

function pay(op: string, body: unknown, opts: { auth?: string; form?: boolean } = {}) {
  const form = opts.form && body && typeof body === "object";
  return fetch(`${emu.url}/online/v1/payment/${op}`, {
    method: "POST",
    headers: {
      authorization: opts.auth ?? `SECRET_KEY ${SECRET}`,
      "content-type": form ? "application/x-www-form-urlencoded" : "application/json",
    },
    body: form
      ? new URLSearchParams(body as Record<string, string>).toString()
      : JSON.stringify(body),
  });
}

async function ok<T = Record<string, unknown>>(res: Response | Promise<Response>): Promise<T> {
  const r = await res;
  const body = await r.json();
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${JSON.stringify(body)}`);
  return body as T;
}

async function refused(res: Response | Promise<Response>, status = 400) {
  const r = await res;
  expect(r.status).toBe(status);
  return (await r.json()) as { error_code: number; error_message: string; extras?: unknown };
}

const control = (tid: string, action: string) =>
  fetch(`${emu.url}/_emulator/payments/${tid}/${action}`, { method: "POST", redirect: "manual" });
const view = async (tid: string) =>
  (await fetch(`${emu.url}/_emulator/payments/${tid}`)).json() as Promise<Record<string, unknown>>;
const fault = (body: Record<string, unknown>) =>
  fetch(`${emu.url}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

async function ready(over: Record<string, unknown> = {}) {
  return ok<{ tid: string; next_redirect_mobile_url: string }>(pay("ready", readyBody(over)));
}

/** ready + the customer's 결제하기: returns the tid and the pg_token from the redirect. */
async function authorized(over: Record<string, unknown> = {}) {
  const { tid } = await ready(over);
  const res = await control(tid, "approve");
  const pgToken = new URL(res.headers.get("location") ?? "").searchParams.get("pg_token") ?? "";
  return { tid, pgToken };
}

const approveBody = (tid: string, pgToken: string, over: Record<string, unknown> = {}) => ({
  cid: "TC0ONETIME",
  tid,
  partner_order_id: "order-1",
  partner_user_id: "user-1",
  pg_token: pgToken,
  ...over,
});

const cancelBody = (tid: string, amount: number) => ({
  cid: "TC0ONETIME",
  tid,
  cancel_amount: amount,
  cancel_tax_free_amount: 0,
});

describe("KakaoPay payment flow", () => {
  test("ready → page → customer approves → approve API captures once", async () => {
    const r = await ready();
    expect(r.tid).toMatch(/^T\d{19}$/);
    expect(r.next_redirect_mobile_url).toBe(`${emu.url}/_emulator/pay/${r.tid}`);

    const page = await fetch(r.next_redirect_mobile_url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("4,500원");
    expect(html).toContain("아메리카노 외 1건");
    expect(html).toContain("결제하기");

    const redirect = await control(r.tid, "approve");
    expect(redirect.status).toBe(303);
    const location = new URL(redirect.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(`${SHOP}/approve`);
    const pgToken = location.searchParams.get("pg_token") ?? "";
    expect(pgToken).toMatch(/^[0-9a-f]{20}$/);
    expect((await view(r.tid)).status).toBe("AUTH_PASSWORD");

    const approved = await ok<Record<string, unknown>>(pay("approve", approveBody(r.tid, pgToken)));
    expect(approved.aid).toMatch(/^A\d{19}$/);
    expect(approved.amount).toEqual({
      total: 4500,
      tax_free: 0,
      vat: 409,
      point: 0,
      discount: 0,
      green_deposit: 0,
    });
    expect(await view(r.tid)).toMatchObject({
      status: "SUCCESS_PAYMENT",
      approve_count: 1,
      capture_count: 1,
      pg_token: pgToken,
    });

    const order = await ok<Record<string, unknown>>(
      pay("order", { cid: "TC0ONETIME", tid: r.tid }),
    );
    expect(order).toMatchObject({ status: "SUCCESS_PAYMENT", partner_order_id: "order-1" });
    expect(order.payment_action_details).toHaveLength(1);
  });

  test("a second approve is refused as already approved and never captures again", async () => {
    const { tid, pgToken } = await authorized();
    await ok(pay("approve", approveBody(tid, pgToken)));
    const again = await refused(pay("approve", approveBody(tid, pgToken)));
    expect(again.error_code).toBe(KakaoPayCode.alreadyApproved);
    expect(await view(tid)).toMatchObject({ approve_count: 2, capture_count: 1 });
  });

  test("concurrent approves capture once", async () => {
    const { tid, pgToken } = await authorized();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => pay("approve", approveBody(tid, pgToken))),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(await view(tid)).toMatchObject({ approve_count: 5, capture_count: 1 });
  });

  test("approve before the customer approved, or with a wrong token or order, is refused", async () => {
    const { tid } = await ready();
    const early = await refused(pay("approve", approveBody(tid, "whatever")));
    expect(early.error_code).toBe(KakaoPayCode.notAuthenticated);

    const pgToken = new URL(
      (await control(tid, "approve")).headers.get("location") ?? "",
    ).searchParams.get("pg_token") as string;
    const wrongToken = await refused(pay("approve", approveBody(tid, "0".repeat(20))));
    expect(wrongToken.error_code).toBe(KakaoPayCode.requestMismatch);
    const wrongOrder = await refused(
      pay("approve", approveBody(tid, pgToken, { partner_order_id: "order-2" })),
    );
    expect(wrongOrder.error_code).toBe(KakaoPayCode.requestMismatch);
    const wrongTotal = await refused(
      pay("approve", approveBody(tid, pgToken, { total_amount: 1 })),
    );
    expect(wrongTotal.error_message).toContain("total_amount");
    expect((await view(tid)).capture_count).toBe(0);

    await ok(pay("approve", approveBody(tid, pgToken, { total_amount: 4500 })));
    expect((await view(tid)).capture_count).toBe(1);
  });

  test("a wrong or missing secret key is a 401 with KakaoPay's error body", async () => {
    for (const auth of ["SECRET_KEY wrong", "", `KakaoAK ${SECRET}`]) {
      const body = await refused(pay("ready", readyBody(), { auth }), 401);
      expect(body.error_code).toBe(KakaoPayCode.invalidSecretKey);
      expect(body.error_message).toBeString();
    }
    expect(
      await refused(pay("order", { cid: "TC0ONETIME", tid: "T1" }, { auth: "x" }), 401),
    ).toMatchObject({ error_code: -401 });
  });

  test("accepts the docs' JSON (numbers as strings) and form-encoded bodies", async () => {
    const strings = await ready({ quantity: "1", total_amount: "2200", vat_amount: "200" });
    expect(strings.tid).toMatch(/^T\d{19}$/);
    const form = readyBody({ quantity: "1", total_amount: "2200", tax_free_amount: "0" });
    const viaForm = await ok<{ tid: string }>(pay("ready", form, { form: true }));
    expect((await view(viaForm.tid)).total_amount).toBe(2200);
  });

  test("invalid ready requests are 400 with a field message, never 5xx", async () => {
    const cases: [Record<string, unknown>, number][] = [
      [{ cid: "NOPE000000" }, KakaoPayCode.invalidCid],
      [{ total_amount: 0 }, KakaoPayCode.invalidParameter],
      [{ total_amount: "12.5" }, KakaoPayCode.invalidParameter],
      [{ tax_free_amount: 5000 }, KakaoPayCode.invalidParameter],
      [{ approval_url: undefined }, KakaoPayCode.invalidParameter],
      [{ approval_url: "javascript:alert(1)" }, KakaoPayCode.invalidParameter],
      [{ item_name: "" }, KakaoPayCode.invalidParameter],
    ];
    for (const [over, code] of cases) {
      const body = await refused(pay("ready", readyBody(over)));
      expect(body.error_code).toBe(code);
    }
    const broken = await fetch(`${emu.url}/online/v1/payment/ready`, {
      method: "POST",
      headers: { authorization: `SECRET_KEY ${SECRET}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect((await refused(broken)).error_code).toBe(KakaoPayCode.invalidParameter);
    const unknownTid = await refused(
      pay("order", { cid: "TC0ONETIME", tid: "T0000000000000000000" }),
    );
    expect(unknownTid.error_code).toBe(KakaoPayCode.invalidTid);
  });
});

describe("KakaoPay cancel", () => {
  async function captured() {
    const { tid, pgToken } = await authorized();
    await ok(pay("approve", approveBody(tid, pgToken)));
    return tid;
  }

  test("a full cancel → CANCEL_PAYMENT; cancelling more than is left is refused", async () => {
    const tid = await captured();
    const canceled = await ok<Record<string, unknown>>(pay("cancel", cancelBody(tid, 4500)));
    expect(canceled).toMatchObject({
      status: "CANCEL_PAYMENT",
      canceled_amount: { total: 4500, vat: 409 },
      cancel_available_amount: { total: 0, vat: 0 },
    });
    const again = await refused(pay("cancel", cancelBody(tid, 4500)));
    expect(again.error_code).toBe(KakaoPayCode.cancelExceedsAvailable);
    expect(await view(tid)).toMatchObject({
      status: "CANCEL_PAYMENT",
      cancel_count: 1,
      cancel_call_count: 2,
      canceled_amount: 4500,
    });
  });

  test("a partial cancel → PART_CANCEL_PAYMENT, then the rest → CANCEL_PAYMENT", async () => {
    const tid = await captured();
    const part = await ok<Record<string, unknown>>(pay("cancel", cancelBody(tid, 1000)));
    expect(part).toMatchObject({
      status: "PART_CANCEL_PAYMENT",
      canceled_amount: { total: 1000 },
      cancel_available_amount: { total: 3500 },
    });
    expect((await refused(pay("cancel", cancelBody(tid, 3501)))).error_code).toBe(
      KakaoPayCode.cancelExceedsAvailable,
    );
    await ok(pay("cancel", cancelBody(tid, 3500)));
    const order = await ok<Record<string, unknown>>(pay("order", { cid: "TC0ONETIME", tid }));
    expect(order).toMatchObject({ status: "CANCEL_PAYMENT", canceled_amount: { total: 4500 } });
    expect(order.payment_action_details).toHaveLength(3);
  });

  test("a payment that was never approved cannot be cancelled", async () => {
    const { tid } = await ready();
    expect((await refused(pay("cancel", cancelBody(tid, 100)))).error_code).toBe(
      KakaoPayCode.cancelFailure,
    );
  });
});

describe("the customer's cancel and fail buttons", () => {
  test("cancel → 303 to cancel_url, QUIT_PAYMENT, and the page closes", async () => {
    const { tid } = await ready();
    const res = await control(tid, "cancel");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${SHOP}/cancel`);
    expect((await view(tid)).status).toBe("QUIT_PAYMENT");
    expect(await (await fetch(`${emu.url}/_emulator/pay/${tid}`)).text()).not.toContain("결제하기");
    expect((await control(tid, "approve")).status).toBe(409);
  });

  test("fail → 303 to fail_url and FAIL_PAYMENT; approve is then refused", async () => {
    const { tid } = await ready();
    const res = await control(tid, "fail");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${SHOP}/fail`);
    expect((await view(tid)).status).toBe("FAIL_PAYMENT");
    const body = await refused(pay("approve", approveBody(tid, "x")));
    expect(body.error_code).toBe(KakaoPayCode.notApprovable);
  });

  test("unknown payments: page 404, control 404, unknown action 404", async () => {
    expect((await fetch(`${emu.url}/_emulator/pay/T404`)).status).toBe(404);
    expect((await control("T404", "approve")).status).toBe(404);
    expect((await fetch(`${emu.url}/_emulator/payments/T404`)).status).toBe(404);
    const { tid } = await ready();
    expect((await control(tid, "steal")).status).toBe(404);
  });

  test("payments are listed by partner_order_id", async () => {
    await ready();
    await ready({ partner_order_id: "order-2" });
    const all = await (await fetch(`${emu.url}/_emulator/payments`)).json();
    expect(all.payments).toHaveLength(2);
    const one = await (
      await fetch(`${emu.url}/_emulator/payments?partner_order_id=order-2`)
    ).json();
    expect(one.payments).toHaveLength(1);
    expect(one.payments[0].partner_order_id).toBe("order-2");
  });
});

describe("faults", () => {
  test("5xx for `times` calls, then normal", async () => {
    expect((await fault({ path: "/online/v1/payment/ready", mode: "5xx", times: 2 })).status).toBe(
      201,
    );
    for (let i = 0; i < 2; i++) {
      const res = await pay("ready", readyBody());
      expect(res.status).toBe(500);
      expect((await res.json()).error_code).toBeNumber();
    }
    await ready();
    expect(emu.state.payments.size).toBe(1);
  });

  test("slow delays the answer, then answers normally", async () => {
    await fault({ path: "/online/v1/payment/ready", mode: "slow", times: 1, delayMs: 300 });
    let started = performance.now();
    await ready();
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    started = performance.now();
    await ready();
    expect(performance.now() - started).toBeLessThan(250);
  });

  test("decline on approve is KakaoPay's approval failure and nothing is captured", async () => {
    const { tid, pgToken } = await authorized();
    await fault({ path: "/online/v1/payment/approve", mode: "decline", times: 1 });
    const body = await refused(pay("approve", approveBody(tid, pgToken)));
    expect(body).toMatchObject({
      error_code: KakaoPayCode.approvalFailure,
      error_message: "approval failure!",
      extras: { method_result_code: "EMULATED_DECLINE" },
    });
    expect(await view(tid)).toMatchObject({ status: "FAIL_PAYMENT", capture_count: 0 });
  });

  test("decline on ready and cancel refuses `times` calls, then normal", async () => {
    await fault({ path: "/online/v1/payment/ready", mode: "decline", times: 1 });
    expect((await refused(pay("ready", readyBody()))).error_code).toBeNumber();
    const { tid, pgToken } = await authorized();
    await ok(pay("approve", approveBody(tid, pgToken)));
    await fault({ path: "/online/v1/payment/cancel", mode: "decline", times: 1 });
    const body = await refused(pay("cancel", cancelBody(tid, 4500)));
    expect(body.error_code).toBe(KakaoPayCode.cancelFailure);
    expect((await view(tid)).status).toBe("SUCCESS_PAYMENT");
    await ok(pay("cancel", cancelBody(tid, 4500)));
  });

  test("timeout holds the request until the client gives up; the next call is normal", async () => {
    const { tid } = await ready();
    await fault({ path: "/online/v1/payment/order", mode: "timeout", times: 1 });
    const order = { cid: "TC0ONETIME", tid };
    const started = performance.now();
    const hung = fetch(`${emu.url}/online/v1/payment/order`, {
      method: "POST",
      headers: { authorization: `SECRET_KEY ${SECRET}`, "content-type": "application/json" },
      body: JSON.stringify(order),
      signal: AbortSignal.timeout(200),
    });
    expect(hung).rejects.toThrow();
    await hung.catch(() => {});
    expect(performance.now() - started).toBeLessThan(2000);
    await Bun.sleep(50);
    expect(emu.state.holds.size).toBe(0); // the client's abort ended the hold
    expect((await ok(pay("order", order))).status).toBe("READY");
  });

  test("faults are validated and a * matches one path segment", async () => {
    const bad = await fault({ path: "online", mode: "boom" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe("invalid_input");
    await fault({ path: "/v2/bots/*/talk", mode: "5xx", times: 1 });
    const listed = await (await fetch(`${emu.url}/_emulator/faults`)).json();
    expect(listed.faults).toEqual([
      { path: "/v2/bots/*/talk", mode: "5xx", remaining: 1, delayMs: 3000 },
    ]);
    expect(
      (await talk({ event: { name: "x" }, user: [{ type: "botUserKey", id: "u" }] })).status,
    ).toBe(500);
  });
});

function talk(body: unknown, opts: { auth?: string; bot?: string } = {}) {
  return fetch(`${emu.url}/v2/bots/${opts.bot ?? "bot-1"}/talk`, {
    method: "POST",
    headers: { authorization: opts.auth ?? `KakaoAK ${REST}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("Event API", () => {
  const event = (id: string, name = "order_ready") => ({
    event: { name, data: { pickupNumber: 7 } },
    user: [{ type: "botUserKey", id }],
  });

  test("records every call, oldest first, filtered by user", async () => {
    const first = await talk(event("user-a"));
    expect(first.status).toBe(200);
    const answer = await first.json();
    expect(answer).toEqual({ taskId: expect.any(String), status: "SUCCESS" });
    await talk(event("user-b", "order_canceled"));
    await talk(event("user-a", "order_canceled"));

    const all = (await (await fetch(`${emu.url}/_emulator/events`)).json()).events;
    expect(all.map((e: { event: { name: string } }) => e.event.name)).toEqual([
      "order_ready",
      "order_canceled",
      "order_canceled",
    ]);
    expect(all[0]).toMatchObject({
      botId: "bot-1",
      taskId: answer.taskId,
      event: { name: "order_ready", data: { pickupNumber: 7 } },
      user: [{ type: "botUserKey", id: "user-a" }],
    });
    const mine = (await (await fetch(`${emu.url}/_emulator/events?userId=user-a`)).json()).events;
    expect(mine).toHaveLength(2);
  });

  test("a wrong key is 401, an unknown bot 404, a bad body 400; none is recorded", async () => {
    expect((await talk(event("u"), { auth: "KakaoAK wrong" })).status).toBe(401);
    expect((await talk(event("u"), { auth: `SECRET_KEY ${REST}` })).status).toBe(401);
    expect((await talk(event("u"), { bot: "other-bot" })).status).toBe(404);
    const bad = [
      "{oops",
      { user: [{ type: "botUserKey", id: "u" }] },
      { event: { name: "x" }, user: [] },
      { event: { name: "x" }, user: [{ type: "email", id: "u" }] },
      {
        event: { name: "x" },
        user: Array.from({ length: 101 }, (_, i) => ({ type: "botUserKey", id: `u${i}` })),
      },
      {
        event: { name: "x" },
        user: [
          { type: "botUserKey", id: "u" },
          { type: "botUserKey", id: "u" },
        ],
      },
    ];
    for (const body of bad) {
      const res = await talk(body);
      expect(res.status).toBe(400);
      expect((await res.json()).status).toBe("ERROR");
    }
    expect(emu.state.events).toHaveLength(0);
  });
});

describe("reset and unknown routes", () => {
  test("reset forgets payments, events and faults", async () => {
    const { tid } = await ready();
    await talk({ event: { name: "x" }, user: [{ type: "botUserKey", id: "u" }] });
    await fault({ path: "/online/v1/payment/order", mode: "5xx", times: 5 });
    expect((await fetch(`${emu.url}/_emulator/reset`, { method: "POST" })).status).toBe(204);
    expect((await fetch(`${emu.url}/_emulator/payments/${tid}`)).status).toBe(404);
    expect((await (await fetch(`${emu.url}/_emulator/events`)).json()).events).toEqual([]);
    expect((await (await fetch(`${emu.url}/_emulator/faults`)).json()).faults).toEqual([]);
  });

  test("unknown paths are a JSON 404", async () => {
    const res = await fetch(`${emu.url}/nope`);
    expect(res.status).toBe(404);
    expect((await res.json()).error).toBe("not_found");
  });
});
