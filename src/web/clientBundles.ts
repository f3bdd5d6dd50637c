import { bundleClient, type ClientBundles } from "./bundleClient.ts";

/** Set by src/build.ts for the compiled binary, which has no source files to bundle. */
declare const __CLIENT_BUNDLES__: ClientBundles | undefined;

/** The binary's scripts were bundled at build time; elsewhere once per process, at start. */
export const clientBundles: ClientBundles =
  typeof __CLIENT_BUNDLES__ === "undefined" ? await bundleClient() : __CLIENT_BUNDLES__;

const rebundled: (() => void)[] = [];

/** `refresh` runs after every re-bundle: the asset lists hash the new scripts (a new `?v=`). */
export function onRebundle(refresh: () => void) {
  rebundled.push(refresh);
}

/** Development: bundles the scripts again from `root` (src/web or a copy) into the served ones. */
export async function rebundle(root?: string) {
  Object.assign(clientBundles, await bundleClient(root));
  for (const refresh of rebundled) refresh();
}
