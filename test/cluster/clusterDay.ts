import { expect } from "bun:test";
import type { Deps } from "../../src/deps.ts";
import { addMenuItems } from "../../src/store/menu/menu.ts";
import type { startTestEmulator } from "../helpers/emulator.ts";
import { americano } from "../helpers/menu.ts";
import { callSkill } from "../helpers/skill.ts";
import { SseReader } from "../helpers/sse.ts";
import { login, post, seedStore } from "../helpers/testDeps.ts";

type App = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };
type Emulator = ReturnType<typeof startTestEmulator>;

let seq = 0;

/** A store logged in with its day open and its feed held: what a counter screen does. */
export async function openStoreWithFeed(app: App, deps: Deps) {
  const store = await seedStore(deps);
  const [itemId] = (await addMenuItems(deps.db, store.storeId, [americano])).map((i) => i.itemId);
  const { res, cookie } = await login(app, store);
  expect(res.status).toBe(200);
  for (const step of ["ready", "open"]) {
    expect((await post(app, `/store/day/${step}`, cookie)).status).toBe(204);
  }
  const feed = await openFeed(app, cookie);
  return { ...store, itemId: itemId!, cookie, feed };
}

export async function openFeed(app: App, cookie: string, lastEventId?: string) {
  const headers: Record<string, string> = { cookie, accept: "text/event-stream" };
  if (lastEventId) headers["last-event-id"] = lastEventId;
  const ctrl = new AbortController();
  const res = await app.request("/store/events", { headers, signal: ctrl.signal });
  expect(res.status).toBe(200);
  return Object.assign(new SseReader(res), { abort: () => ctrl.abort() });
}

/** A customer fills a cart and presses 주문하기: the order waits at KakaoPay. */
export async function placeThroughSkills(app: App, itemId: string) {
  const user = `cluster-user-${++seq}-${Date.now()}`;
  const added = await callSkill(app, "/cart/add", user, { clientExtra: { itemId } });
  if (!added.text?.includes("담았어요")) throw new Error(`cart: ${added.text}`);
  const placed = await callSkill(app, "/orders/place", user);
  const payUrl: string | undefined =
    placed.template.outputs[0]?.basicCard?.buttons?.[0]?.webLinkUrl;
  if (!payUrl) throw new Error(`place: ${JSON.stringify(placed.template.outputs[0])}`);
  return { user, tid: payUrl.split("/").at(-1)! };
}

/** The customer approves at KakaoPay; returns the approval path it is sent back to. */
export async function approveAtKakaoPay(emu: Emulator, tid: string) {
  const location = new URL(await emu.customerApproves(tid));
  return { orderId: location.pathname.split("/")[3]!, path: location.pathname + location.search };
}

/** The customer's browser loads (or reloads) the approval page. */
export const approvalPage = async (app: App, path: string) => (await app.request(path)).text();

/** A customer orders through the chat skills and pays on the emulator's KakaoPay page. */
export async function payThroughSkills(app: App, emu: Emulator, itemId: string) {
  const { user, tid } = await placeThroughSkills(app, itemId);
  const { orderId, path } = await approveAtKakaoPay(emu, tid);
  return { orderId, tid, user, page: await approvalPage(app, path) };
}

export const paidIds = (feed: SseReader) =>
  feed.events
    .filter((e) => e.event === "order.paid")
    .map((e) => (JSON.parse(e.data) as { id: string }).id);

/** Closes the day after the last entry the feed saw, and waits for its accounting report. */
export async function closeAndReport(app: App, cookie: string, feed: SseReader) {
  const seen = feed.events.length;
  expect((await post(app, "/store/day/closing", cookie)).status).toBe(204);
  await feed.until((f) => f.events.length > seen, 5000, "the closing state");
  const lastEventId = feed.events.at(-1)!.id!;
  const closed = await post(app, "/store/day/close", cookie, { lastEventId });
  if (closed.status !== 202) throw new Error(`close: ${closed.status} ${await closed.text()}`);
  const day = lastEventId.split(":")[0]!;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await app.request(`/store/days/${day}/report`, {
      headers: { cookie, accept: "application/json" },
    });
    if (res.ok) {
      return (await res.json()) as {
        orderCount: number;
        netAmount: number;
        findings: { kind: string }[];
      };
    }
    await Bun.sleep(200);
  }
  throw new Error("no accounting report within 20 s");
}

export const nextCustomer = () => ++seq;
