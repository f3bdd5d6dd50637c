import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { validateSkillResponse } from "../../src/kakao/skill/validate.ts";
import { moveDay, readyDay } from "../../src/store/day/dayBusiness.ts";
import { addMenuItems } from "../../src/store/menu/menu.ts";
import type { routeFor } from "../../src/web/chat/routes.tsx";
import { launchBrowser } from "../helpers/browser.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { latteWithSizes } from "../helpers/menu.ts";
import { skillPayload } from "../helpers/skill.ts";
import { SseReader } from "../helpers/sse.ts";
import { login, makeTestDeps, SEOUL, seedStore } from "../helpers/testDeps.ts";

const ARTIFACTS = join(import.meta.dir, "..", "artifacts");
const PHONE = { width: 390, height: 844 };
const SKILL_KEY = "test-skill-key"; // what makeTestDeps configures

// The app is served over HTTP on a port chosen first, so PUBLIC_URL (KakaoPay's approval_url)
// points at it and the emulator's redirect reaches this server.
const port = (() => {
  const probe = Bun.serve({ port: 0, fetch: () => new Response() });
  const p = probe.port;
  probe.stop(true);
  return p;
})();
const base = `http://127.0.0.1:${port}`;
const emu = startTestEmulator();
const t = makeTestDeps({
  env: { ...emu.env, PUBLIC_URL: base, DEV_PAGES: "true" },
  workers: true,
});
let server: ReturnType<typeof Bun.serve> | undefined;
let browser: Browser | undefined;
const readers: SseReader[] = [];

afterAll(async () => {
  for (const r of readers) await r.res.body?.cancel().catch(() => {});
  await browser?.close();
  await server?.stop(true);
  await t.close();
  await emu.stop();
});

const postSkill = (path: string, body: unknown, contentType = "application/json") =>
  t.app.request(`/dev/chat/skill/${path}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("GET /dev/chat and the forwarder, without a browser", () => {
  test("the page is Korean HTML with no inline script and no skill key", async () => {
    const res = await t.app.request("/dev/chat");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const page = await res.text();
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain('<html lang="ko">');
    expect(page).toContain("심플오더");
    expect(page).toContain("가게 찾기");
    expect(page).toContain("새 대화");
    expect(page).not.toContain(SKILL_KEY);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    const js = /src="(\/dev\/chat\/assets\/chat\.js\?v=[0-9a-f]+)"/.exec(page)?.[1];
    const css = /href="(\/dev\/chat\/assets\/chat\.css\?v=[0-9a-f]+)"/.exec(page)?.[1];
    expect(js).toBeDefined();
    expect(css).toBeDefined();
    const jsRes = await t.app.request(js!);
    expect(jsRes.status).toBe(200);
    expect(jsRes.headers.get("content-type")).toContain("javascript");
    expect(jsRes.headers.get("cache-control")).toContain("immutable");
    const code = await jsRes.text();
    expect(code).not.toContain(SKILL_KEY);
    expect(() => new Function(code)).not.toThrow(); // plain JS as served
    expect((await t.app.request(css!)).headers.get("content-type")).toContain("text/css");
  });

  test("POST /dev/chat/skill/stores forwards a real payload and answers a valid skill response", async () => {
    await seedStore(t.deps, { name: "포워더 테스트카페" });
    const res = await postSkill(
      "stores",
      skillPayload("chat-forwarder-user", { utterance: "포워더", params: { query: "포워더" } }),
    );
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(validateSkillResponse(json)).toEqual([]);
    expect(JSON.stringify(json)).toContain("포워더 테스트카페");

    const byPlace = await postSkill(
      "stores",
      skillPayload("chat-forwarder-user", {
        utterance: "가게 찾기",
        clientExtra: { lat: SEOUL.lat, lng: SEOUL.lng },
      }),
    );
    expect(validateSkillResponse(await byPlace.json())).toEqual([]);
  });

  test("only the skill paths of blocks.ts; JSON only; the skill's own 400 passes through", async () => {
    const payload = skillPayload("chat-forwarder-user");
    for (const path of ["nope", "kakao/skill/stores", "stores/extra", "..%2Fstores"]) {
      const res = await postSkill(path, payload);
      expect(res.status).toBe(404);
      expect((await res.json()).error).toBe("not_found");
    }
    expect((await postSkill("cart", JSON.stringify(payload), "text/plain")).status).toBe(415);
    const noUser = await postSkill("cart", { userRequest: { user: {} } });
    expect(noUser.status).toBe(400);
    expect((await noUser.json()).issues[0].path).toBe("userRequest.user.id");
    for (const path of [
      "stores",
      "menu",
      "cart/add",
      "cart",
      "cart/clear",
      "orders/place",
      "orders",
    ]) {
      const res = await postSkill(path, payload);
      expect(res.status).toBe(200);
      expect(validateSkillResponse(await res.json())).toEqual([]);
    }
  });

  test("routing follows blockFor: exact utterances, free text to the stores search, block ids", async () => {
    const route = async (q: string) =>
      (await (await t.app.request(`/dev/chat/route?${q}`)).json()) as ReturnType<typeof routeFor>;
    expect(await route("utterance=주문 내역")).toMatchObject({ path: "orders", exact: true });
    expect(await route("utterance=가게 찾기")).toMatchObject({ path: "stores", exact: true });
    expect(await route("utterance=담기")).toMatchObject({ path: "cart/add", exact: true });
    expect(await route("utterance=성수 카페")).toMatchObject({ path: "stores", exact: false });
    expect(await route("utterance=장바구니 보여줘")).toMatchObject({ path: "cart", exact: false });
    expect(await route("utterance=아무거나&blockId=cartClear")).toMatchObject({
      path: "cart/clear",
      exact: true,
    });
  });

  test("the samples cover every output type and are valid skill responses", async () => {
    const samples = (await (await t.app.request("/dev/chat/samples")).json()) as {
      template: { outputs: Record<string, { type?: string }>[] };
    }[];
    const kinds = new Set<string>();
    for (const s of samples) {
      expect(validateSkillResponse(s)).toEqual([]);
      for (const o of s.template.outputs) {
        const [kind, body] = Object.entries(o)[0]!;
        kinds.add(kind === "carousel" ? `carousel:${body.type}` : kind);
      }
    }
    expect([...kinds].sort()).toEqual(
      [
        "simpleText",
        "simpleImage",
        "basicCard",
        "textCard",
        "listCard",
        "commerceCard",
        "carousel:basicCard",
        "carousel:textCard",
        "carousel:listCard",
        "carousel:commerceCard",
      ].sort(),
    );
  });

  test("GET /dev/chat/events: the Event API messages the customer got, as chat messages", async () => {
    const user = "chat-events-user";
    const empty = await (await t.app.request(`/dev/chat/events?userId=${user}`)).json();
    expect(empty).toEqual({ available: true, messages: [] });
    await t.deps.eventApi.send({
      eventName: "order_canceled",
      botUserKey: user,
      data: {
        pickupNumber: "7",
        storeName: "성수 채팅카페",
        items: "카페라떼 1개",
        reason: "재료 소진",
      },
    });
    const { messages } = await (await t.app.request(`/dev/chat/events?userId=${user}`)).json();
    expect(messages).toHaveLength(1);
    expect(messages[0].name).toBe("order_canceled");
    expect(validateSkillResponse(messages[0].res)).toEqual([]);
    expect(messages[0].res.template.outputs[0].simpleText.text).toBe(
      "성수 채팅카페에서 주문 7번을 취소했어요. 결제는 전액 환불돼요.\n카페라떼 1개\n취소 사유: 재료 소진",
    );
    const other = await (await t.app.request("/dev/chat/events?userId=someone-else")).json();
    expect(other.messages).toEqual([]);
    expect((await t.app.request("/dev/chat/events")).status).toBe(400);
  });

  test("with DEV_PAGES=false there is no /dev/chat; without SKILL_KEY the forwarder says so", async () => {
    const off = makeTestDeps({ env: { DEV_PAGES: "false" } });
    try {
      expect((await off.app.request("/dev/chat")).status).toBe(404);
      const res = await off.app.request("/dev/chat/skill/stores", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(skillPayload("u")),
      });
      expect(res.status).toBe(404);
    } finally {
      await off.close();
    }
    const keyless = makeTestDeps({ env: { DEV_PAGES: "true", SKILL_KEY: "" } });
    try {
      const res = await keyless.app.request("/dev/chat/skill/stores", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(skillPayload("u")),
      });
      expect(res.status).toBe(503);
      expect((await res.json()).error).toBe("no_skill_key");
    } finally {
      await keyless.close();
    }
  });
});

describe("the chat simulator in Chromium", () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = Bun.serve({ port, hostname: "127.0.0.1", fetch: t.app.fetch, idleTimeout: 60 });
    browser = await launchBrowser();
  });

  async function phoneContext(): Promise<BrowserContext> {
    const context = await browser!.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      geolocation: { latitude: SEOUL.lat, longitude: SEOUL.lng },
      permissions: ["geolocation"],
      locale: "ko-KR",
      timezoneId: "Asia/Seoul",
    });
    // No internet in tests: images from elsewhere (Kakao's default thumbnail) fail at once and
    // the page shows its placeholder, as it would for any broken image.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (r) => r.abort());
    return context;
  }

  /** Collects page errors so a broken script fails the test instead of timing out. */
  function watch(page: Page) {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error" && !/ERR_FAILED|net::/.test(m.text())) errors.push(m.text());
    });
    return errors;
  }

  const lastBot = (page: Page) => page.locator(".row.bot:not(.typing-row)").last();
  const chip = (page: Page, label: string | RegExp) =>
    page.locator(".quick .chip", { hasText: label });
  const entry = (page: Page, label: string) => page.locator(".entry", { hasText: label });
  const idle = (page: Page) =>
    page.waitForFunction(() => !document.body.classList.contains("busy"));

  test("find a shop, add with options, order, pay at KakaoPay, see the pickup number; the store's feed gets it once", async () => {
    const store = await seedStore(t.deps, { name: "성수 채팅카페" });
    await addMenuItems(t.deps.db, store.storeId, [
      latteWithSizes({ description: "고소한 우유와 에스프레소" }),
      { name: "버터쿠키", price: 3000, category: "디저트", soldOut: false, optionGroups: [] },
    ]);
    await readyDay(t.deps, store.storeId);
    await moveDay(t.deps, store.storeId, "open");

    // The counter screen's feed, over HTTP like the store client.
    const http = { request: (path: string, init?: RequestInit) => fetch(`${base}${path}`, init) };
    const { res: loginRes, cookie } = await login(http, store, { addr: "10.7.7.7" });
    expect(loginRes.status).toBe(200);
    const feed = new SseReader(await fetch(`${base}/store/events`, { headers: { cookie } }));
    readers.push(feed);
    await feed.until((r) => r.types().includes("state"), 5000, "the day's entries");

    const context = await phoneContext();
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto(`${base}/dev/chat`);
    await lastBot(page).waitFor();
    expect(await lastBot(page).textContent()).toContain("안녕하세요");
    await page.screenshot({ path: join(ARTIFACTS, "chat-1-welcome.png") });

    // 가게 찾기: the location goes along, the nearest store comes first.
    await entry(page, "가게 찾기").click();
    const storeCard = page.locator(".card.basicCard", { hasText: "성수 채팅카페" }).last();
    await storeCard.waitFor();
    expect(await storeCard.textContent()).toContain("주문 가능");
    // the card's default picture is ours (PUBLIC_URL), so it shows even offline
    await page.waitForFunction(() => {
      const img = Array.from(document.querySelectorAll<HTMLImageElement>(".card.basicCard img")).at(
        -1,
      );
      return img?.complete && img.naturalWidth > 0;
    });
    expect(await page.locator("#json-req").textContent()).toContain('"lat"');
    await page.screenshot({ path: join(ARTIFACTS, "chat-2-stores.png") });

    // 메뉴 보기 → 담기 → the required options by quick replies.
    await storeCard.locator(".btn", { hasText: "메뉴 보기" }).click();
    const latte = page
      .locator(".card.basicCard", { has: page.locator(".card-title", { hasText: /^카페라떼$/ }) })
      .last();
    await latte.waitFor();
    expect(await latte.textContent()).toContain("5,000원");
    await page.screenshot({ path: join(ARTIFACTS, "chat-3-menu.png") });
    await latte.locator(".btn", { hasText: "담기" }).click();
    await chip(page, "아이스").click();
    await chip(page, "라지 +500원").waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "chat-4-options.png") });
    await chip(page, "라지 +500원").click();
    await page.locator(".bubble.text", { hasText: "담았어요" }).waitFor();
    expect(await lastBot(page).textContent()).toContain("5,500원");

    // 장바구니 → 주문하기: the order card with KakaoPay's link.
    await entry(page, "장바구니").click();
    const cartCard = page.locator(".card.textCard", { hasText: "합계 5,500원" }).last();
    await cartCard.waitFor();
    await cartCard.locator(".btn", { hasText: "주문하기" }).click();
    const payLink = page.locator("a.btn.web", { hasText: "카카오페이 결제" }).last();
    await payLink.waitFor();
    expect(await lastBot(page).textContent()).toContain("결제 후 돌아오기");
    await page.screenshot({ path: join(ARTIFACTS, "chat-5-order.png") });

    // KakaoPay (the emulator) opens in a new window; 결제하기 sends it to our approval page.
    const [popup] = await Promise.all([context.waitForEvent("page"), payLink.click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toContain("/_emulator/pay/");
    await popup.screenshot({ path: join(ARTIFACTS, "chat-6-kakaopay.png") });
    await popup.locator("button", { hasText: "결제하기" }).click();
    await popup.waitForURL(/\/pay\/kakaopay\/[^/]+\/approve\?pg_token=/);
    await popup.locator("h1", { hasText: "결제가 완료됐어요" }).waitFor();
    const pickup = Number(await popup.locator(".pickup").textContent());
    expect(pickup).toBeGreaterThanOrEqual(1);
    await popup.screenshot({ path: join(ARTIFACTS, "chat-7-approved.png") });
    await popup.close();

    // Back in the chat: the hint offers 주문 내역, which shows the order with its pickup number.
    await page.bringToFront();
    await chip(page, "주문 내역").click();
    const orders = page.locator(".card.listCard", { hasText: "최근 주문" }).last();
    await orders.waitFor();
    const first = orders.locator(".list-item").first();
    expect(await first.textContent()).toContain(`#${pickup} 카페라떼`);
    expect(await first.textContent()).toContain("주문 접수");
    await idle(page);
    await page.screenshot({ path: join(ARTIFACTS, "chat-8-orders.png") });

    // The counter's feed got exactly one order.paid, with that pickup number.
    await feed.until((r) => r.types().includes("order.paid"), 10_000, "order.paid");
    await Bun.sleep(300);
    const paid = feed.events.filter((e) => e.event === "order.paid");
    expect(paid).toHaveLength(1);
    const order = JSON.parse(paid[0]!.data);
    expect(order.pickupNumber).toBe(pickup);
    expect(order.totalAmount).toBe(5500);
    expect(order.items[0].name).toBe("카페라떼");

    // The counter marks it ready: the bot's "ready" message (Event API) appears in the chat, as
    // KakaoTalk shows an event block's message.
    const ready = await fetch(`${base}/store/orders/${order.orderId}/ready`, {
      method: "POST",
      headers: { cookie },
    });
    expect(ready.status).toBe(200);
    const readyMsg = page.locator('.row.bot[data-event="order_ready"]');
    await readyMsg.waitFor({ timeout: 20_000 });
    expect(await readyMsg.textContent()).toContain(
      `성수 채팅카페 주문이 준비됐어요. 픽업 번호 ${pickup}번을 카운터에 말씀해 주세요.`,
    );
    expect(await chip(page, "주문 내역").count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, "chat-9-ready.png") });

    // Then the shop cancels it (refunded): the "canceled" message with the reason follows.
    const cancel = await fetch(`${base}/store/orders/${order.orderId}/cancel`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ reason: "우유가 떨어졌어요" }),
    });
    expect(cancel.status).toBe(200);
    const canceledMsg = page.locator('.row.bot[data-event="order_canceled"]');
    await canceledMsg.waitFor({ timeout: 20_000 });
    expect(await canceledMsg.textContent()).toContain(`주문 ${pickup}번을 취소했어요`);
    expect(await canceledMsg.textContent()).toContain("취소 사유: 우유가 떨어졌어요");
    await page.screenshot({ path: join(ARTIFACTS, "chat-10-canceled.png") });

    // The second visit (a reload): each message is there once, not again.
    const polled = page.waitForResponse((r) => r.url().includes("/dev/chat/events"));
    await page.reload();
    await polled;
    await idle(page);
    expect(await page.locator('.row.bot[data-event="order_ready"]').count()).toBe(1);
    expect(await page.locator('.row.bot[data-event="order_canceled"]').count()).toBe(1);

    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  test("every output type renders; buttons without a chat action leave a note; 새 대화 starts over", async () => {
    const context = await phoneContext();
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto(`${base}/dev/chat`);
    await lastBot(page).waitFor();
    const keyBefore = await page.evaluate(() =>
      localStorage.getItem("simpleOrder.chat.botUserKey"),
    );

    await page.click("#samples");
    await page.locator('[data-type="carousel:listCard"]').waitFor();
    for (const type of [
      "simpleImage",
      "basicCard",
      "textCard",
      "listCard",
      "commerceCard",
      "carousel:basicCard",
      "carousel:textCard",
      "carousel:commerceCard",
      "carousel:listCard",
    ]) {
      expect(await page.locator(`[data-type="${type}"]`).count()).toBeGreaterThan(0);
    }
    expect(await page.locator(".bubble.text", { hasText: "그대로 보여요" }).count()).toBe(1);
    expect(await page.locator(".carousel-header").count()).toBe(1);
    expect(await page.locator(".price .was", { hasText: "4,000원" }).count()).toBe(1);
    expect(await page.locator(".price .final", { hasText: "3,500원" }).count()).toBe(1);
    expect(await chip(page, "장바구니 (block)").count()).toBe(1);
    // Our own images load (CSP allows them); the sample image is not broken.
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>(".bubble.image img")).every(
        (i) => i.complete && i.naturalWidth > 0,
      ),
    );

    await page.locator('[data-type="basicCard"]').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, "chat-samples-1.png") });
    await page.locator('[data-type="listCard"]').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, "chat-samples-2.png") });
    await page.locator('[data-type="carousel:basicCard"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, "chat-samples-3.png") });
    await page.locator('[data-type="carousel:listCard"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, "chat-samples-4.png") });

    // phone / share: a harmless note; block quick reply: routed by its block id.
    await page.locator(".btn", { hasText: "전화하기" }).first().click();
    await page.locator(".note", { hasText: "021234567" }).waitFor();
    await page.click("#samples");
    await page.locator('[data-type="carousel:listCard"]').nth(1).waitFor();
    await chip(page, "장바구니 (block)").click();
    await page.locator(".bubble.text", { hasText: "장바구니가 비어 있어요" }).last().waitFor();
    expect(await page.locator("#json-url").textContent()).toContain("/dev/chat/skill/cart");
    await page.click("#json-toggle");
    expect(await page.locator("#json-panel").isVisible()).toBe(true);
    const req = JSON.parse((await page.locator("#json-req").textContent()) ?? "{}");
    expect(req.userRequest.user).toMatchObject({ id: keyBefore, type: "botUserKey" });
    expect(req.userRequest.block.name).toBe("장바구니");
    expect(req.action.clientExtra).toBeNull();
    await page.screenshot({ path: join(ARTIFACTS, "chat-json.png") });
    await page.click("#json-close");

    // Typed "nearby" words with the shared place: the nearest stores, not "nothing found".
    await page.fill("#text", "근처 카페");
    await page.press("#text", "Enter");
    await lastBot(page).locator(".card.basicCard").first().waitFor();
    await idle(page);
    const nearby = JSON.parse((await page.locator("#json-req").textContent()) ?? "{}");
    expect(nearby.action.params.query).toBe("근처 카페");
    expect(nearby.action.clientExtra).toMatchObject({ lat: SEOUL.lat, lng: SEOUL.lng });
    expect(await lastBot(page).textContent()).not.toContain("찾은 가게가 없어요");

    // A typed name searches stores (params.query).
    await page.fill("#text", "없는가게");
    await page.press("#text", "Enter");
    await page.locator(".bubble.text", { hasText: "'없는가게'로 찾은 가게가 없어요" }).waitFor();

    // 새 대화: a new botUserKey, the log starts over.
    await page.click("#reset");
    const keyAfter = await page.evaluate(() => localStorage.getItem("simpleOrder.chat.botUserKey"));
    expect(keyAfter).not.toBe(keyBefore);
    expect(await page.locator(".row").count()).toBe(1);
    await page.reload();
    await lastBot(page).waitFor();
    expect(await page.locator(".row").count()).toBe(1);

    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  test("a refusal from the forwarder is shown politely", async () => {
    const context = await phoneContext();
    const page = await context.newPage();
    // A payload the skill refuses (no botUserKey) — as a broken client would send it.
    await page.route("**/dev/chat/skill/**", async (r) => {
      const body = JSON.parse(r.request().postData() ?? "{}");
      delete body.userRequest.user.id;
      await r.continue({ postData: JSON.stringify(body) });
    });
    await page.goto(`${base}/dev/chat`);
    await entry(page, "주문 내역").click();
    const note = page.locator(".note.error");
    await note.waitFor();
    expect(await note.textContent()).toContain(
      "메시지를 전하지 못했어요. 요청 형식이 스킬과 맞지 않아요. (400",
    );
    expect(await chip(page, "다시 보내기").count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, "chat-error.png") });
    await context.close();
  }, 30_000);
});
