import { afterAll, describe, expect, test } from "bun:test";
import { createApp } from "../../src/app.ts";
import { buildDeps } from "../../src/bootstrap.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { manualClock } from "../../src/infra/clock.ts";
import { silentLogger } from "../../src/infra/logger.ts";
import { readCart } from "../../src/ordering/cart.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { openShop } from "../helpers/shop.ts";
import { callSkill, type SkillAnswer } from "../helpers/skill.ts";
import { makeTestDeps, redisUrl } from "../helpers/testDeps.ts";

const emu = startTestEmulator();
// A clock that stands still: "within 10 seconds" holds however slow this machine is.
const clock = manualClock();
const t = makeTestDeps({ env: { ...emu.env, LIMIT_PLACE_PER_STORE: "8/10s" }, clock });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

const TOO_FAST = "주문이 너무 빠르게 들어오고 있어요. 잠시 후 다시 시도해 주세요.";
const STORE_BUSY = "지금 이 가게에 주문이 몰리고 있어요. 잠시 후 다시 시도해 주세요.";
const ADD_TOO_FAST = "메뉴를 너무 빠르게 담고 있어요. 잠시 후 다시 담아 주세요.";

let n = 0;
const newUser = () => `limit-user-${++n}`;
type App = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

const add = (user: string, itemId: string, app: App = t.app) =>
  callSkill(app, "/cart/add", user, { clientExtra: { itemId } });
const place = (user: string, app: App = t.app) => callSkill(app, "/orders/place", user);

/** The payment link of a payment card; null for any other answer. */
const payLink = (a: SkillAnswer): string | null =>
  a.template.outputs[0]?.basicCard?.buttons?.find(
    (b: { label: string }) => b.label === "카카오페이 결제",
  )?.webLinkUrl ?? null;
const said = (a: SkillAnswer): string | undefined => a.template.outputs[0]?.simpleText?.text;
const readyCalls = (user: string) =>
  [...emu.state.payments.values()].filter((p) => p.partner_user_id === user).length;

describe("orders/place: per-customer limit", () => {
  test("a customer pressing 주문하기 100 times at once gets polite refusals; KakaoPay sees one ready call", async () => {
    const shop = await openShop(t.deps);
    const user = newUser();
    await add(user, shop.itemIds[0]!);

    const answers = await Promise.all(Array.from({ length: 100 }, () => place(user)));

    const refused = answers.filter((a) => said(a) === TOO_FAST);
    expect(refused).toHaveLength(95);
    expect(refused[0]!.template.quickReplies?.map((q) => q.label)).toEqual([
      "장바구니 보기",
      "주문 내역",
    ]);
    const links = new Set(answers.filter((a) => said(a) !== TOO_FAST).map(payLink));
    expect([...links]).toHaveLength(1);
    expect([...links][0]).toStartWith(emu.url);
    expect(readyCalls(user)).toBe(1);

    const metrics = await t.app.request("/metrics", {
      headers: { authorization: "Bearer test-operator-token" },
    });
    expect(await metrics.text()).toContain(
      'skill_requests_limited_total{scope="customer",skill="place"} 95',
    );
  });

  test("a double tap on 주문하기 shows the same payment card twice (one KakaoPay call)", async () => {
    const shop = await openShop(t.deps);
    const user = newUser();
    await add(user, shop.itemIds[0]!);
    const [first, second] = await Promise.all([place(user), place(user)]);
    expect(payLink(first!)).toBeString();
    expect(payLink(second!)).toBe(payLink(first!));
    const third = await place(user);
    expect(payLink(third)).toBe(payLink(first!));
    expect(readyCalls(user)).toBe(1);
  });

  test("changing the cart between presses: at most 5 ready calls in 10 s; after that the customer orders again", async () => {
    const shop = await openShop(t.deps);
    const user = newUser();
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      await add(user, shop.itemIds[0]!);
      const a = await place(user);
      outcomes.push(payLink(a) ? "card" : (said(a) ?? "?"));
    }
    expect(outcomes.filter((o) => o === "card")).toHaveLength(5);
    expect(outcomes.filter((o) => o === TOO_FAST)).toHaveLength(7);
    expect(readyCalls(user)).toBe(5);

    // The second visit: ten seconds later the same customer, same cart, is served.
    clock.advance(10_000);
    const later = await place(user);
    expect(payLink(later)).toBeString();
    expect(readyCalls(user)).toBe(6);
  });
});

describe("orders/place: per-store limit", () => {
  test("beyond the store's rate other customers hear the store is busy; another store is not affected", async () => {
    const busy = await openShop(t.deps);
    const quiet = await openShop(t.deps);
    const users = Array.from({ length: 10 }, newUser);
    for (const u of users) await add(u, busy.itemIds[0]!);
    const answers = await Promise.all(users.map((u) => place(u)));
    expect(answers.filter((a) => payLink(a))).toHaveLength(8);
    const refused = answers.filter((a) => said(a) === STORE_BUSY);
    expect(refused).toHaveLength(2);
    expect(refused[0]!.template.quickReplies?.length).toBeGreaterThan(0);

    const elsewhere = newUser();
    await add(elsewhere, quiet.itemIds[0]!);
    expect(payLink(await place(elsewhere))).toBeString();
  });

  test("the limits hold across API processes (they live in Redis)", async () => {
    const config = t.deps.config;
    const other = buildDeps(config, {
      redisUrl: redisUrl(),
      log: silentLogger,
      keyPrefix: t.prefix,
      clock,
    });
    try {
      const otherApp = createApp(other.deps);
      const shop = await openShop(t.deps);
      const user = newUser();
      await add(user, shop.itemIds[0]!);
      const answers: SkillAnswer[] = [];
      for (let i = 0; i < 10; i++) answers.push(await place(user, i % 2 ? otherApp : t.app));
      expect(answers.filter((a) => said(a) === TOO_FAST)).toHaveLength(5);
    } finally {
      await other.close();
    }
  });
});

describe("cart/add: per-customer limit", () => {
  test("30 adds in 10 s; the 31st is refused politely and the cart keeps what was added", async () => {
    const shop = await openShop(t.deps);
    const user = newUser();
    const answers: SkillAnswer[] = [];
    for (let i = 0; i < 32; i++) answers.push(await add(user, shop.itemIds[0]!));
    expect(answers.filter((a) => said(a)?.includes("담았어요"))).toHaveLength(30);
    const refused = answers.filter((a) => said(a) === ADD_TOO_FAST);
    expect(refused).toHaveLength(2);
    expect(refused[0]!.template.quickReplies?.map((q) => q.label)).toEqual(["장바구니 보기"]);
    const cart = await readCart(t.deps, user);
    expect(cart?.lines.reduce((s, l) => s + l.qty, 0)).toBe(30);
  });
});

describe("settings", () => {
  test("defaults, and each limit and KakaoPay guard setting from the environment", () => {
    const byDefault = loadConfig({});
    expect(byDefault.limits).toEqual({
      placePerCustomer: { limit: 5, windowMs: 10_000 },
      placePerStore: { limit: 300, windowMs: 10_000 },
      cartAddPerCustomer: { limit: 30, windowMs: 10_000 },
      cartAddPerStore: { limit: 1500, windowMs: 10_000 },
    });
    expect(byDefault.kakaopay.guard).toEqual({
      timeoutMs: 3000,
      maxConcurrent: 64,
      breakerFailures: 5,
      breakerCoolDownMs: 10_000,
    });
    const set = loadConfig({
      LIMIT_PLACE_PER_CUSTOMER: "3/60s",
      LIMIT_CART_ADD_PER_STORE: "off",
      KAKAOPAY_MAX_CONCURRENT: "16",
      KAKAOPAY_BREAKER_COOLDOWN_MS: "30000",
    });
    expect(set.limits.placePerCustomer).toEqual({ limit: 3, windowMs: 60_000 });
    expect(set.limits.cartAddPerStore).toBeNull();
    expect(set.kakaopay.guard.maxConcurrent).toBe(16);
    expect(set.kakaopay.guard.breakerCoolDownMs).toBe(30_000);
  });

  test("a bad rate or a timeout beyond Kakao's skill limit is one clear line", () => {
    try {
      loadConfig({ LIMIT_PLACE_PER_STORE: "300 per 10s", KAKAOPAY_TIMEOUT_MS: "5000" });
      throw new Error("expected ConfigError");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).lines).toEqual([
        'config: KAKAOPAY_TIMEOUT_MS="5000" is invalid: must be at most 3500 milliseconds',
        'config: LIMIT_PLACE_PER_STORE="300 per 10s" is invalid: must be like 5/10s (count/seconds) or off',
      ]);
    }
  });
});
