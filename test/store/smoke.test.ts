import { afterAll, expect, test } from "bun:test";
import { SseReader } from "../helpers/sse.ts";
import { login, makeTestDeps, post, seedStore } from "../helpers/testDeps.ts";

const t = makeTestDeps();
afterAll(() => t.close());

test("smoke: login, ready, open, feed", async () => {
  const store = await seedStore(t.deps);
  const { res, cookie } = await login(t.app, store);
  expect(res.status).toBe(200);
  const ctrl = new AbortController();
  const feed = new SseReader(
    await t.app.request("/store/events", { headers: { cookie }, signal: ctrl.signal }),
  );
  expect((await post(t.app, "/store/day/ready", cookie)).status).toBe(204);
  expect((await post(t.app, "/store/day/open", cookie)).status).toBe(204);
  await feed.until((r) => r.events.length >= 2);
  expect(feed.types()).toEqual(["ready", "state"]);
  const day = await (await t.app.request("/store/day", { headers: { cookie } })).json();
  expect(day.day.state).toBe("OPEN");
  ctrl.abort();
});
