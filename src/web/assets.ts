import { alertLib } from "./client/alert.ts";
import { apiLib } from "./client/api.ts";
import { boardLib } from "./client/boardLib.ts";
import { boardViewLib } from "./client/boardView.ts";
import { bootStore, type ClientParts } from "./client/boot.ts";
import { commonLib } from "./client/common.ts";
import { dayLib } from "./client/day.ts";
import { feedLib } from "./client/feed.ts";
import { logLib } from "./client/log.ts";
import { loginLib } from "./client/login.ts";
import { menuLib } from "./client/menu.ts";
import { ordersLib } from "./client/orders.ts";
import { storeClient } from "./client/storeClient.ts";
import { type StaticAsset, staticAsset } from "./staticAsset.ts";
import { storeCss } from "./storeCss.ts";

const asset = (name: string, body: string, type: string) =>
  staticAsset(`/assets/${name}`, body, type);

const clientParts: ClientParts = {
  commonLib,
  boardLib,
  apiLib,
  logLib,
  feedLib,
  alertLib,
  boardViewLib,
  dayLib,
  ordersLib,
  menuLib,
  loginLib,
  storeClient,
};

/**
 * The store client's script: each part of src/web/client is a type-checked, self-contained
 * function, shipped as its source text as Bun runs it (types stripped), and `bootStore` wires them
 * together at once in the browser. Plain JS, no build step.
 */
const storeJs = `"use strict";\n(${bootStore.toString()})({\n${Object.entries(clientParts)
  .map(([name, part]) => `${name}: ${part.toString()},\n`)
  .join("")}});\n`;

/**
 * The page's two static files, built once per process. The `?v=` hash in the page's links lets
 * browsers cache them for a year.
 */
export const assets = {
  "store.js": asset("store.js", storeJs, "text/javascript; charset=utf-8"),
  "store.css": asset("store.css", storeCss, "text/css; charset=utf-8"),
} satisfies Record<string, StaticAsset>;

export type AssetName = keyof typeof assets;
