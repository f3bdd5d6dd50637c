import { clientBundles, onRebundle } from "../clientBundles.ts";
import { type StaticAsset, staticAsset } from "../staticAsset.ts";
import { chatCss } from "./chatCss.ts";

const asset = (name: string, body: string, type: string) =>
  staticAsset(`/assets/${name}`, body, type);

/** A neutral picture for the sample cards (and the page's own use): no external image needed. */
const sampleSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200" width="800" height="400">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="#ffe9a8"/><stop offset="1" stop-color="#f6c26b"/></linearGradient></defs>
<rect width="400" height="200" fill="url(#g)"/>
<circle cx="200" cy="112" r="52" fill="#fff8e6"/>
<circle cx="200" cy="112" r="38" fill="#c98a4b"/>
<path d="M150 112h100" stroke="#fff8e6" stroke-width="6" stroke-linecap="round" opacity=".5"/>
<rect x="246" y="92" width="26" height="40" rx="13" fill="none" stroke="#fff8e6" stroke-width="8"/>
<path d="M176 40c-8 12 8 18 0 30M200 34c-8 12 8 18 0 30M224 40c-8 12 8 18 0 30" stroke="#fff8e6" stroke-width="6" fill="none" stroke-linecap="round"/>
</svg>`;

const scripts = () => ({
  "chat.js": asset("chat.js", clientBundles["chat.js"].js, "text/javascript; charset=utf-8"),
  "chat.js.map": asset("chat.js.map", clientBundles["chat.js"].map, "application/json"),
});

/**
 * The chat page's static files under `/dev/chat/assets/`: the script bundled from
 * ./client/main.ts (see ../bundleClient.ts) and its source map, the style sheet and the sample
 * picture. Paths are relative to the page's mount point.
 */
export const chatAssets = {
  ...scripts(),
  "chat.css": asset("chat.css", chatCss, "text/css; charset=utf-8"),
  "sample.svg": asset("sample.svg", sampleSvg, "image/svg+xml"),
} satisfies Record<string, StaticAsset>;

onRebundle(() => Object.assign(chatAssets, scripts()));

export type ChatAssetName = keyof typeof chatAssets;
