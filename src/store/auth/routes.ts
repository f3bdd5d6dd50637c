import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getConnInfo } from "hono/bun";
import { deleteCookie, setCookie } from "hono/cookie";
import type { Deps } from "../../deps.ts";
import { apiRouter, errors, json, jsonBody, noContent, sessionErrors } from "../../infra/api.ts";
import { loginStore } from "./login.ts";
import { loggedIn, loginBody } from "./schema.ts";
import {
  closeSession,
  requireSession,
  SESSION_COOKIE,
  SESSION_TTL_S,
  type SessionEnv,
} from "./session.ts";

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

const tags = ["auth"];

const login = createRoute({
  method: "post",
  path: "/login",
  tags,
  summary: "Log in a counter device (PIN, registered device, distance); sets the session cookie",
  security: [],
  request: { body: jsonBody(loginBody) },
  responses: {
    200: json(loggedIn, "logged in; the so_session cookie is set"),
    ...errors(
      "invalid_input",
      "invalid_json",
      "forbidden_origin",
      "invalid_credentials",
      "too_far",
      "session_active",
      "too_many_attempts",
    ),
  },
});

const logout = createRoute({
  method: "post",
  path: "/logout",
  tags,
  summary: "End the session and its feed",
  responses: { 204: noContent("logged out; the cookie is cleared"), ...errors(...sessionErrors) },
});

export function authRoutes(deps: Deps) {
  const app = apiRouter<SessionEnv>();

  app.openapi(login, async (c) => {
    const addr = clientAddress(c, deps.config.trustProxy);
    const result = await loginStore(deps, c.req.valid("json"), addr);
    setCookie(c, SESSION_COOKIE, result.cookie, {
      httpOnly: true,
      sameSite: "Strict",
      secure: deps.config.secureCookies,
      path: "/",
      maxAge: SESSION_TTL_S,
    });
    return c.json({ storeId: result.storeId, storeName: result.storeName }, 200);
  });

  app.use("/logout", requireSession(deps));
  app.openapi(logout, async (c) => {
    await closeSession(deps, c.get("session"));
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.body(null, 204);
  });

  return app;
}
