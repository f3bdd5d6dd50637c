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

  test("/docs renders the reference", async () => {
    const res = await t.app.request("/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/store/orders/{id}/cancel");
    expect(html).toContain("Full refund through KakaoPay");
  });
});
