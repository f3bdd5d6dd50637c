import { clientBundles, onRebundle } from "./clientBundles.ts";
import { type StaticAsset, staticAsset } from "./staticAsset.ts";
import { storeCss } from "./storeCss.ts";

const asset = (name: string, body: string, type: string) =>
  staticAsset(`/assets/${name}`, body, type);

const JS = "text/javascript; charset=utf-8";

/**
 * The page's static files: its script (bundled from ./client/main.ts, see ./bundleClient.ts), the
 * script's source map and its style sheet. The `?v=` hash in the page's links lets browsers cache
 * them for a year.
 */
const scripts = () => ({
  "store.js": asset("store.js", clientBundles["store.js"].js, JS),
  "store.js.map": asset("store.js.map", clientBundles["store.js"].map, "application/json"),
});

export const assets = {
  ...scripts(),
  "store.css": asset("store.css", storeCss, "text/css; charset=utf-8"),
} satisfies Record<string, StaticAsset>;

onRebundle(() => Object.assign(assets, scripts()));

export type AssetName = keyof typeof assets;
