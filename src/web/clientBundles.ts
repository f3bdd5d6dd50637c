import { bundleClient, type ClientBundles } from "./bundleClient.ts";

/** Set by src/build.ts for the compiled binary, which has no source files to bundle. */
declare const __CLIENT_BUNDLES__: ClientBundles | undefined;

/** The binary's scripts were bundled at build time; elsewhere once per process, at start. */
export const clientBundles: ClientBundles =
  typeof __CLIENT_BUNDLES__ === "undefined" ? await bundleClient() : __CLIENT_BUNDLES__;
