/** The browser scripts: each entry (under src/web) is an ES module bundled by Bun for the browser. */
export const CLIENT_ENTRIES = {
  "store.js": "client/main.ts",
  "chat.js": "chat/client/main.ts",
} as const;

export type ClientScript = keyof typeof CLIENT_ENTRIES;
/** A script and its source map, the script ending in a link to `<name>.map`. */
export type ClientBundle = { js: string; map: string };
export type ClientBundles = Record<ClientScript, ClientBundle>;

async function bundleOne(name: ClientScript, root: string): Promise<ClientBundle> {
  const result = await Bun.build({
    entrypoints: [`${root}/${CLIENT_ENTRIES[name]}`],
    target: "browser",
    format: "iife",
    minify: true,
    sourcemap: "external",
  });
  if (!result.success) throw new AggregateError(result.logs, `bundling ${name} failed`);
  const js = result.outputs.find((o) => o.kind === "entry-point");
  const map = result.outputs.find((o) => o.kind === "sourcemap");
  if (!js || !map) throw new Error(`bundling ${name}: no script or source map`);
  return { js: `${await js.text()}//# sourceMappingURL=${name}.map\n`, map: await map.text() };
}

/**
 * Bundles every browser script from its sources (the build, and every start outside the binary);
 * `root` is src/web, or a copy of it.
 */
export async function bundleClient(root: string = import.meta.dir): Promise<ClientBundles> {
  const names = Object.keys(CLIENT_ENTRIES) as ClientScript[];
  const built = await Promise.all(names.map((n) => bundleOne(n, root)));
  return Object.fromEntries(names.map((n, i) => [n, built[i]])) as ClientBundles;
}
