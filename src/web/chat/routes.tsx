import type { Context } from "hono";
import { Hono } from "hono";
import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../infra/errors.ts";
import { type BlockName, blockFor, blocks } from "../../kakao/blocks.ts";
import { kakaoSkillRoutes } from "../../kakao/routes.ts";
import { defaultThumbnailUrl } from "../../kakao/skills/common.ts";
import { sendAsset } from "../staticAsset.ts";
import { chatAssets } from "./assets.ts";
import { ChatPage } from "./ChatPage.tsx";
import { customerEvents } from "./events.ts";
import { sampleResponses } from "./samples.ts";

/**
 * The page's security headers: scripts, styles and calls only to this origin (no inline code).
 * Images may come from anywhere over http(s): skill answers carry the shops' menu photos and
 * the default card picture at PUBLIC_URL, as KakaoTalk would show them.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https: http:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

function pageHeaders(c: Context) {
  c.header("Content-Security-Policy", CSP);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "no-referrer");
  c.header("Permissions-Policy", "geolocation=(self), camera=(), microphone=(), payment=()");
  c.header("Cache-Control", "no-store");
}

const BLOCK_NAMES = Object.keys(blocks) as BlockName[];
/** "stores" → "/kakao/skill/stores" → "stores": the forwarder's allowed paths. */
const skillPathOf = (b: BlockName) => blocks[b].path.replace(/^\/kakao\/skill\//, "");
const SKILL_PATHS = new Set(BLOCK_NAMES.map(skillPathOf));

/** What Open Builder would decide for a message: the block (by id for `block` buttons, else by utterance). */
export function routeFor(utterance: string, blockId?: string) {
  const byId = BLOCK_NAMES.find((b) => b === blockId || blocks[b].path === blockId);
  const block = byId ?? blockFor(utterance);
  const exact = byId !== undefined || blocks[block].utterance === utterance.trim();
  return {
    block,
    /** the block's name as a shop would create it in Open Builder (its training utterance) */
    name: blocks[block].utterance,
    path: skillPathOf(block),
    /** false: free text the block did not learn; the stores block takes it as `params.query` */
    exact,
  };
}

/**
 * /dev/chat: a KakaoTalk-like chat that speaks the real skill payload 2.0 to our skill routes,
 * so the whole flow (find a shop, cart, KakaoPay, orders) can be tried without Kakao. The page
 * never sees the skill key: its messages go through the forwarder below, which adds it.
 * Only mounted when `config.devPages` is on.
 */
export function chatRoutes(deps: Deps) {
  const app = new Hono();
  const skills = kakaoSkillRoutes(deps);
  // The skill routes throw AppError (401, 400 …); answer them as the main app would.
  skills.onError((err, c) => {
    if (err instanceof AppError) {
      return c.json({ error: err.code, message: err.message, ...err.details }, err.status);
    }
    deps.log.error({ err }, "chat simulator: skill failed");
    return c.json({ error: "internal", message: "The skill failed; see the server log." }, 500);
  });

  app.get("/", (c) => {
    pageHeaders(c);
    const base = c.req.path.replace(/\/+$/, "");
    return c.html(html`<!doctype html>${<ChatPage base={base} />}`);
  });

  // Read per request: in development a re-bundle replaces the scripts (src/web/watchClient.ts).
  app.get("/assets/chat.js", (c) => sendAsset(c, chatAssets["chat.js"]));
  app.get("/assets/chat.js.map", (c) => sendAsset(c, chatAssets["chat.js.map"]));
  app.get("/assets/chat.css", (c) => sendAsset(c, chatAssets["chat.css"]));
  app.get("/assets/sample.svg", (c) => sendAsset(c, chatAssets["sample.svg"]));

  /** Open Builder's block matching, as the simulator's stand-in: src/kakao/blocks.ts `blockFor`. */
  app.get("/route", (c) => {
    const utterance = (c.req.query("utterance") ?? "").slice(0, 1000);
    return c.json(routeFor(utterance, c.req.query("blockId") || undefined));
  });

  /**
   * What the bot sent the customer on its own ("your order is ready", "canceled"): the Event API
   * calls the emulator recorded for `userId`, as chat messages. The page polls it.
   */
  app.get("/events", async (c) => {
    const userId = (c.req.query("userId") ?? "").trim();
    if (!userId || userId.length > 70) {
      return c.json({ error: "invalid_input", message: "userId is 1 to 70 characters." }, 400);
    }
    const messages = await customerEvents(deps, userId);
    c.header("Cache-Control", "no-store");
    return c.json({ available: messages !== null, messages: messages ?? [] });
  });

  /** Every output type the response builder produces, for a look at how each one renders. */
  app.get("/samples", (c) => {
    const base = c.req.path.replace(/\/samples\/?$/, "");
    const origin = new URL(c.req.url).origin;
    const image = `${origin}${base}${chatAssets["sample.svg"].path}`;
    return c.json(sampleResponses(image, defaultThumbnailUrl(origin)));
  });

  /** The forwarder: the page's skill payload to the real skill route, with the skill key. */
  app.post("/skill/:path{.+}", async (c) => {
    const path = c.req.param("path");
    if (!SKILL_PATHS.has(path)) {
      return c.json({ error: "not_found", message: `No skill at /kakao/skill/${path}.` }, 404);
    }
    // JSON only: a cross-site form cannot send it without a CORS preflight, which we never allow.
    if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      return c.json(
        { error: "unsupported_media_type", message: "Send the skill payload as JSON." },
        415,
      );
    }
    if (!deps.config.skillKey) {
      return c.json(
        { error: "no_skill_key", message: "SKILL_KEY is not set, so every skill answers 401." },
        503,
      );
    }
    const res = await skills.request(`/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-skill-key": deps.config.skillKey },
      body: await c.req.text(),
    });
    return c.body(await res.text(), res.status as ContentfulStatusCode, {
      "content-type": res.headers.get("content-type") ?? "application/json",
      "cache-control": "no-store",
    });
  });

  return app;
}
