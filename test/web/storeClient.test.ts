import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser } from "../helpers/browser.ts";
import { makeTestDeps, post, SEOUL, seedStore } from "../helpers/testDeps.ts";

const ARTIFACTS = join(import.meta.dir, "..", "artifacts");
const TABLET = { width: 1180, height: 820 };
const PHONE = { width: 390, height: 844 };

// A short heartbeat: a feed with nothing to send yet reaches the browser (and fires `open`)
// with its first heartbeat, as Bun sends the response head with the first body bytes.
const t = makeTestDeps({ heartbeatMs: 1000 });
let server: ReturnType<typeof Bun.serve> | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await server?.stop(true);
  await t.close();
});

describe("GET / without a browser", () => {
  test("is the Korean store page with security headers", async () => {
    const res = await t.app.request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const page = await res.text();
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain('<html lang="ko">');
    expect(page).toContain("매장 로그인");
    expect(page).toContain("기기 토큰");
    // No inline script: the CSP allows only our own served file.
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  test("serves the client script and stylesheet, cacheable by version", async () => {
    const page = await (await t.app.request("/")).text();
    const js = /src="(\/assets\/store\.js\?v=[0-9a-f]+)"/.exec(page)?.[1];
    const css = /href="(\/assets\/store\.css\?v=[0-9a-f]+)"/.exec(page)?.[1];
    expect(js).toBeDefined();
    expect(css).toBeDefined();
    const jsRes = await t.app.request(js!);
    expect(jsRes.status).toBe(200);
    expect(jsRes.headers.get("content-type")).toContain("javascript");
    expect(jsRes.headers.get("cache-control")).toContain("immutable");
    const code = await jsRes.text();
    expect(code).toContain("EventSource");
    expect(() => new Function(code)).not.toThrow(); // plain JS, parses as-is
    const cssRes = await t.app.request(css!);
    expect(cssRes.status).toBe(200);
    expect(cssRes.headers.get("content-type")).toContain("text/css");
    const etag = cssRes.headers.get("etag")!;
    const again = await t.app.request(css!, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  test("a logged-in cookie renders the day view with the store name", async () => {
    const store = await seedStore(t.deps, { name: "쿠키 카페" });
    const login = await t.app.request("/store/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "10.9.9.9" },
      body: JSON.stringify({ ...store, location: SEOUL }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const page = await (await t.app.request("/", { headers: { cookie } })).text();
    expect(page).toContain(`data-store-id="${store.storeId}"`);
    expect(page).toContain("쿠키 카페");
    expect(page).toMatch(/id="login-view"[^>]*hidden/);
    await post(t.app, "/store/auth/logout", cookie);
  });
});

describe("store client in Chromium", () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = Bun.serve({ port: 0, fetch: t.app.fetch, idleTimeout: 60 });
    browser = await launchBrowser();
  });

  const contextOptions = {
    geolocation: { latitude: SEOUL.lat, longitude: SEOUL.lng },
    permissions: ["geolocation"],
    locale: "ko-KR",
    timezoneId: "Asia/Seoul",
  };

  /** Collects page errors so a broken script fails the test instead of timing out. */
  function watch(page: Page) {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().includes("401")) errors.push(m.text());
    });
    return errors;
  }

  const rows = (page: Page) => page.locator("#feed-list > li");
  const rowLabels = (page: Page) => page.locator("#feed-list > li strong").allTextContents();
  const badge = (page: Page) => page.locator("#state-badge");
  const action = (page: Page, label: string) =>
    page.locator(`#day-view button.action:not([hidden])`, { hasText: label });

  test("login, day transitions from the live feed, reload without duplicates, phone", async () => {
    if (!browser || !server) throw new Error("browser or server did not start");
    const base = `http://127.0.0.1:${server.port}`;
    const store = await seedStore(t.deps, { name: "성수 커피" });

    const tablet: BrowserContext = await browser.newContext({
      ...contextOptions,
      viewport: TABLET,
    });
    const page = await tablet.newPage();
    const errors = watch(page);

    // --- login view
    await page.goto(`${base}/`);
    await expect(page.locator("#login-view").isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "store-login.png") });

    // A wrong PIN shows the Korean message for the error code.
    await page.fill("#store-id", store.storeId);
    await page.fill("#pin", "0000");
    await page.fill("#device-token", store.deviceToken);
    await page.click("#login-submit");
    await page.locator("#login-msg").waitFor({ state: "visible" });
    expect(await page.locator("#login-msg").textContent()).toContain("PIN 또는 기기 토큰");
    // …and how many tries are left before the 10-minute lockout.
    expect(await page.locator("#login-msg").textContent()).toContain(
      "남은 시도 4번: 모두 틀리면 10분 동안 잠깁니다",
    );
    await page.screenshot({ path: join(ARTIFACTS, "store-login-error.png") });

    await page.fill("#pin", store.pin);
    await page.click("#login-submit");
    await page.locator("#day-view").waitFor({ state: "visible" });
    expect(await page.locator("#store-name").textContent()).toBe("성수 커피");
    expect(await badge(page).textContent()).toBe("영업 전");
    await page.locator('#conn[data-mode="live"]').waitFor();

    // The device token and store id are remembered.
    expect(await page.evaluate(() => localStorage.getItem("so:deviceToken"))).toBe(
      store.deviceToken,
    );

    // --- 영업 준비 → 영업 시작: both rows arrive through the feed, the badge follows it
    await action(page, "영업 준비").click();
    await page.waitForFunction(() => document.querySelectorAll("#feed-list > li").length === 1);
    await page.waitForFunction(
      () => document.querySelector("#state-badge")?.textContent === "준비",
    );
    await action(page, "영업 시작").click();
    await page.waitForFunction(() => document.querySelectorAll("#feed-list > li").length === 2);
    await page.waitForFunction(
      () => document.querySelector("#state-badge")?.textContent === "영업 중",
    );
    expect(await rowLabels(page)).toEqual(["영업 시작", "영업 준비"]);
    expect(await action(page, "휴식").isVisible()).toBe(true);
    expect(await action(page, "마감 준비").isVisible()).toBe(true);
    expect(await action(page, "영업 준비").count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, "store-open.png") });

    // --- reload: the saved list comes back, the feed resumes after it (no duplicates)
    const idsBefore = await rows(page).evaluateAll((els) =>
      els.map((e) => (e as HTMLElement).dataset.id),
    );
    await page.reload();
    await page.locator("#day-view").waitFor({ state: "visible" });
    await page.locator('#conn[data-mode="live"]').waitFor();
    await Bun.sleep(500); // give a wrongly replayed backlog time to show up
    expect(await rows(page).count()).toBe(2);
    const idsAfter = await rows(page).evaluateAll((els) =>
      els.map((e) => (e as HTMLElement).dataset.id),
    );
    expect(idsAfter).toEqual(idsBefore);
    expect(await badge(page).textContent()).toBe("영업 중");

    // A new transition arrives live after the reload.
    await action(page, "휴식").click();
    await page.waitForFunction(() => document.querySelectorAll("#feed-list > li").length === 3);
    await page.waitForFunction(
      () => document.querySelector("#state-badge")?.textContent === "휴식 중",
    );
    expect(await rowLabels(page)).toEqual(["휴식", "영업 시작", "영업 준비"]);

    // A change made elsewhere (same session, through the API) reaches the badge via the feed.
    const cookie = (await tablet.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    expect((await post(t.app, "/store/day/reopen", cookie)).status).toBe(204);
    await page.waitForFunction(
      () => document.querySelector("#state-badge")?.textContent === "영업 중",
    );
    expect((await rowLabels(page))[0]).toBe("영업 재개");
    await page.screenshot({ path: join(ARTIFACTS, "store-tablet.png") });

    // --- the same session on a phone: its feed takes over, the tablet is told
    const phone = await browser.newContext({
      ...contextOptions,
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    await phone.addCookies(await tablet.cookies());
    const phonePage = await phone.newPage();
    const phoneErrors = watch(phonePage);
    await phonePage.goto(`${base}/`);
    await phonePage.locator("#day-view").waitFor({ state: "visible" });
    // No saved id on this device: the whole day from its start.
    await phonePage.waitForFunction(
      () => document.querySelectorAll("#feed-list > li").length === 4,
    );
    expect(await badge(phonePage).textContent()).toBe("영업 중");
    await phonePage.screenshot({ path: join(ARTIFACTS, "store-phone.png") });
    await phonePage.screenshot({ path: join(ARTIFACTS, "store-phone-full.png"), fullPage: true });

    await page.locator("#replaced").waitFor({ state: "visible" });
    expect(await page.locator("#replaced").textContent()).toContain(
      "다른 화면에서 이 매장을 열었습니다",
    );
    expect(await page.locator('#conn[data-mode="down"]').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, "store-replaced.png") });

    // Reconnecting here takes the feed back; the phone is replaced in turn.
    await page.click("#reconnect");
    await page.locator('#conn[data-mode="live"]').waitFor();
    await phonePage.locator("#replaced").waitFor({ state: "visible" });
    await phone.close();

    // --- 마감 준비 → 영업 종료, each with no way back, so each asks for a second tap
    const closing = page.locator('#day-view button[data-action="closing"]');
    expect(await closing.textContent()).toBe("마감 준비");
    await closing.click();
    expect(await closing.textContent()).toBe("한 번 더 누르면 마감 준비");
    // The first tap only armed the button: the day is still open, on the server too.
    const { day: stillOpen } = (await (
      await t.app.request("/store/day", { headers: { cookie } })
    ).json()) as { day: { state: string } };
    expect(stillOpen.state).toBe("OPEN");
    expect(await badge(page).textContent()).toBe("영업 중");
    await closing.click();
    await page.waitForFunction(
      () => document.querySelector("#state-badge")?.textContent === "마감 중",
    );
    // close sends the last event id the screen saw
    const close = action(page, "영업 종료");
    await close.click();
    expect(await close.textContent()).toContain("한 번 더");
    await close.click();
    await page.waitForFunction(
      () => document.querySelector("#state-badge")?.textContent === "영업 전",
    );
    expect((await rowLabels(page))[0]).toBe("영업 종료");
    expect(await page.locator("#day-msg").textContent()).toContain("영업을 종료했습니다");
    expect(await action(page, "영업 준비").isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "store-closed.png") });

    // --- logout (two taps); the device token stays on this device behind 기기 변경
    await page.click("#logout");
    await page.click("#logout");
    await page.locator("#login-view").waitFor({ state: "visible" });
    expect(await page.locator("#device-saved").isVisible()).toBe(true);
    expect(await page.locator("#device-field").isVisible()).toBe(false);
    expect(await page.inputValue("#store-id")).toBe(store.storeId);
    await page.screenshot({ path: join(ARTIFACTS, "store-login-saved.png") });

    // Logging in again with the PIN alone restores the list without repeating a row.
    await page.fill("#pin", store.pin);
    await page.click("#login-submit");
    await page.locator("#day-view").waitFor({ state: "visible" });
    await page.locator('#conn[data-mode="live"]').waitFor();
    await Bun.sleep(300);
    expect(await rows(page).count()).toBe(6);

    expect(errors).toEqual([]);
    expect(phoneErrors).toEqual([]);
    await tablet.close();
  }, 90_000);

  test("order entries render as Korean rows, customer text stays text", async () => {
    if (!browser || !server) throw new Error("browser or server did not start");
    const store = await seedStore(t.deps, { name: "주문 테스트" });
    const ctx = await browser.newContext({ ...contextOptions, viewport: TABLET });
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await page.fill("#store-id", store.storeId);
    await page.fill("#pin", store.pin);
    await page.fill("#device-token", store.deviceToken);
    await page.click("#login-submit");
    await page.locator("#day-view").waitFor({ state: "visible" });
    await action(page, "영업 준비").click();
    await action(page, "영업 시작").click();
    await page.waitForFunction(() => document.querySelectorAll("#feed-list > li").length === 2);

    // Entries as the ordering side appends them (raw, straight into the day stream).
    const cookie = (await ctx.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const { day } = (await (await t.app.request("/store/day", { headers: { cookie } })).json()) as {
      day: { id: string };
    };
    const key = t.deps.keys.dayStream(store.storeId, day.id);
    await t.deps.redis.xadd(
      key,
      "*",
      "type",
      "order.paid",
      "data",
      JSON.stringify({
        orderId: "o-1",
        items: [
          {
            name: "아메리카노",
            qty: 2,
            unitPrice: 4500,
            options: [{ group: "샷", choice: "샷 추가", priceDelta: 500 }],
            amount: 10000,
          },
        ],
        totalAmount: 10000,
        customerName: "<img src=x onerror=alert(1)>",
        paidAt: Date.now(),
        pickupNumber: 7,
      }),
    );
    await t.deps.redis.xadd(
      key,
      "*",
      "type",
      "order.canceled",
      "data",
      JSON.stringify({
        orderId: "o-1",
        reason: "재료 소진",
        refunded: true,
      }),
    );
    await page.waitForFunction(() => document.querySelectorAll("#feed-list > li").length === 4);
    expect(await rowLabels(page)).toEqual([
      "주문 취소 7번",
      "새 주문 7번",
      "영업 시작",
      "영업 준비",
    ]);
    const paid = page.locator('#feed-list > li[data-type="order.paid"]');
    expect(await paid.textContent()).toContain("아메리카노 ×2 (샷 추가) · 10,000원");
    expect(await paid.textContent()).toContain("<img src=x onerror=alert(1)>");
    expect(await page.locator("#feed-list img").count()).toBe(0);
    expect(
      await page.locator('#feed-list > li[data-type="order.canceled"]').textContent(),
    ).toContain("사유: 재료 소진 · 전액 환불");
    await page.screenshot({ path: join(ARTIFACTS, "store-orders.png") });
    expect(errors).toEqual([]);
    await ctx.close();
  }, 60_000);

  test("a login elsewhere with this device's token closes this screen and says so", async () => {
    if (!browser || !server) throw new Error("browser or server did not start");
    const base = `http://127.0.0.1:${server.port}`;
    const store = await seedStore(t.deps, { name: "교대 카페" });
    /** A fresh browser (its own cookies and storage) logged in to the store. */
    async function counter() {
      const ctx = await browser!.newContext({ ...contextOptions, viewport: TABLET });
      const page = await ctx.newPage();
      const errors = watch(page);
      await page.goto(`${base}/`);
      await page.fill("#store-id", store.storeId);
      await page.fill("#pin", store.pin);
      await page.fill("#device-token", store.deviceToken);
      await page.click("#login-submit");
      await page.locator("#day-view").waitFor({ state: "visible" });
      await page.locator('#conn[data-mode="live"]').waitFor();
      return { ctx, page, errors };
    }
    const replacedMsg = "다른 기기에서 로그인해 이 화면은 닫혔습니다";

    const a = await counter();
    const b = await counter();
    // A's feed ends with its session; the retry is refused (401) and GET /store/day's 401 says
    // why: A goes back to the login view with the reason.
    await a.page.locator("#login-view").waitFor({ state: "visible", timeout: 15_000 });
    expect(await a.page.locator("#login-msg").textContent()).toContain(replacedMsg);
    expect(await a.page.locator("#day-view").isVisible()).toBe(false);
    expect(await b.page.locator("#day-view").isVisible()).toBe(true);
    await a.page.screenshot({ path: join(ARTIFACTS, "store-session-replaced.png") });

    // A takes the store back with the PIN alone (its token is saved); now B is told.
    await a.page.fill("#pin", store.pin);
    await a.page.click("#login-submit");
    await a.page.locator("#day-view").waitFor({ state: "visible" });
    await b.page.locator("#login-view").waitFor({ state: "visible", timeout: 15_000 });
    expect(await b.page.locator("#login-msg").textContent()).toContain(replacedMsg);

    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.ctx.close();
    await b.ctx.close();
  }, 60_000);

  test("a denied location shows the Korean permission message", async () => {
    if (!browser || !server) throw new Error("browser or server did not start");
    const ctx = await browser.newContext({ locale: "ko-KR", viewport: PHONE, permissions: [] });
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await page.fill("#store-id", "some-store");
    await page.fill("#pin", "1234");
    await page.fill("#device-token", "some-token");
    await page.click("#login-submit");
    await page.locator("#login-msg").waitFor({ state: "visible", timeout: 15_000 });
    expect(await page.locator("#login-msg").textContent()).toContain("위치 권한이 필요합니다");
    await page.screenshot({ path: join(ARTIFACTS, "store-login-phone-geo.png") });
    await ctx.close();
  }, 30_000);
});
