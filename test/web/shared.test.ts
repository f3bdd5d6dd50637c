// The paths and feed event names in src/shared, which the counter screen is built from, are the
// ones the server answers: a renamed route or event breaks here, not only in a browser.
import { afterAll, describe, expect, test } from "bun:test";
import { storeApi } from "../../src/shared/apiPaths.ts";
import { chatPageIds } from "../../src/shared/chatPageIds.ts";
import { FEED_EVENTS } from "../../src/shared/events.ts";
import { columnIds, storePageIds } from "../../src/shared/storePageIds.ts";
import { orderMoves } from "../../src/store/orders/orderMoves.ts";
import { login, makeTestDeps, post, seedStore } from "../helpers/testDeps.ts";

const ROOT = `${import.meta.dir}/../..`;
const t = makeTestDeps();
afterAll(async () => {
  await t.close();
});

/** The first SSE event name on the feed. */
async function firstEvent(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  let text = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return "";
      text += new TextDecoder().decode(value);
      const name = /^event: (.+)$/m.exec(text)?.[1];
      if (name) return name;
    }
  } finally {
    await reader.cancel();
  }
}

describe("src/shared against the server", () => {
  test("every store API path the screen calls is a route, and the feed speaks FEED_EVENTS", async () => {
    const store = await seedStore(t.deps, { withMenu: true });
    const { cookie } = await login(t.app, store);
    expect(cookie).not.toBe("");
    const get = (path: string) => t.app.request(path, { headers: { cookie } });

    for (const path of [storeApi.day, storeApi.orders, storeApi.menu]) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 200 });
    }
    const opened = await post(t.app, storeApi.dayAction("ready"), cookie);
    expect(opened.ok).toBe(true);

    const feed = await get(storeApi.events());
    expect(feed.headers.get("content-type")).toContain("text/event-stream");
    expect(FEED_EVENTS).toContain((await firstEvent(feed)) as never);
    for (const move of Object.values(orderMoves)) expect(FEED_EVENTS).toContain(move.event);

    // An unknown order: the order routes answer with the API's JSON error, not "no such route".
    for (const op of [...Object.keys(orderMoves), "cancel"]) {
      const res = await post(t.app, storeApi.orderMove("no-such-order", op), cookie, {
        reason: "테스트",
      });
      expect({ op, json: res.headers.get("content-type")?.includes("json") }).toEqual({
        op,
        json: true,
      });
    }

    const created = await post(t.app, storeApi.menuItems, cookie, {
      name: "라떼",
      price: 5000,
      category: "커피",
    });
    expect(created.ok).toBe(true);
    const { id } = (await created.json()) as { id: string };
    const patched = await t.app.request(storeApi.menuItem(id), {
      method: "PATCH",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ soldOut: true }),
    });
    expect(patched.ok).toBe(true);
    const menuOrder = await post(t.app, storeApi.menuOrder, cookie, { categories: ["커피"] });
    expect(menuOrder.ok).toBe(true);
    const deleted = await t.app.request(storeApi.menuItem(id), {
      method: "DELETE",
      headers: { cookie },
    });
    expect(deleted.ok).toBe(true);
    expect((await post(t.app, storeApi.logout, cookie)).status).toBe(204);
  });

  test("every page's stylesheet starts with the shared design tokens", async () => {
    const tokens = await Bun.file(`${import.meta.dir}/../../src/web/styles/tokens.css`).text();
    const store = await (await t.app.request("/assets/store.css")).text();
    const page = await (await t.app.request("/dev/chat")).text();
    const chatCss = /href="(\/dev\/chat\/assets\/chat\.css\?v=[0-9a-f]+)"/.exec(page)?.[1] ?? "";
    const chat = await (await t.app.request(chatCss)).text();
    expect(store.startsWith(tokens)).toBe(true);
    expect(chat.startsWith(tokens)).toBe(true);
    expect(tokens).toContain("--brand: #fee500;");
  });

  test("every element id the browser code looks up is on its page, named by a shared constant", async () => {
    const columns = (["PAID", "ACCEPTED", "READY"] as const).flatMap((s) =>
      Object.values(columnIds(s)),
    );
    const pages = [
      {
        page: "/",
        ids: [...Object.values(storePageIds), ...columns],
        sources: "src/web/client/*.ts",
      },
      { page: "/dev/chat", ids: Object.values(chatPageIds), sources: "src/web/chat/client/*.ts" },
    ];
    for (const { page, ids, sources } of pages) {
      const html = await (await t.app.request(page)).text();
      const onPage = new Set(Array.from(html.matchAll(/\bid="([^"]+)"/g), (m) => m[1]));
      expect({ page, missing: ids.filter((id) => !onPage.has(id)) }).toEqual({ page, missing: [] });
      // The look-ups go through the constants (typed), never a bare string the type check can't see.
      const bare: string[] = [];
      let lookups = 0;
      for await (const file of new Bun.Glob(sources).scan(ROOT)) {
        const code = await Bun.file(`${ROOT}/${file}`).text();
        lookups += code.match(/\bbyId(?:<\w+>)?\(/g)?.length ?? 0;
        for (const m of code.matchAll(/\bbyId(?:<\w+>)?\(\s*["'`]([^"'`]*)/g))
          bare.push(`${file}: ${m[1]}`);
      }
      expect(lookups).toBeGreaterThan(5);
      expect({ page, bare }).toEqual({ page, bare: [] });
    }
  });
});
