import { describe, expect, test } from "bun:test";
import { dirname, join, normalize, relative } from "node:path";
import { Glob } from "bun";

// The runtime import graph of src/ and workers/, the browser code included (type-only imports are
// erased, so not counted).
const root = join(import.meta.dir, "../..");
const transpilers = {
  ts: new Bun.Transpiler({ loader: "ts" }),
  tsx: new Bun.Transpiler({ loader: "tsx" }),
};
const files = [
  ...new Glob("src/**/*.{ts,tsx}").scanSync(root),
  ...new Glob("workers/**/*.ts").scanSync(root),
].filter((f) => !f.endsWith(".d.ts"));

const graph = new Map<string, string[]>();
for (const file of files) {
  const text = await Bun.file(join(root, file)).text();
  const imports = transpilers[file.endsWith(".tsx") ? "tsx" : "ts"]
    .scanImports(text)
    .map((i) => i.path)
    .filter((p) => p.startsWith(".") && /\.tsx?$/.test(p))
    .map((p) => relative(root, normalize(join(root, dirname(file), p))));
  graph.set(file, imports);
}

function cycles() {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (f: string) => {
    if (state.get(f) === "done") return;
    if (state.get(f) === "open") {
      found.push([...path.slice(path.indexOf(f)), f]);
      return;
    }
    state.set(f, "open");
    path.push(f);
    for (const next of graph.get(f) ?? []) visit(next);
    path.pop();
    state.set(f, "done");
  };
  for (const f of graph.keys()) visit(f);
  return found;
}

const importers = (from: (f: string) => boolean, to: (f: string) => boolean) =>
  [...graph].flatMap(([f, deps]) => (from(f) ? deps.filter(to).map((d) => `${f} -> ${d}`) : []));

describe("import graph", () => {
  test("scans the sources", () => {
    expect(graph.get("src/server.ts")).toContain("workers/index.ts");
  });

  test("no import cycle between modules", () => {
    expect(cycles().map((c) => c.join(" -> "))).toEqual([]);
  });

  test("the browser code imports only its own modules and src/shared", () => {
    const storeClient = (f: string) => f.startsWith("src/web/client/");
    const chatClient = (f: string) => f.startsWith("src/web/chat/client/");
    const shared = (d: string) => d.startsWith("src/shared/");
    expect(graph.get("src/web/client/main.ts")).toContain("src/web/client/storeClient.ts");
    expect(importers(storeClient, (d) => !storeClient(d) && !shared(d))).toEqual([]);
    expect(importers(chatClient, (d) => !chatClient(d) && !shared(d))).toEqual([]);
  });

  test("only the composition root (src/server.ts) imports the workers", () => {
    const inSrc = (f: string) => f.startsWith("src/") && f !== "src/server.ts";
    expect(importers(inSrc, (d) => d.startsWith("workers/"))).toEqual([]);
  });

  test("ordering uses no payment logic (only the KakaoPay client)", () => {
    const paymentLogic = (d: string) =>
      d.startsWith("src/payment/") && !/\/kakaopay(Errors|Guard)?\.ts$/.test(d);
    expect(importers((f) => f.startsWith("src/ordering/"), paymentLogic)).toEqual([]);
  });
});
