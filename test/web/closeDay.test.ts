import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { addMenuItems } from "../../src/store/menu/menu.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { paidOrder } from "../helpers/orders.ts";
import { makeTestDeps, post, SEOUL, seedStore } from "../helpers/testDeps.ts";

// A whole day from the counter screen: open, serve orders, close, and read the day's report.
const ARTIFACTS = join(import.meta.dir, "..", "artifacts");
const emu = startTestEmulator();
const t = makeTestDeps({ env: emu.env, workers: true, heartbeatMs: 1000 });
let server: ReturnType<typeof Bun.serve>;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = Bun.serve({ port: 0, fetch: t.app.fetch, idleTimeout: 60 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  server?.stop(true);
  await t.close();
  await emu.stop();
});

test("close the day from the counter screen, then see its report with the hourly chart", async () => {
  const store = await seedStore(t.deps, { name: "마감 테스트 카페" });
  const [latte, cookie] = await addMenuItems(t.deps.db, store.storeId, [
    { name: "카페라떼", price: 5000, category: "커피", soldOut: false, optionGroups: [] },
    { name: "쿠키", price: 3000, category: "디저트", soldOut: false, optionGroups: [] },
  ]);
  const ctx = await browser.newContext({
    geolocation: { latitude: SEOUL.lat, longitude: SEOUL.lng },
    permissions: ["geolocation"],
    locale: "ko-KR",
    timezoneId: "Asia/Seoul",
    viewport: { width: 1180, height: 820 },
  });
  const page = await ctx.newPage();
  const base = `http://127.0.0.1:${server.port}`;
  await page.goto(`${base}/`);
  await page.fill("#store-id", store.storeId);
  await page.fill("#pin", store.pin);
  await page.fill("#device-token", store.deviceToken);
  await page.click("#login-submit");
  await page.locator('#conn[data-mode="live"]').waitFor();
  const action = (label: string) =>
    page.locator("#day-view button.action:not([hidden])", { hasText: label });
  await action("영업 준비").click();
  await page.waitForFunction(() => document.querySelector("#state-badge")?.textContent === "준비");
  await action("영업 시작").click();
  await page.waitForFunction(
    () => document.querySelector("#state-badge")?.textContent === "영업 중",
  );

  const cookieHeader = (await ctx.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const paid = [
    await paidOrder(t.deps, emu, latte!.itemId, { qty: 2 }),
    await paidOrder(t.deps, emu, cookie!.itemId),
    await paidOrder(t.deps, emu, latte!.itemId),
  ];
  for (const { order } of paid) {
    await page.locator(`#board .order[data-order-id="${order.id}"]`).waitFor();
    expect((await post(t.app, `/store/orders/${order.id}/ready`, cookieHeader)).status).toBe(200);
    expect((await post(t.app, `/store/orders/${order.id}/pickup`, cookieHeader)).status).toBe(200);
  }
  await page.waitForFunction(() => document.querySelectorAll("#board .order").length === 0);

  // 마감 준비 and 영업 종료 each ask for a second tap.
  await action("마감 준비").click();
  await action("마감 준비").click();
  await page.waitForFunction(
    () => document.querySelector("#state-badge")?.textContent === "마감 중",
  );
  await action("영업 종료").click();
  await action("영업 종료").click();
  await page.waitForFunction(
    () => document.querySelector("#state-badge")?.textContent === "영업 전",
  );
  await page.screenshot({ path: join(ARTIFACTS, "close-day-closed.png") });

  // The accounting job (the worker runs in this process) writes the report; the page shows it.
  await page.click("#days-link");
  await page.waitForURL(`${base}/days`);
  const deadline = Date.now() + 15_000;
  let dayLink = page.locator("a[href^='/days/']").first();
  while (Date.now() < deadline && !(await page.content()).includes("18,000원")) {
    await Bun.sleep(300);
    await page.reload();
    dayLink = page.locator("a[href^='/days/']").first();
  }
  await page.screenshot({ path: join(ARTIFACTS, "close-day-list.png") });
  await dayLink.click();
  await page.locator("svg").first().waitFor();
  const html = await page.content();
  expect(html).toContain("18,000원"); // 라떼 2잔 10,000 + 쿠키 3,000 + 라떼 5,000
  expect(await page.locator("svg rect").count()).toBeGreaterThan(0);
  expect(html).toContain("카페라떼");
  expect(html).toContain("쿠키");
  await page.screenshot({ path: join(ARTIFACTS, "close-day-report.png"), fullPage: true });
  await ctx.close();
}, 90_000);
