import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BOARD_PATH } from "../../src/ops/bullBoard.ts";
import { makeTestDeps } from "../helpers/testDeps.ts";

const t = makeTestDeps();
afterAll(() => t.close());

const SRC = join(import.meta.dir, "../../src");

function sourceText() {
  return readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => readFileSync(join(SRC, f), "utf8"))
    .join("\n");
}

/**
 * The paths our source writes out where it mounts a sub-app (`.route("/store", …)`) and where it
 * registers a route (`.post("/orders/place", …)`, `createRoute({ method, path: "/{id}/accept" })`). A name in their place
 * counts when the source defines it as a literal (`const BOARD_PATH = "/admin/queues"`).
 */
function writtenPaths(src: string) {
  const constants = new Map(
    [...src.matchAll(/\b([A-Z][A-Z0-9_]*)\s*=\s*"(\/[^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
  );
  const arg = String.raw`\(\s*(?:"(\/[^"]*)"|([A-Z][A-Z0-9_]*)\b)`;
  const found = (re: RegExp) =>
    new Set(
      [...src.matchAll(re)]
        .map((m) => m[1] ?? constants.get(m[2] ?? ""))
        .filter((p): p is string => p !== undefined)
        .map((p) => p.replace(/\{(\w+)\}/g, ":$1")),
    );
  const mounts = found(new RegExp(String.raw`\.(?:route|basePath)${arg}`, "g"));
  const routes = found(new RegExp(String.raw`\.(?:get|post|put|patch|delete|all)${arg}`, "g"));
  for (const m of src.matchAll(/createRoute\(\{\s*method:\s*"\w+",\s*path:\s*"(\/[^"]*)"/g)) {
    routes.add(m[1]!.replace(/\{(\w+)\}/g, ":$1"));
  }
  return { mounts, routes };
}

/** `path` is some written mounts, one after another, then a written route path. */
function findable(path: string, written: ReturnType<typeof writtenPaths>): boolean {
  if (written.routes.has(path) || (path === "" && written.routes.has("/"))) return true;
  return [...written.mounts].some(
    (m) =>
      m !== "/" &&
      path.startsWith(m) &&
      (path.length === m.length || path[m.length] === "/") &&
      findable(path.slice(m.length), written),
  );
}

describe("routes are findable by text", () => {
  test("every registered path is written out in src/, never assembled in a loop", () => {
    const written = writtenPaths(sourceText());
    // The queue board's own routes are Bull Board's, registered inside the library.
    const ours = t.app.routes.filter(
      (r) => r.method !== "ALL" && !r.path.startsWith(`${BOARD_PATH}/`),
    );
    expect(ours.length).toBeGreaterThan(40);
    const paths = ours.map((r) => r.path);
    for (const path of [
      "/kakao/skill/orders/place",
      "/assets/store.js",
      "/pay/kakaopay/:orderId/fail",
    ]) {
      expect(paths).toContain(path);
    }
    const hidden = [...new Set(paths)].filter((p) => !findable(p, written));
    expect(hidden).toEqual([]);
  });
});
