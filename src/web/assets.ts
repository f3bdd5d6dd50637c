import { boardLib } from "./client/boardLib.ts";
import { storeClient } from "./client/storeClient.ts";
import { storeCss } from "./storeCss.ts";

export type Asset = { body: string; type: string; etag: string; path: string };

function asset(name: string, body: string, type: string): Asset {
  const hash = new Bun.CryptoHasher("sha256").update(body).digest("hex").slice(0, 16);
  return { body, type, etag: `"${hash}"`, path: `/assets/${name}?v=${hash}` };
}

/**
 * The page's two static files, built once per process. The script is the type-checked
 * `storeClient` function as Bun runs it (types stripped), called at once with the board logic
 * (`boardLib`, likewise self-contained): plain JS, no build step. The `?v=` hash in the page's
 * links lets browsers cache them for a year.
 */
export const assets = {
  "store.js": asset(
    "store.js",
    `"use strict";\n(${storeClient.toString()})((${boardLib.toString()})());\n`,
    "text/javascript; charset=utf-8",
  ),
  "store.css": asset("store.css", storeCss, "text/css; charset=utf-8"),
} satisfies Record<string, Asset>;

export type AssetName = keyof typeof assets;
