import { afterAll, describe, expect, test } from "bun:test";
import { makeTestDeps } from "../helpers/testDeps.ts";

const t = makeTestDeps();
afterAll(() => t.close());

describe("API documentation", () => {
  test("/openapi.json is OpenAPI 3.1 with every store route and the zod request schemas", async () => {
    const doc = await (await t.app.request("/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    for (const path of [
      "/store/auth/login",
      "/store/day/close",
      "/store/events",
      "/store/orders/{id}/cancel",
      "/store/menu/items/{id}",
      "/store/days/{id}/report",
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    const login =
      doc.paths["/store/auth/login"].post.requestBody.content["application/json"].schema;
    expect(login.required).toEqual(
      expect.arrayContaining(["storeId", "pin", "deviceToken", "location"]),
    );
    const cancel =
      doc.paths["/store/orders/{id}/cancel"].post.requestBody.content["application/json"].schema;
    expect(cancel.properties.reason.maxLength).toBe(200);
    const item = doc.paths["/store/menu/items"].post.requestBody.content["application/json"].schema;
    expect(item.properties.price).toMatchObject({ type: "integer", maximum: 10_000_000 });
    expect(doc.paths["/store/day/close"].post.responses["409"].description).toContain(
      "client_behind",
    );
  });

  test("every registered store route is in /openapi.json, with its method", async () => {
    const doc = await (await t.app.request("/openapi.json")).json();
    const routes = t.app.routes.filter((r) => r.path.startsWith("/store") && r.method !== "ALL");
    expect(routes.length).toBeGreaterThan(15);
    const missing = routes
      .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:(\w+)/g, "{$1}") }))
      .filter(({ method, path }) => !doc.paths[path]?.[method])
      .map(({ method, path }) => `${method} ${path}`);
    expect(missing).toEqual([]);
  });

  test("queries, responses and errors come from the route declarations", async () => {
    const doc = await (await t.app.request("/openapi.json")).json();
    const days = doc.paths["/store/days"].get;
    expect(days.parameters).toContainEqual(expect.objectContaining({ name: "limit", in: "query" }));
    const list = days.responses["200"].content["application/json"].schema;
    expect(list.properties.days.items.properties.netAmount).toBeDefined();
    const accept = doc.paths["/store/orders/{id}/accept"].post;
    expect(
      accept.responses["409"].content["application/json"].schema.properties.error.enum,
    ).toEqual(["invalid_transition"]);
    expect(doc.paths["/store/auth/login"].post.security).toEqual([]);
    expect(doc.components.securitySchemes.session).toMatchObject({
      in: "cookie",
      name: "so_session",
    });
  });

  test("a refused body is still our 400 shape, with the field in issues", async () => {
    const res = await t.app.request("/store/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ storeId: "s", pin: "1234", deviceToken: "d" }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe("invalid_input");
    expect(body.issues.map((i: { path: string }) => i.path)).toContain("location");
  });

  test("/docs is Scalar's reference, served from this server under its own nonce CSP", async () => {
    const res = await t.app.request("/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('src="/docs/scalar.js"');
    expect(html).toContain("/openapi.json");
    expect(html).not.toContain("cdn.jsdelivr");
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = csp.match(/'nonce-(\w+)'/)?.[1];
    expect(nonce).toBeDefined();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(csp).not.toContain("https:");
    const script = await t.app.request("/docs/scalar.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(await script.text()).toContain("createApiReference");
  });
});
