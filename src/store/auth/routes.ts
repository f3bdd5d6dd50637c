import type { Context } from "hono";
import { Hono } from "hono";
import { getConnInfo } from "hono/bun";
import { deleteCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { Deps } from "../../deps.ts";
import { validate } from "../../infra/validate.ts";
import { loginStore } from "./login.ts";
import {
  closeSession,
  requireSession,
  SESSION_COOKIE,
  SESSION_TTL_S,
  type SessionEnv,
} from "./session.ts";

export const loginBody = z.object({
  storeId: z.string().min(1).max(100),
  pin: z.string().min(1).max(20),
  deviceToken: z.string().min(1).max(200),
  location: z.object({
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    accuracy: z.number().nonnegative().optional(),
  }),
});

/** The client's address: the socket's, or the proxy's X-Forwarded-For when told to trust it. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function authRoutes(deps: Deps) {
  const app = new Hono<SessionEnv>();

  app.post("/login", validate("json", loginBody), async (c) => {
    const addr = clientAddress(c, deps.config.trustProxy);
    const result = await loginStore(deps, c.req.valid("json"), addr);
    setCookie(c, SESSION_COOKIE, result.cookie, {
      httpOnly: true,
      sameSite: "Strict",
      secure: deps.config.secureCookies,
      path: "/",
      maxAge: SESSION_TTL_S,
    });
    return c.json({ storeId: result.storeId, storeName: result.storeName });
  });

  app.post("/logout", requireSession(deps), async (c) => {
    await closeSession(deps, c.get("session"));
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.body(null, 204);
  });

  return app;
}
