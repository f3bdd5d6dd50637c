import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import type { Browser, Page } from "playwright-core";
import { runAccounting } from "../../src/accounting/accounting.ts";
import { type DayReport, saveReport } from "../../src/accounting/report.ts";
import { manualClock } from "../../src/infra/clock.ts";
import { addToCart } from "../../src/ordering/cart.ts";
import { paymentOf } from "../../src/ordering/pendingOrder.ts";
import { placeOrder } from "../../src/ordering/placeOrder.ts";
import { businessDateOf, readLiveDay } from "../../src/store/day/liveDay.ts";
import { addMenuItems } from "../../src/store/menu/menu.ts";
import { koDate } from "../../src/web/report/format.ts";
import { reportRoutes } from "../../src/web/report/routes.tsx";
import { launchBrowser } from "../helpers/browser.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { paidOrder } from "../helpers/orders.ts";
import { dayBusinesses, settlements } from "../helpers/tables.ts";
import { testDb } from "../helpers/testDb.ts";
import { login, makeTestDeps, post, seedStore } from "../helpers/testDeps.ts";

const ARTIFACTS = join(import.meta.dir, "..", "artifacts");
const TABLET = { width: 1180, height: 820 };
const PHONE = { width: 390, height: 844 };

// The day happened yesterday (Korea time), from 9 to 17 o'clock: a moved clock stamps the orders.
const yesterday = businessDateOf(Date.now() - 86_400_000);
const at = (hhmm: string) => Date.parse(`${yesterday}T${hhmm}:00+09:00`);
const clock = manualClock(at("08:50"));
const emu = startTestEmulator();
const t = makeTestDeps({ db: await testDb(), env: emu.env, clock });
const app = new Hono();
app.route("/days", reportRoutes(t.deps));

let server: ReturnType<typeof Bun.serve> | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await server?.stop(true);
  await t.close();
  await emu.stop();
});

const get = (path: string, cookie?: string) =>
  app.request(path, { headers: cookie ? { cookie } : {} });

/** closing, then close with the id of the last entry the client has seen (as the store client). */
async function closeDay(storeId: string, session: string, fromReady = false) {
  if (!fromReady) expect((await post(t.app, "/store/day/closing", session)).status).toBe(204);
  const live = (await readLiveDay(t.deps, storeId))!;
  const res = await post(t.app, "/store/day/close", session, {
    lastEventId: `${live.dayId}:${live.lastEntryId}`,
  });
  expect(res.status).toBe(202);
  return live.dayId;
}

/** A customer approves at KakaoPay and KakaoPay captures, but the approval never reaches us. */
async function lostApproval(itemId: string) {
  const botUserKey = `lost-${Date.now()}`;
  await addToCart(t.deps, botUserKey, { itemId, qty: 1, options: {} });
  const placed = await placeOrder(t.deps, { botUserKey, customerName: "손님" });
  if (placed.kind !== "ready") throw new Error(placed.kind);
  const tid = (await paymentOf(t.deps, placed.order.id))!.tid!;
  const pgToken = new URL(await emu.customerApproves(tid)).searchParams.get("pg_token")!;
  await t.deps.kakaopay.approve({
    tid,
    partnerOrderId: placed.order.id,
    partnerUserId: botUserKey,
    pgToken,
  });
  return placed.order;
}

/** An older day written directly (record, report, settlement), to fill the list. */
async function pastDay(
  storeId: string,
  daysAgo: number,
  report: Partial<DayReport>,
  paidOut = false,
) {
  const readyAt = at("08:30") - daysAgo * 86_400_000;
  const id = `past-${storeId.slice(0, 8)}-${daysAgo}`;
  const businessDate = businessDateOf(readyAt);
  await t.deps.db.insert(dayBusinesses).values({
    id,
    storeId,
    state: "CLOSED",
    businessDate,
    readyAt,
    openedAt: readyAt + 1_800_000,
    closedAt: readyAt + 13 * 3_600_000,
    orderCount: report.orderCount ?? 0,
    grossAmount: report.grossAmount ?? 0,
  });
  const full: DayReport = {
    dayId: id,
    storeId,
    businessDate,
    orderCount: 0,
    canceledCount: 0,
    grossAmount: 0,
    refundAmount: 0,
    netAmount: 0,
    averageTicket: 0,
    firstOrderAt: null,
    lastOrderAt: null,
    byItem: [],
    byHour: [],
    findings: [],
    ...report,
  };
  await saveReport(t.deps, full);
  if (paidOut) {
    await t.deps.db
      .update(settlements)
      .set({ status: "PAID_OUT" })
      .where(eq(settlements.dayId, id));
  }
  return full;
}

// ---- one store's day, built through the real flow --------------------------------------------
let store: Awaited<ReturnType<typeof seedStore>>;
let session = "";
let dayId = "";
let pendingDayId = "";
let report: DayReport;
let wide: DayReport;

beforeAll(async () => {
  store = await seedStore(t.deps, { name: "성수 커피" });
  const menu = (
    await addMenuItems(t.deps.db, store.storeId, [
      { name: "아메리카노", price: 4500, category: "커피", soldOut: false, optionGroups: [] },
      { name: "카페라떼", price: 5000, category: "커피", soldOut: false, optionGroups: [] },
      { name: "바닐라라떼", price: 5500, category: "커피", soldOut: false, optionGroups: [] },
      { name: "크루아상", price: 3800, category: "베이커리", soldOut: false, optionGroups: [] },
      { name: "초코쿠키", price: 3000, category: "베이커리", soldOut: false, optionGroups: [] },
    ])
  ).map((m) => m.itemId);
  const [americano, latte, vanilla, croissant, cookie] = menu as [
    string,
    string,
    string,
    string,
    string,
  ];
  // Two older days, the older one already paid out.
  await pastDay(
    store.storeId,
    3,
    {
      orderCount: 9,
      grossAmount: 41_300,
      netAmount: 41_300,
      averageTicket: 4589,
      byHour: [{ hour: 10, orderCount: 9, amount: 41_300 }],
    },
    true,
  );
  wide = await pastDay(store.storeId, 2, {
    orderCount: 40,
    grossAmount: 1_284_000,
    netAmount: 1_284_000,
    averageTicket: 32_100,
    byItem: [{ name: "단체 도시락", qty: 40, amount: 1_284_000 }],
    byHour: Array.from({ length: 14 }, (_, i) => ({
      hour: 8 + i,
      orderCount: 1 + (i % 5),
      amount: 30_000 + ((i * 37_000) % 150_000),
    })),
  });

  clock.set(at("08:50"));
  session = (await login(t.app, store, { addr: "10.8.0.1" })).cookie;
  expect((await post(t.app, "/store/day/ready", session)).status).toBe(204);
  clock.set(at("08:58"));
  expect((await post(t.app, "/store/day/open", session)).status).toBe(204);

  const sales: [string, string, number][] = [
    ["09:05", americano, 2],
    ["09:22", latte, 1],
    ["09:48", croissant, 2],
    ["10:15", vanilla, 1],
    ["10:40", americano, 1],
    ["11:20", americano, 3],
    ["12:05", latte, 2],
    ["12:18", croissant, 1],
    ["12:31", vanilla, 2],
    ["12:47", americano, 1],
    ["13:10", cookie, 4],
    ["15:30", latte, 1],
    ["16:12", americano, 2],
  ];
  for (const [time, itemId, qty] of sales) {
    clock.set(at(time));
    const { order } = await paidOrder(t.deps, emu, itemId, { qty });
    clock.advance(4 * 60_000);
    expect((await post(t.app, `/store/orders/${order.id}/ready`, session)).status).toBe(200);
    clock.advance(60_000);
    expect((await post(t.app, `/store/orders/${order.id}/pickup`, session)).status).toBe(200);
  }
  // The store cancels one (refunded through KakaoPay) ...
  clock.set(at("14:02"));
  const canceled = await paidOrder(t.deps, emu, vanilla, { qty: 2 });
  const res = await post(t.app, `/store/orders/${canceled.order.id}/cancel`, session, {
    reason: "재료 소진",
  });
  expect(res.status).toBe(200);
  // ... and one approval is lost on the way: accounting finds the capture and refunds it.
  clock.set(at("16:40"));
  await lostApproval(cookie);

  clock.set(at("17:30"));
  dayId = await closeDay(store.storeId, session);
  report = await runAccounting(t.deps, { storeId: store.storeId, dayId });

  // Today: a day readied and closed at once; its accounting job is queued but nobody runs it.
  clock.set(Date.now());
  expect((await post(t.app, "/store/day/ready", session)).status).toBe(204);
  pendingDayId = await closeDay(store.storeId, session, true);
}, 60_000);

describe("report pages (no browser)", () => {
  test("the accounted day is what the pages will show", () => {
    expect(report.orderCount).toBe(14);
    expect(report.canceledCount).toBe(1);
    expect(report.byHour.map((h) => h.hour)).toEqual([9, 10, 11, 12, 13, 15, 16]);
    expect(report.findings.map((f) => f.kind)).toContain("captured_without_order");
  });

  test("without a session every page redirects to the login at /", async () => {
    for (const path of ["/days", `/days/${dayId}`, "/days/nope"]) {
      const res = await get(path);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/");
    }
    const stale = await get("/days", `so_session=${store.storeId}.not-a-session`);
    expect(stale.status).toBe(302);
    expect(stale.headers.get("location")).toBe("/");
  });

  test("the list shows the store's days, newest first, each linking to its report", async () => {
    const res = await get("/days", session);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("script-src");
    const body = await res.text();
    expect(body.startsWith("<!doctype html>")).toBe(true);
    expect(body).toContain('<html lang="ko">');
    expect(body).not.toContain("<script");
    expect(body).toContain('href="/"'); // back to the counter screen
    const ids = [...body.matchAll(/data-day-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.slice(0, 2)).toEqual([pendingDayId, dayId]);
    expect(ids).toHaveLength(4);
    expect(body).toContain(`href="/days/${dayId}"`);
    expect(body).toContain(koDate(yesterday));
    expect(body).toMatch(/\d{4}년 \d{1,2}월 \d{1,2}일 \([일월화수목금토]\)/);
    expect(body).toContain(`${report.netAmount.toLocaleString("ko-KR")}원`);
    expect(body).toContain("지급 대기");
    expect(body).toContain("지급 완료");
    expect(body).toContain("정산 중"); // today's day: accounting not done
  });

  test("the report: headline numbers, one SVG bar per hour, the item table, the findings", async () => {
    const res = await get(`/days/${dayId}`, session);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).not.toContain("<script");
    expect(body).toContain(koDate(yesterday));
    for (const label of ["주문 수", "취소", "총매출", "환불", "순매출", "객단가", "첫 주문"]) {
      expect(body).toContain(label);
    }
    const won = (n: number) => `${n.toLocaleString("ko-KR")}원`;
    for (const n of [report.grossAmount, report.refundAmount, report.netAmount]) {
      expect(body).toContain(won(n));
    }
    expect(body).toContain(won(report.averageTicket));
    expect(body).toContain(">09:05<"); // first order, Korea time
    expect(body).toContain(">16:12<");

    const svg = /<svg class="hour-chart"[\s\S]*?<\/svg>/.exec(body)?.[0] ?? "";
    expect(svg).toContain('role="img"');
    expect(svg).toContain("<title");
    const bars = [...svg.matchAll(/<rect class="bar" data-hour="(\d+)"/g)].map((m) => Number(m[1]));
    expect(bars).toEqual(report.byHour.map((h) => h.hour));
    for (const h of report.byHour) {
      expect(svg).toContain(`>${h.hour}시<`);
      expect(svg).toContain(`${h.hour}시: 주문 ${h.orderCount}건, ${won(h.amount)}`);
    }
    expect(svg).toContain(">14시<"); // an hour without sales keeps its slot on the axis

    const rows = [...body.matchAll(/<tr class="item-row"><th scope="row">([^<]+)<\/th>/g)].map(
      (m) => m[1],
    );
    expect(rows).toEqual(report.byItem.map((i) => i.name));
    expect(body).toContain("비중");
    expect(body).toMatch(/\d+\.\d%/);

    expect(body).toContain("승인 누락 결제 환불");
    expect(body).toContain(`환불 ${won(3000)}`);
  });

  test("a day with many hours gets a bar for each", async () => {
    const body = await (await get(`/days/${wide.dayId}`, session)).text();
    expect(body.match(/<rect class="bar"/g)).toHaveLength(14);
    expect(body).toContain("특이 사항이 없습니다");
  });

  test("a day whose accounting is still running: 정산 중, refreshed every 3 s", async () => {
    const res = await get(`/days/${pendingDayId}`, session);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain("정산 중입니다");
    expect(body).toContain('<meta http-equiv="refresh" content="3"');
    expect(body).not.toContain("hour-chart");
  });

  test("another store's day is a Korean 404, the same as a day that does not exist", async () => {
    const other = await seedStore(t.deps, { name: "다른 가게" });
    const otherSession = (await login(t.app, other, { addr: "10.8.0.2" })).cookie;
    const res = await get(`/days/${dayId}`, otherSession);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toContain("영업일을 찾을 수 없습니다");
    expect(body).not.toContain(koDate(yesterday));
    const missing = await get("/days/00000000-0000-0000-0000-000000000000", otherSession);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe(body);
    expect((await get("/days/bad%20id!", otherSession)).status).toBe(404);
    // Its own list does not show the other store's days.
    expect(await (await get("/days", otherSession)).text()).not.toContain(dayId);
  });

  test("the stylesheet is served and cacheable by version", async () => {
    const page = await (await get("/days", session)).text();
    const href = /href="(\/days\/report\.css\?v=[0-9a-f]+)"/.exec(page)?.[1];
    expect(href).toBeDefined();
    const css = await app.request(href!);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toContain("text/css");
    expect(css.headers.get("cache-control")).toContain("immutable");
    expect(await css.text()).toContain("@media print");
  });
});

describe("report pages in Chromium", () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const root = new Hono();
    root.route("/days", reportRoutes(t.deps));
    root.route("/", t.app);
    server = Bun.serve({ port: 0, fetch: root.fetch, idleTimeout: 60 });
    browser = await launchBrowser();
  });

  /** Collects page errors and CSP violations so they fail the test. */
  function watch(page: Page) {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    return errors;
  }

  async function context(viewport: { width: number; height: number }, mobile = false) {
    if (!browser || !server) throw new Error("browser or server did not start");
    const ctx = await browser.newContext({
      viewport,
      locale: "ko-KR",
      timezoneId: "Asia/Seoul",
      ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    });
    const [name, value] = session.split("=") as [string, string];
    await ctx.addCookies([{ name, value, url: `http://127.0.0.1:${server.port}` }]);
    return ctx;
  }

  test("list → day report on a tablet, a phone and in print", async () => {
    const base = `http://127.0.0.1:${server!.port}`;

    // Without the cookie the browser lands on the login.
    const anon = await browser!.newContext();
    const anonPage = await anon.newPage();
    await anonPage.goto(`${base}/days`);
    expect(new URL(anonPage.url()).pathname).toBe("/");
    await anon.close();

    const tablet = await context(TABLET);
    const page = await tablet.newPage();
    const errors = watch(page);
    await page.goto(`${base}/days`);
    expect(await page.locator("h1").textContent()).toBe("지난 영업일");
    expect(await page.locator("a.day-row").count()).toBe(4);
    await page.screenshot({ path: join(ARTIFACTS, "report-list.png"), fullPage: true });

    await page.locator(`a.day-row[data-day-id="${dayId}"]`).click();
    await page.waitForURL(`${base}/days/${dayId}`);
    expect(await page.locator("h1").textContent()).toBe(koDate(yesterday));
    const chart = page.locator("svg.hour-chart");
    await chart.waitFor({ state: "visible" });
    expect(await chart.locator("rect.bar").count()).toBe(report.byHour.length);
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeGreaterThan(500);
    expect(await page.locator("table.items tbody tr").count()).toBe(report.byItem.length);
    expect(await page.locator("table.items tbody th").first().textContent()).toBe(
      report.byItem[0]!.name,
    );
    // The stylesheet applied (CSP allows it): the headline tile is dark.
    const tileBg = await page
      .locator('.stat[data-tone="main"]')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(tileBg).toBe("rgb(28, 28, 30)");
    await page.screenshot({ path: join(ARTIFACTS, "report-day.png"), fullPage: true });

    // Print: navigation hidden, everything fits the A4 width.
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".topbar .nav").isVisible()).toBe(false);
    // A4 less the 12 mm page margins, at 96 dpi: what the printed page holds.
    await page.setViewportSize({ width: 703, height: 1032 });
    await page.screenshot({ path: join(ARTIFACTS, "report-print.png"), fullPage: true });
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    expect(pdf.byteLength).toBeGreaterThan(10_000);
    // The whole report fits one A4 page.
    expect(
      Buffer.from(pdf)
        .toString("latin1")
        .match(/\/Type\s*\/Page\b/g),
    ).toHaveLength(1);
    await page.emulateMedia({ media: "screen" });

    // The report still being accounted.
    await page.setViewportSize(TABLET);
    await page.goto(`${base}/days/${pendingDayId}`);
    expect(await page.locator("h1").textContent()).toBe("정산 중입니다");
    await page.screenshot({ path: join(ARTIFACTS, "report-pending.png") });
    expect(errors).toEqual([]);
    await tablet.close();

    const phone = await context(PHONE, true);
    const p = await phone.newPage();
    const phoneErrors = watch(p);
    await p.goto(`${base}/days`);
    await p.screenshot({ path: join(ARTIFACTS, "report-list-phone.png"), fullPage: true });
    await p.locator(`a.day-row[data-day-id="${dayId}"]`).click();
    await p.waitForURL(`${base}/days/${dayId}`);
    // The phone gets the same hours as horizontal bars; nothing is wider than the screen.
    const compact = p.locator("svg.hour-chart-compact");
    await compact.waitFor({ state: "visible" });
    expect(await p.locator("svg.hour-chart").isVisible()).toBe(false);
    expect(await compact.locator("rect.hbar").count()).toBe(report.byHour.length);
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(PHONE.width);
    await p.screenshot({ path: join(ARTIFACTS, "report-day-phone.png"), fullPage: true });
    expect(phoneErrors).toEqual([]);
    await phone.close();
  }, 60_000);
});
