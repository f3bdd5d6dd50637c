// `bun run build`: bundles the browser scripts, writes them to dist/client/ (to look at), and
// compiles the server into dist/simple-order with those scripts inlined (no sources at run time).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleClient } from "./web/bundleClient.ts";

const root = join(import.meta.dir, "..");
const dist = join(root, "dist");

const bundles = await bundleClient();
mkdirSync(join(dist, "client"), { recursive: true });
for (const [name, { js, map }] of Object.entries(bundles)) {
  writeFileSync(join(dist, "client", name), js);
  writeFileSync(join(dist, "client", `${name}.map`), map);
}

const result = await Bun.build({
  entrypoints: [join(root, "src/main.ts")],
  compile: { outfile: join(dist, "simple-order") },
  minify: true,
  sourcemap: "linked",
  define: { __CLIENT_BUNDLES__: JSON.stringify(bundles) },
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
