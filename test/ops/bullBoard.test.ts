import { afterAll, describe, expect, test } from "bun:test";
import { makeTestDeps } from "../helpers/testDeps.ts";

const t = makeTestDeps();
afterAll(() => t.close());
const basic = {
  authorization: `Basic ${Buffer.from("operator:test-operator-token").toString("base64")}`,
};

describe("bull-board at /admin/queues", () => {
  test("refused without operator auth, with no queue names leaked", async () => {
    for (const path of [
      "/admin/queues",
      "/admin/queues/api/queues",
      "/admin/queues/static/js/main.js",
    ]) {
      const res = await t.app.request(path);
      expect(res.status).toBe(401);
      const body = await res.text();
      for (const q of ["payment", "notify", "accounting", "sweep"]) expect(body).not.toContain(q);
    }
    const wrong = await t.app.request("/admin/queues", {
      headers: { authorization: `Basic ${Buffer.from("operator:nope").toString("base64")}` },
    });
    expect(wrong.status).toBe(401);
  });

  test("the page, its assets and every queue with Basic or Bearer auth", async () => {
    const page = await t.app.request("/admin/queues", { headers: basic });
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = html.match(/src="([^"]+\.js)"/)?.[1];
    expect(html).toContain('<base href="/admin/queues/"');
    expect(script).toStartWith("static/");
    const asset = await t.app.request(`/admin/queues/${script}`, { headers: basic });
    expect(asset.status).toBe(200);
    const api = await t.app.request("/admin/queues/api/queues", {
      headers: { authorization: "Bearer test-operator-token" },
    });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: { name: string }[] }).queues
      .map((q) => q.name)
      .sort();
    expect(names).toEqual(["accounting", "notify", "payment", "sweep"]);
  });
});
