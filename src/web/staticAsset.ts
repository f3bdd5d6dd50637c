import type { Context } from "hono";

/** A static file built once per process, linked as `path?v=<hash>`. */
export type StaticAsset = {
  body: string | Uint8Array<ArrayBuffer>;
  type: string;
  hash: string;
  etag: string;
  path: string;
};

export function staticAsset(
  path: string,
  body: string | Uint8Array<ArrayBuffer>,
  type: string,
): StaticAsset {
  const hash = new Bun.CryptoHasher("sha256").update(body).digest("hex").slice(0, 16);
  return { body, type, hash, etag: `"${hash}"`, path: `${path}?v=${hash}` };
}

/**
 * Serves it: the linked `?v=<hash>` never changes, so browsers may keep it for a year. `shared`:
 * other sites may show it (a picture for Kakao's cards), else only our own pages.
 */
export function sendAsset(c: Context, a: StaticAsset, shared = false) {
  c.header("Content-Type", a.type);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Cross-Origin-Resource-Policy", shared ? "cross-origin" : "same-origin");
  c.header("ETag", a.etag);
  c.header(
    "Cache-Control",
    c.req.query("v") === a.hash ? "public, max-age=31536000, immutable" : "no-cache",
  );
  if (c.req.header("if-none-match") === a.etag) return c.body(null, 304);
  return typeof a.body === "string" ? c.body(a.body) : c.body(a.body);
}
