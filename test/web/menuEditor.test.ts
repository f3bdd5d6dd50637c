import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { addMenuItems, listMenu } from "../../src/store/menu/menu.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { callSkill } from "../helpers/skill.ts";
import { makeTestDeps, SEOUL, seedStore } from "../helpers/testDeps.ts";

/** The counter screen's menu tab: ▲▼ set the order customers see in the chat. */

const ARTIFACTS = join(import.meta.dir, "..", "artifacts");
const t = makeTestDeps({ heartbeatMs: 1000 });
let server: ReturnType<typeof Bun.serve> | undefined;
let browser: Browser | undefined;
let page: Page;
let store: Awaited<ReturnType<typeof seedStore>>;
const errors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  store = await seedStore(t.deps, { name: "메뉴 순서 카페" });
  await addMenuItems(t.deps.db, store.storeId, [
    { name: "아메리카노", price: 4500, category: "커피", soldOut: false, optionGroups: [] },
    { name: "카페라떼", price: 5000, category: "커피", soldOut: false, optionGroups: [] },
    { name: "버터쿠키", price: 3000, category: "디저트", soldOut: false, optionGroups: [] },
  ]);
  server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: t.app.fetch, idleTimeout: 60 });
  browser = await launchBrowser();
  const ctx = await browser.newContext({
    geolocation: { latitude: SEOUL.lat, longitude: SEOUL.lng },
    permissions: ["geolocation"],
    locale: "ko-KR",
    timezoneId: "Asia/Seoul",
    viewport: { width: 1180, height: 820 },
  });
  page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop(true);
  await t.close();
});

const sections = () =>
  page
    .locator("#menu-list .menu-group")
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.category ?? ""));
const itemNames = () =>
  page.locator("#menu-list .mi-name").evaluateAll((els) => els.map((e) => e.textContent ?? ""));
const chatTitles = async () => {
  const res = await callSkill(t.app, "/menu", "menu-editor-user", {
    clientExtra: { storeId: store.storeId },
  });
  return res.template.outputs
    .flatMap((o) => o.carousel?.items ?? [])
    .map((c: { title: string }) => c.title);
};

describe("menu editor in Chromium", () => {
  test("▲▼ move a category and an item; the chat shows the new order; a reload keeps it", async () => {
    await page.goto(`http://127.0.0.1:${server!.port}/`);
    await page.fill("#store-id", store.storeId);
    await page.fill("#pin", store.pin);
    await page.fill("#device-token", store.deviceToken);
    await page.click("#login-submit");
    await page.locator("#day-view").waitFor({ state: "visible" });
    await page.click('#tabs [data-tab="menu"]');
    await page.locator("#menu-list .mi").first().waitFor();
    expect(await sections()).toEqual(["커피", "디저트"]);
    // the ends cannot move further
    expect(await page.locator('[aria-label="커피 분류 위로"]').isDisabled()).toBe(true);
    expect(await page.locator('[aria-label="버터쿠키 아래로"]').isDisabled()).toBe(true);

    await page.click('[aria-label="디저트 분류 위로"]');
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>("#menu-list .menu-group")?.dataset.category ===
        "디저트",
    );
    await page.locator('[aria-label="디저트 분류 위로"]:disabled').waitFor();
    await page.click('[aria-label="아메리카노 아래로"]');
    await page.locator('[aria-label="카페라떼 위로"]:disabled').waitFor();
    expect(await itemNames()).toEqual(["버터쿠키", "카페라떼", "아메리카노"]);
    await page.screenshot({ path: join(ARTIFACTS, "menu-order.png") });

    // the server kept it (the buttons wait for its answer), and the chat follows it
    await page.locator("#menu-list .mv:enabled").first().waitFor();
    expect((await listMenu(t.deps.db, store.storeId)).map((i) => i.name)).toEqual([
      "버터쿠키",
      "카페라떼",
      "아메리카노",
    ]);
    expect(await chatTitles()).toEqual(["버터쿠키", "카페라떼", "아메리카노"]);

    // the next visit: a reload shows the same order
    await page.reload();
    await page.click('#tabs [data-tab="menu"]');
    await page.locator("#menu-list .mi").first().waitFor();
    expect(await sections()).toEqual(["디저트", "커피"]);
    expect(await itemNames()).toEqual(["버터쿠키", "카페라떼", "아메리카노"]);
    expect(errors).toEqual([]);
  }, 60_000);
});
