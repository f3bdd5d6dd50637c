import { createMiddleware } from "hono/factory";
import { AppError } from "../../infra/errors.ts";

/**
 * Refuses cross-origin writes: a browser's `Origin` must be this server (as `PUBLIC_URL` names
 * it, or as the request's own Host). The SameSite=Strict cookie already keeps other sites'
 * requests anonymous; this is the second lock. Non-browser clients send no Origin.
 */
export const sameOriginWrites = (publicUrl: string) => {
  const publicOrigin = new URL(publicUrl).origin;
  return createMiddleware(async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const origin = c.req.header("origin");
      const site = c.req.header("sec-fetch-site");
      const sameHost = origin ? safeHost(origin) === c.req.header("host") : true;
      if ((origin && origin !== publicOrigin && !sameHost) || site === "cross-site") {
        throw new AppError(403, "forbidden_origin", "Requests from another site are not allowed.");
      }
    }
    await next();
  });
};

function safeHost(origin: string) {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
