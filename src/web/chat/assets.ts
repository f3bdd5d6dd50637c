import { type StaticAsset, staticAsset } from "../staticAsset.ts";
import { chatClient } from "./chatClient.ts";
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

/**
 * The chat page's static files under `/dev/chat/assets/`, built once per process. The script is
 * the type-checked `chatClient` function as Bun runs it (types stripped), wrapped to run at once,
 * exactly like the store client (../assets.ts). Paths are relative to the page's mount point.
 */
export const chatAssets = {
  "chat.js": asset(
    "chat.js",
    `"use strict";\n(${chatClient.toString()})();\n`,
    "text/javascript; charset=utf-8",
  ),
  "chat.css": asset("chat.css", chatCss, "text/css; charset=utf-8"),
  "sample.svg": asset("sample.svg", sampleSvg, "image/svg+xml"),
} satisfies Record<string, StaticAsset>;

export type ChatAssetName = keyof typeof chatAssets;
