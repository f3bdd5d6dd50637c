import { afterAll, describe, expect, test } from "bun:test";
import { sqliteClient } from "../../src/infra/db.ts";
import { login, makeTestDeps, post, seedStore } from "../helpers/testDeps.ts";

const t = makeTestDeps();
afterAll(() => t.close());
const bearer = { authorization: "Bearer test-operator-token" };
const basic = (user: string, pass: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`,
});

describe("operator surface", () => {
  test("/healthz reports Redis and SQLite", async () => {
    const res = await t.app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, redis: true, sqlite: true, kakaopay: "closed" });
  });

  test("/metrics needs the operator token (Bearer or Basic operator:token)", async () => {
    expect((await t.app.request("/metrics")).status).toBe(401);
    expect(
      (await t.app.request("/metrics", { headers: basic("admin", "test-operator-token") })).status,
    ).toBe(401);
    expect(
      (await t.app.request("/metrics", { headers: { authorization: "Bearer wrong" } })).status,
    ).toBe(401);
    const denied = await t.app.request("/metrics");
    expect(denied.headers.get("www-authenticate")).toContain("Basic");
    expect(
      (await t.app.request("/metrics", { headers: basic("operator", "test-operator-token") }))
        .status,
    ).toBe(200);
  });

  test("/metrics counts requests, day transitions and open feeds", async () => {
    const store = await seedStore(t.deps);
    const { cookie } = await login(t.app, store, { addr: "10.5.0.1" });
    await post(t.app, "/store/day/ready", cookie);
    await post(t.app, "/store/day/open", cookie);
    const ctrl = new AbortController();
    await t.app.request("/store/events", { headers: { cookie }, signal: ctrl.signal });
    await Bun.sleep(20);
    const text = await (await t.app.request("/metrics", { headers: bearer })).text();
    expect(text).toContain('day_transitions_total{to="OPEN"} 1');
    expect(text).toContain('day_transitions_total{to="READY"} 1');
    expect(text).toMatch(/sse_feeds_open 1\n/);
    expect(text).toMatch(
      /http_requests_total\{method="POST",route="\/store\/day\/open",status="204"\} 1/,
    );
    expect(text).toContain("http_request_duration_seconds_bucket");
    ctrl.abort();
  });

  test("every response carries a request id", async () => {
    const res = await t.app.request("/healthz");
    expect(res.headers.get("x-request-id")).toBeString();
  });

  test("unknown paths are a JSON 404", async () => {
    const res = await t.app.request("/nope");
    expect(res.status).toBe(404);
    expect((await res.json()).error).toBe("not_found");
  });

  test("an internal failure is a plain 500 without a stack trace; /healthz turns 503", async () => {
    const broken = makeTestDeps();
    const store = await seedStore(broken.deps);
    const { cookie } = await login(broken.app, store, { addr: "10.5.0.2" });
    sqliteClient(broken.deps.db).close();
    const res = await broken.app.request("/store/day", { headers: { cookie } });
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({ error: "internal", message: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain("at ");
    const health = await broken.app.request("/healthz");
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, sqlite: false, redis: true });
    await broken.close().catch(() => {});
  });
});
