import { crc32, deflateSync } from "node:zlib";
import { type StaticAsset, staticAsset } from "./staticAsset.ts";

/**
 * The default card picture (a cup of coffee on a warm background), served by this app at
 * `/assets/thumbnail.png?v=<hash>`: a Kakao card needs a thumbnail, and one on Kakao's CDN does not
 * load offline (the demo, tests). A PNG, as KakaoTalk shows PNG and JPEG; 800×400 is the 2:1 of a
 * basicCard. Drawn here rather than kept as a binary file, and only when first asked for.
 */
export function defaultThumbnail(): StaticAsset {
  built ??= staticAsset("/assets/thumbnail.png", encodePng(W, H, draw()), "image/png");
  return built;
}

let built: StaticAsset | undefined;
const W = 800;
const H = 400;

const hex = (h: string) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16));
const LIGHT = hex("#ffe9a8");
const WARM = hex("#f6c26b");
const CREAM = hex("#fff8e6");
const COFFEE = hex("#c98a4b");

/** How much of the pixel a shape whose edge is `d` px away (negative inside) covers. */
const cover = (d: number) => Math.min(1, Math.max(0, 0.5 - d));

/** A mug seen from above: saucer-white rim and handle, coffee inside (the chat's sample picture). */
function draw(): Uint8Array {
  const rgb = new Uint8Array(W * H * 3);
  const [cx, cy] = [400, 224];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const t = (x / W + y / H) / 2;
      const r = Math.sqrt((x - cx) ** 2 + (y - cy) ** 2);
      const handle = cover(Math.abs(Math.sqrt((x - 530) ** 2 + (y - cy) ** 2) - 30) - 9);
      const rim = cover(r - 104);
      const coffee = cover(r - 76);
      for (let ch = 0; ch < 3; ch++) {
        let v = LIGHT[ch]! + (WARM[ch]! - LIGHT[ch]!) * t;
        v += (CREAM[ch]! - v) * handle;
        v += (CREAM[ch]! - v) * rim;
        v += (COFFEE[ch]! - v) * coffee;
        rgb[(y * W + x) * 3 + ch] = Math.round(v);
      }
    }
  }
  return rgb;
}

/** A truecolour PNG (8-bit RGB, no filtering) of `rgb`, row by row. */
function encodePng(width: number, height: number, rgb: Uint8Array): Uint8Array<ArrayBuffer> {
  const raw = new Uint8Array(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) {
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8);
  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const typed = concat([new TextEncoder().encode(type), data]);
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(typed, 4);
  view.setUint32(8 + data.length, crc32(typed));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
