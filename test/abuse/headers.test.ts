import { afterAll, describe, expect, test } from "bun:test";
import { launchBrowser } from "../helpers/browser.ts";
import { makeTestDeps } from "../helpers/testDeps.ts";

const overHttp = makeTestDeps({ env: { PUBLIC_URL: "http://localhost:3000" } });
const overHttps = makeTestDeps({ env: { PUBLIC_URL: "https://order.example.kr" } });
afterAll(async () => {
  await overHttp.close();
  await overHttps.close();
});

const operator = { authorization: "Bearer test-operator-token" };
const HSTS = "max-age=15552000; includeSubDomains";

/** Every HTML page the app serves (without a store session). */
const PAGES: [string, Record<string, string>?][] = [
  ["/"],
  ["/dev/chat"],
  ["/docs"],
  ["/pay/kakaopay/no-such-order/approve?pg_token=x"],
  ["/admin/queues", operator],
];

async function get(t: typeof overHttp, path: string, headers?: Record<string, string>) {
  const res = await t.app.request(path, { headers });
  expect(res.headers.get("content-type") ?? "").toContain(
    path === "/healthz" ? "json" : "text/html",
  );
  return res.headers;
}

function expectSecure(headers: Headers) {
  expect(headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("x-frame-options")).toBe("DENY");
  expect(headers.get("referrer-policy")).toBe("no-referrer");
  expect(headers.get("cross-origin-opener-policy")).toBe("same-origin");
}

describe("security headers", () => {
  test("every HTML page: a CSP, no sniffing, no framing, no referrer; no HSTS over http", async () => {
    for (const [path, headers] of PAGES) {
      const h = await get(overHttp, path, headers);
      expectSecure(h);
      expect(h.get("strict-transport-security")).toBeNull();
    }
  });

  test("over https every page and API answer carries Strict-Transport-Security", async () => {
    for (const [path, headers] of [...PAGES, ["/healthz"] as [string]]) {
      const h = await get(overHttps, path, headers);
      expect(h.get("strict-transport-security")).toBe(HSTS);
    }
  });

  test("the store client and the chat simulator keep their own, stricter CSP", async () => {
    const store = (await get(overHttp, "/")).get("content-security-policy")!;
    expect(store).toStartWith("default-src 'none'; script-src 'self'; style-src 'self';");
    expect(store).not.toContain("unsafe-inline");
    expect(store).toContain("connect-src 'self'");
    const chat = (await get(overHttp, "/dev/chat")).get("content-security-policy")!;
    expect(chat).toContain("img-src 'self' data: https: http:");
    expect(chat).not.toContain("unsafe-inline");
    expect((await get(overHttp, "/")).get("permissions-policy")).toContain("geolocation=(self)");
  });

  test("the payment result page, /docs and bull-board render under the default CSP without a violation", async () => {
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: overHttp.app.fetch });
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({
        httpCredentials: { username: "operator", password: "test-operator-token" },
      });
      const page = await context.newPage();
      const refused: string[] = [];
      page.on("console", (m) => {
        if (m.text().includes("Content Security Policy")) refused.push(m.text());
      });
      const base = `http://127.0.0.1:${server.port}`;
      await page.goto(`${base}/pay/kakaopay/no-such-order/approve?pg_token=x`);
      expect(await page.textContent("h1")).toBe("주문을 찾을 수 없어요");
      // The page's own <style> applies: the heading is not the browser's default 2em/32px.
      const size = await page.$eval("h1", (h) => getComputedStyle(h).fontSize);
      expect(size).not.toBe("32px");
      // Scalar renders /openapi.json from its bundle on this server (no CDN reachable here).
      await page.goto(`${base}/docs`);
      await page.getByText("Log in a counter device").first().waitFor({ timeout: 15_000 });
      await page.goto(`${base}/admin/queues`);
      await page.getByText("payment").first().waitFor({ timeout: 10_000 });
      expect(refused).toEqual([]);
    } finally {
      await browser.close();
      server.stop(true);
    }
  }, 30_000);
});
