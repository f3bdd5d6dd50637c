import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createApp } from "../../src/app.ts";
import { buildDeps } from "../../src/bootstrap.ts";
import type { Deps } from "../../src/deps.ts";
import { silentLogger } from "../../src/infra/logger.ts";
import { paymentOf } from "../../src/ordering/pendingOrder.ts";
import { addMenuItems, listMenu } from "../../src/store/menu/menu.ts";
import { withWorkers } from "../../workers/index.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { paidOrder } from "../helpers/orders.ts";
import { callSkill } from "../helpers/skill.ts";
import { orders } from "../helpers/tables.ts";
import { makeTestDeps, redisUrl, SEOUL, seedStore } from "../helpers/testDeps.ts";

/**
 * The counter screen's order board in a real Chromium against a real server: orders paid through
 * the chat skills and the KakaoPay emulator, moved and canceled from the board, the menu editor,
 * and a server restart in the middle of the day.
 */

const ARTIFACTS = join(import.meta.dir, "..", "artifacts");
const TABLET = { width: 1180, height: 820 };
const PHONE = { width: 390, height: 844 };

const emu = startTestEmulator();
const t = makeTestDeps({ env: emu.env, workers: true, heartbeatMs: 1000 });
/** After the restart: the second process's deps and app, on the same SQLite file and Redis prefix. */
let second: (ReturnType<typeof withWorkers> & { app: ReturnType<typeof createApp> }) | null = null;
let firstClosed = false;
let server: ReturnType<typeof Bun.serve> | undefined;
let browser: Browser | undefined;
let ctx: BrowserContext | undefined;
let page: Page;
const errors: string[] = [];

const app = () => second?.app ?? t.app;
const deps = (): Deps => second?.deps ?? t.deps;

let store: Awaited<ReturnType<typeof seedStore>>;
const item: Record<"latte" | "americano" | "cookie", string> = {
  latte: "",
  americano: "",
  cookie: "",
};

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  store = await seedStore(t.deps, { name: "성수 커피" });
  const [latte, americano, cookie] = await addMenuItems(t.deps.db, store.storeId, [
    {
      name: "카페라떼",
      price: 5000,
      category: "커피",
      soldOut: false,
      optionGroups: [
        {
          name: "온도",
          required: true,
          choices: [
            { name: "핫", priceDelta: 0 },
            { name: "아이스", priceDelta: 0 },
          ],
        },
        {
          name: "샷",
          required: false,
          choices: [{ name: "샷 추가", priceDelta: 500 }],
        },
      ],
    },
    { name: "아메리카노", price: 4500, category: "커피", soldOut: false, optionGroups: [] },
    { name: "초코 쿠키", price: 3000, category: "디저트", soldOut: false, optionGroups: [] },
  ]);
  item.latte = latte!.itemId;
  item.americano = americano!.itemId;
  item.cookie = cookie!.itemId;

  server = Bun.serve({ port: 0, fetch: t.app.fetch, idleTimeout: 60 });
  browser = await launchBrowser(["--autoplay-policy=no-user-gesture-required"]);
  ctx = await browser.newContext({
    geolocation: { latitude: SEOUL.lat, longitude: SEOUL.lng },
    permissions: ["geolocation"],
    locale: "ko-KR",
    timezoneId: "Asia/Seoul",
    viewport: TABLET,
  });
  page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    // a dropped feed and a refused request are logged by the browser itself
    const text = m.text();
    if (m.type() === "error" && !/status of (4\d\d|502)|ERR_CONNECTION|ERR_EMPTY|net::/.test(text))
      errors.push(text);
  });
}, 30_000); // Chromium's launch alone can pass the default 5 s on a busy machine

afterAll(async () => {
  await browser?.close();
  await server?.stop(true);
  if (!firstClosed) await t.close();
  await second?.close();
  await emu.stop();
});

// ---------- helpers ----------
const base = () => `http://127.0.0.1:${server!.port}`;
const cardOf = (orderId: string) => page.locator(`#board .order[data-order-id="${orderId}"]`);
const inColumn = (status: string, orderId: string) =>
  page.locator(`#col-${status} .order[data-order-id="${orderId}"]`);
const action = (label: string) =>
  page.locator(`#day-view button.action:not([hidden])`, { hasText: label });
const boardIds = () =>
  page
    .locator("#board .order")
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.orderId ?? ""));

/** Tablet landscape, then the same screen as a phone (and back). */
async function shots(name: string, opts: { phoneFull?: boolean } = {}) {
  await page.screenshot({ path: join(ARTIFACTS, `board-${name}.png`) });
  await page.setViewportSize(PHONE);
  await Bun.sleep(100);
  await page.screenshot({
    path: join(ARTIFACTS, `board-${name}-phone.png`),
    fullPage: opts.phoneFull ?? false,
  });
  await page.setViewportSize(TABLET);
  await Bun.sleep(50);
}

let userSeq = 0;
const newUser = () => `board-user-${++userSeq}-${Date.now()}`;

/** A customer orders through the chat skills and pays on the emulator's KakaoPay page. */
async function payThroughSkills(
  itemId: string,
  options: Record<string, string> = {},
  qty = 1,
): Promise<{ orderId: string; tid: string; user: string; pickupNumber: number; total: number }> {
  const user = newUser();
  const added = await callSkill(app(), "/cart/add", user, {
    clientExtra: { itemId, qty, options },
  });
  expect(added.text).toContain("담았어요");
  const placed = await callSkill(app(), "/orders/place", user);
  const payUrl: string = placed.template.outputs[0]!.basicCard.buttons[0].webLinkUrl;
  const tid = payUrl.split("/").at(-1)!;
  const location = new URL(await emu.customerApproves(tid));
  const approval = await app().request(location.pathname + location.search);
  expect(await approval.text()).toContain("결제가 완료됐어요");
  const order = (await deps().db.select().from(orders).where(eq(orders.botUserKey, user)))[0]!;
  expect(order.status).toBe("PAID");
  return {
    orderId: order.id,
    tid,
    user,
    pickupNumber: order.pickupNumber!,
    total: order.totalAmount,
  };
}

async function eventsTo(userId: string) {
  const res = await fetch(`${emu.url}/_emulator/events?userId=${encodeURIComponent(userId)}`);
  return ((await res.json()) as { events: { event: { name: string } }[] }).events;
}

async function until(check: () => Promise<boolean>, ms = 8000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await Bun.sleep(50);
  }
  throw new Error("condition not reached");
}

/** Every order id appears at most once on the board. */
async function expectNoDuplicates() {
  const ids = await boardIds();
  expect(new Set(ids).size).toBe(ids.length);
}

describe("order board in Chromium", () => {
  test("paid orders appear within a second; accept → ready → picked up; cancel refunds", async () => {
    await page.goto(`${base()}/`);
    await page.fill("#store-id", store.storeId);
    await page.fill("#pin", store.pin);
    await page.fill("#device-token", store.deviceToken);
    await page.click("#login-submit");
    await page.locator("#day-view").waitFor({ state: "visible" });
    await page.locator('#conn[data-mode="live"]').waitFor();
    await action("영업 준비").click();
    await page.waitForFunction(
      () => document.querySelector("#state-badge")?.textContent === "준비",
    );
    await action("영업 시작").click();
    await page.waitForFunction(
      () => document.querySelector("#state-badge")?.textContent === "영업 중",
    );
    await page.waitForFunction(() => document.querySelector("#stat-orders")?.textContent === "0건");
    await shots("open");

    // --- an order through the chat skills + KakaoPay emulator: on the board within 1 s
    const a = await payThroughSkills(item.latte, { 온도: "아이스", 샷: "샷 추가" }, 2);
    await cardOf(a.orderId).waitFor({ timeout: 1000 });
    expect(await inColumn("PAID", a.orderId).count()).toBe(1);
    const cardA = cardOf(a.orderId);
    expect(await cardA.locator(".o-num").textContent()).toBe(String(a.pickupNumber));
    const textA = (await cardA.textContent()) ?? "";
    expect(textA).toContain("카페라떼");
    expect(textA).toContain("×2");
    expect(textA).toContain("아이스 · 샷 추가");
    expect(textA).toContain("11,000원");
    expect(textA).toContain("방금 결제");
    expect(textA).toMatch(/손님 [0-9A-F]{4}/);
    // the new order is announced: title flashes, an alert counted (the beep needs a gesture)
    expect(await page.evaluate(() => document.body.dataset.alerts)).toBe("1");
    expect(await page.title()).toContain("새 주문");
    await page.waitForFunction(() => document.querySelector("#stat-orders")?.textContent === "1건");
    expect(await page.locator("#stat-sales").textContent()).toBe("11,000원");

    // more orders for a realistic board
    const b = await payThroughSkills(item.americano);
    await cardOf(b.orderId).waitFor({ timeout: 1000 });
    await page.waitForFunction(
      () => document.querySelector("#stat-orders")?.textContent === "2건",
      undefined,
      { timeout: 1000 },
    );
    const c = await paidOrder(t.deps, emu, item.cookie, { qty: 3 });
    await cardOf(c.order.id).waitFor({ timeout: 1000 });
    const d = await paidOrder(t.deps, emu, item.latte, { options: { 온도: "핫" } });
    await cardOf(d.order.id).waitFor({ timeout: 1000 });
    expect(await page.locator("#count-PAID").textContent()).toBe("4");
    // today's count and sales follow each paid order at once
    await page.waitForFunction(
      () => document.querySelector("#stat-orders")?.textContent === "4건",
      undefined,
      { timeout: 1000 },
    );
    expect(await page.locator("#stat-sales").textContent()).toBe("29,500원");
    expect(await page.evaluate(() => document.body.dataset.alerts)).toBe("4");
    await expectNoDuplicates();
    await shots("new-orders");

    // --- accept → ready → picked up: the card moves columns
    await cardA.locator("button", { hasText: "접수" }).click();
    await inColumn("ACCEPTED", a.orderId).waitFor();
    await inColumn("ACCEPTED", a.orderId).locator("button", { hasText: "준비 완료" }).click();
    await inColumn("READY", a.orderId).waitFor();
    await until(async () => (await eventsTo(a.user)).some((e) => e.event.name === "order_ready"));
    await cardOf(c.order.id).locator("button", { hasText: "접수" }).click();
    await inColumn("ACCEPTED", c.order.id).waitFor();
    await page.locator("#toast").waitFor({ state: "visible" });
    await expectNoDuplicates();
    await shots("columns", { phoneFull: true });

    await inColumn("READY", a.orderId).locator("button", { hasText: "픽업 완료" }).click();
    await cardOf(a.orderId).waitFor({ state: "detached" });
    await page.waitForFunction(() => document.querySelector("#done-count")?.textContent === "1");
    const orderA = (await t.deps.db.select().from(orders).where(eq(orders.id, a.orderId)))[0]!;
    expect(orderA.status).toBe("PICKED_UP");

    // --- cancel with a reason: the confirm panel, then the refund
    await cardOf(b.orderId).locator("button.o-cancel").click();
    await page.locator("#cancel-dialog").waitFor({ state: "visible" });
    expect(await page.locator("#cancel-title").textContent()).toBe(
      `${b.pickupNumber}번 주문을 취소할까요?`,
    );
    expect(await page.locator("#cancel-confirm").textContent()).toBe("취소하고 4,500원 환불");
    await page.click("#cancel-confirm"); // no reason yet: asked for one, nothing canceled
    await page.locator("#cancel-msg").waitFor({ state: "visible" });
    expect(await page.locator("#cancel-msg").textContent()).toContain("취소 사유");
    expect(await cardOf(b.orderId).count()).toBe(1);
    await page.click('#cancel-dialog [data-reason="재료 소진"]');
    expect(await page.inputValue("#cancel-reason")).toBe("재료 소진");
    await shots("cancel-confirm");
    // KakaoPay refuses once: the dialog says so, the order stays as it was
    await emu.fault("/online/v1/payment/cancel", "5xx", 1);
    await page.click("#cancel-confirm");
    await page.waitForFunction(() =>
      document.querySelector("#cancel-msg")?.textContent?.includes("카카오페이"),
    );
    expect(await page.locator("#cancel-dialog").isVisible()).toBe(true);
    expect(await inColumn("PAID", b.orderId).count()).toBe(1);
    expect((await emu.payment(b.tid)).status).toBe("SUCCESS_PAYMENT");
    await shots("cancel-failed");
    await page.click("#cancel-confirm");
    await page.locator("#cancel-dialog").waitFor({ state: "hidden" });
    await cardOf(b.orderId).waitFor({ state: "detached" });
    const refund = await emu.payment(b.tid);
    expect(refund.status).toBe("CANCEL_PAYMENT");
    expect(refund.canceled_amount).toBe(b.total);
    await page.waitForFunction(
      () => document.querySelector("#done-count")?.textContent === "1 · 취소 1",
    );
    await page.waitForFunction(
      () => document.querySelector("#stat-cancel")?.textContent === "취소 1건 · 환불 4,500원",
    );
    // 매출 is what was captured minus refunds: 11,000 + 4,500 + 9,000 + 5,000 − 4,500
    await page.waitForFunction(
      () => document.querySelector("#stat-sales")?.textContent === "25,000원",
    );
    expect(await page.locator("#stat-orders").textContent()).toBe("4건");

    // the finished list
    await page.click("#done-toggle");
    await page.locator("#done-panel").waitFor({ state: "visible" });
    const done = await page.locator("#done-list > li").allTextContents();
    expect(done).toHaveLength(2);
    expect(done.join("\n")).toContain("재료 소진");
    expect(done.join("\n")).toContain("4,500원 환불");
    expect(done.join("\n")).toContain("픽업 완료");
    await shots("done");
    await page.click('#done-panel [data-close="done-panel"]');
    await page.locator("#done-panel").waitFor({ state: "hidden" });

    // the log keeps every entry once
    const logged = await page
      .locator("#feed-list > li")
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.type));
    expect(logged.filter((x) => x === "order.paid")).toHaveLength(4);
    expect(logged.filter((x) => x === "order.canceled")).toHaveLength(1);
    await page.click("#log-toggle");
    await page.locator("#log-panel").waitFor({ state: "visible" });
    await shots("log");
    await page.click('#log-panel [data-close="log-panel"]');

    // a reload rebuilds the same board: no card twice, none lost
    const before = (await boardIds()).sort();
    await page.reload();
    await page.locator('#conn[data-mode="live"]').waitFor();
    await Bun.sleep(600);
    expect((await boardIds()).sort()).toEqual(before);
    expect(await page.evaluate(() => document.body.dataset.alerts ?? "0")).toBe("0");
    expect(errors).toEqual([]);
  }, 60_000);

  test("sold-out toggle reaches the chat at once; the menu editor adds items and shows field errors", async () => {
    await page.click('#tabs [data-tab="menu"]');
    await page.locator("#menu-view").waitFor({ state: "visible" });
    const row = (id: string) => page.locator(`#menu-list .mi[data-item-id="${id}"]`);
    await row(item.americano).waitFor();
    expect(await row(item.latte).textContent()).toContain("옵션: 온도(필수) · 샷");
    // the day bar stays: state and controls on every tab
    expect(await page.locator("#state-badge").isVisible()).toBe(true);
    await shots("menu", { phoneFull: true });

    const toggle = row(item.americano).locator(".so-toggle");
    expect(await toggle.getAttribute("aria-checked")).toBe("false");
    await toggle.click();
    await page.waitForFunction(
      (id) =>
        document
          .querySelector(`#menu-list .mi[data-item-id="${id}"] .so-toggle`)
          ?.getAttribute("aria-checked") === "true",
      item.americano,
    );
    await page
      .locator(`#menu-list .mi[data-item-id="${item.americano}"] .so-toggle:enabled`)
      .waitFor();
    const user = newUser();
    const refused = await callSkill(app(), "/cart/add", user, {
      clientExtra: { itemId: item.americano },
    });
    expect(refused.template.outputs[0]!.simpleText.text).toContain("품절");
    await shots("menu-soldout");

    await toggle.click();
    await page.waitForFunction(
      (id) =>
        document
          .querySelector(`#menu-list .mi[data-item-id="${id}"] .so-toggle`)
          ?.getAttribute("aria-checked") === "false",
      item.americano,
    );
    await page
      .locator(`#menu-list .mi[data-item-id="${item.americano}"] .so-toggle:enabled`)
      .waitFor();
    const accepted = await callSkill(app(), "/cart/add", user, {
      clientExtra: { itemId: item.americano },
    });
    expect(accepted.template.outputs[0]!.simpleText.text).toContain("담았어요");

    // --- a new item: a bad price is refused by the server with a field error
    await page.click("#menu-add");
    await page.locator("#item-dialog").waitFor({ state: "visible" });
    await page.fill("#item-name", "바닐라 라떼");
    await page.fill("#item-price", "5500.5");
    await page.fill("#item-category", "커피");
    await page.fill("#item-options", "온도(필수): 핫, 아이스\n시럽: 기본, 추가 +300");
    await page.click("#item-save");
    const priceError = page.locator('#item-form .field-error[data-field="price"]');
    await priceError.waitFor({ state: "visible" });
    expect(await priceError.textContent()).toContain("정수(원 단위)");
    expect(await page.locator("#item-dialog").isVisible()).toBe(true);
    // not a number at all: caught before sending
    await page.fill("#item-price", "오천원");
    await page.click("#item-save");
    await page.waitForFunction(() =>
      document
        .querySelector('#item-form .field-error[data-field="price"]')
        ?.textContent?.includes("숫자로"),
    );
    await shots("menu-error");
    await page.fill("#item-price", "5,500");
    await page.click("#item-save");
    await page.locator("#item-dialog").waitFor({ state: "hidden" });
    const added = (await listMenu(deps().db, store.storeId)).find((i) => i.name === "바닐라 라떼")!;
    expect(added).toMatchObject({ price: 5500, category: "커피", soldOut: false });
    expect(added.optionGroups).toEqual([
      {
        name: "온도",
        required: true,
        choices: [
          { name: "핫", priceDelta: 0 },
          { name: "아이스", priceDelta: 0 },
        ],
      },
      {
        name: "시럽",
        required: false,
        choices: [
          { name: "기본", priceDelta: 0 },
          { name: "추가", priceDelta: 300 },
        ],
      },
    ]);
    await row(added.id).waitFor();
    expect(await row(added.id).textContent()).toContain("5,500원");
    const cart = await callSkill(app(), "/cart/add", newUser(), {
      clientExtra: { itemId: added.id, options: { 온도: "핫", 시럽: "추가" } },
    });
    expect(cart.template.outputs[0]!.simpleText.text).toContain("5,800원");

    // editing keeps what was not touched
    await row(added.id).locator(".mi-edit").click();
    await page.locator("#item-dialog").waitFor({ state: "visible" });
    expect(await page.inputValue("#item-options")).toBe(
      "온도(필수): 핫, 아이스\n시럽: 기본, 추가 +300",
    );
    await page.fill("#item-price", "6000");
    await page.click("#item-save");
    await page.locator("#item-dialog").waitFor({ state: "hidden" });
    const edited = (await listMenu(deps().db, store.storeId)).find((i) => i.id === added.id)!;
    expect(edited.price).toBe(6000);
    expect(edited.optionGroups).toEqual(added.optionGroups);
    await shots("menu-added");

    await page.click('#tabs [data-tab="board"]');
    await page.locator("#board").waitFor({ state: "visible" });
    expect(errors).toEqual([]);
  }, 60_000);

  test("a server restart mid-day: the board resumes and shows the order paid meanwhile exactly once", async () => {
    const port = server!.port;
    const before = (await boardIds()).sort();
    expect(before.length).toBeGreaterThan(0);
    const paidRowsBefore = await page.locator('#feed-list > li[data-type="order.paid"]').count();

    // --- stop the server and its deps; keep the SQLite file and the Redis prefix
    await server!.stop(true);
    await t.close();
    firstClosed = true;
    await page.locator('#conn[data-mode="retry"], #conn[data-mode="down"]').first().waitFor();
    await page.locator("#conn-banner").waitFor({ state: "visible" });

    const built = withWorkers(
      buildDeps(t.deps.config, {
        redisUrl: redisUrl(),
        log: silentLogger,
        keyPrefix: t.prefix,
        heartbeatMs: 1000,
        hubBlockMs: 2000,
      }),
      { start: true },
    );
    second = { ...built, app: createApp(built.deps) };

    // a customer pays while the store's server is down
    const paid = await paidOrder(second.deps, emu, item.americano, { qty: 2 });
    expect((await paymentOf(second.deps, paid.order.id))?.tid).toBe(paid.tid);
    await shots("offline");

    // --- the server comes back on the same port
    server = Bun.serve({ port, fetch: second.app.fetch, idleTimeout: 60 });
    await cardOf(paid.order.id).waitFor({ timeout: 15_000 });
    await page.locator('#conn[data-mode="live"]').waitFor();
    await Bun.sleep(1500); // a wrongly replayed backlog would show up by now
    const after = (await boardIds()).sort();
    expect(after).toEqual([...before, paid.order.id].sort());
    await expectNoDuplicates();
    expect(await page.locator('#feed-list > li[data-type="order.paid"]').count()).toBe(
      paidRowsBefore + 1,
    );
    expect(await page.locator("#conn-banner").isVisible()).toBe(false);
    // news to this screen: announced like any new order
    expect(await page.evaluate(() => document.body.dataset.alerts)).toBe("1");
    await page.waitForFunction(() => document.querySelector("#stat-orders")?.textContent === "5건");
    await shots("restart", { phoneFull: true });

    // the moved-on server serves the buttons too
    await cardOf(paid.order.id).locator("button", { hasText: "접수" }).click();
    await inColumn("ACCEPTED", paid.order.id).waitFor();

    // and a reload after the restart shows the same board
    await page.reload();
    await page.locator('#conn[data-mode="live"]').waitFor();
    await Bun.sleep(600);
    expect((await boardIds()).sort()).toEqual(after);
    await expectNoDuplicates();

    // --- a saved id the server no longer knows: `reset`, and the board is rebuilt, once
    const key = `so:feed:${store.storeId}`;
    await page.goto(`${base()}/assets/store.css`); // same origin, the board page is gone
    await page.evaluate((k) => {
      const v = JSON.parse(localStorage.getItem(k) ?? "{}");
      v.lastEventId = "a-day-long-gone:1-0";
      v.orders = [];
      localStorage.setItem(k, JSON.stringify(v));
    }, key);
    await page.goto(`${base()}/`);
    await page.locator('#conn[data-mode="live"]').waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('#feed-list > li[data-type="order.paid"]').length === 5,
    );
    await Bun.sleep(600);
    expect((await boardIds()).sort()).toEqual(after);
    await expectNoDuplicates();
    expect(await inColumn("ACCEPTED", paid.order.id).count()).toBe(1);
    expect(await page.locator('#feed-list > li[data-type="order.paid"]').count()).toBe(5);
    expect(await page.evaluate(() => document.body.dataset.alerts ?? "0")).toBe("0");
    expect(await page.locator("#done-count").textContent()).toBe("1 · 취소 1");
    expect(errors).toEqual([]);
  }, 60_000);
});
