import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { html } from "hono/html";
import type { Deps } from "../deps.ts";
import { findStore } from "../store/admin.ts";
import { SESSION_COOKIE, sessionFromCookie } from "../store/auth/session.ts";
import { readLiveDay } from "../store/day/liveDay.ts";
import { assets } from "./assets.ts";
import { type PageSession, StorePage } from "./StorePage.tsx";
import { sendAsset } from "./staticAsset.ts";
import { defaultThumbnail } from "./thumbnail.ts";

/**
 * The page's security headers. Scripts and styles come only from this origin (no inline code),
 * the page talks only to this origin, cannot be framed, and may ask for the location.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

function pageHeaders(c: Context, secure: boolean) {
  c.header("Content-Security-Policy", CSP);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "no-referrer");
  c.header("Cross-Origin-Opener-Policy", "same-origin");
  c.header("Cross-Origin-Resource-Policy", "same-origin");
  c.header(
    "Permissions-Policy",
    "geolocation=(self), screen-wake-lock=(self), camera=(), microphone=(), payment=(), usb=()",
  );
  if (secure) c.header("Strict-Transport-Security", "max-age=15552000; includeSubDomains");
}

/** The logged-in store behind the cookie, for the first render; the client re-checks. */
async function pageSession(deps: Deps, c: Context): Promise<PageSession> {
  try {
    const session = await sessionFromCookie(deps, getCookie(c, SESSION_COOKIE));
    if (!session) return null;
    const store = await findStore(deps.db, session.storeId);
    if (!store) return null;
    const live = await readLiveDay(deps, session.storeId);
    const state = live && live.state !== "CLOSED" ? live.state : null;
    return { storeId: store.id, storeName: store.name, state };
  } catch (err) {
    deps.log.warn({ err }, "store page: session lookup failed; rendering the login view");
    return null;
  }
}

/** GET / (the store client), its two static assets and the chat cards' default picture. */
export function webRoutes(deps: Deps) {
  const app = new Hono();

  app.get("/", async (c) => {
    const session = await pageSession(deps, c);
    pageHeaders(c, deps.config.secureCookies);
    c.header("Cache-Control", "no-store");
    return c.html(html`<!doctype html>${<StorePage session={session} />}`);
  });

  // Read per request: in development a re-bundle replaces the scripts (src/web/watchClient.ts).
  app.get("/assets/store.js", (c) => sendAsset(c, assets["store.js"]));
  app.get("/assets/store.js.map", (c) => sendAsset(c, assets["store.js.map"]));
  app.get("/assets/store.css", (c) => sendAsset(c, assets["store.css"]));
  // The chat cards' default picture (Kakao fetches it from PUBLIC_URL), drawn once at start.
  const thumbnail = defaultThumbnail();
  app.get("/assets/thumbnail.png", (c) => sendAsset(c, thumbnail, true));

  return app;
}
