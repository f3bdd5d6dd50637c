import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import { newSecret } from "../infra/ids.ts";
import { scalarScript } from "./scalarScript.ts";

export const SCALAR_SCRIPT_PATH = "/docs/scalar.js";

/**
 * The reference page's own CSP: Scalar's bundle from this origin, its one inline start-up
 * script by nonce, its injected styles inline; it fetches only /openapi.json (and, for
 * "try it", this API). Nothing from a CDN, so the page works offline.
 */
const docsCsp = (nonce: string) =>
  [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

/** /docs: Scalar's API reference of /openapi.json, served entirely by this server. */
export function docsRoutes() {
  const app = new Hono();

  app.get(SCALAR_SCRIPT_PATH, (c) =>
    c.body(scalarScript().stream(), 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=86400",
    }),
  );

  app.get(
    "/docs",
    Scalar((c) => {
      const nonce = newSecret(12);
      c.header("Content-Security-Policy", docsCsp(nonce));
      return {
        url: "/openapi.json",
        pageTitle: "Simple Order store API",
        cdn: SCALAR_SCRIPT_PATH,
        nonce,
        withDefaultFonts: false,
        hideClientButton: true,
        showDeveloperTools: "never",
        telemetry: false,
        agent: { disabled: true },
        mcp: { disabled: true },
        defaultOpenAllTags: true,
      };
    }),
  );

  return app;
}
