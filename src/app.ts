import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { Deps } from "./deps.ts";
import { apiRouter } from "./infra/api.ts";
import { isDatabaseOutage } from "./infra/database.ts";
import { AppError, catalogued, httpExceptionAnswer } from "./infra/errors.ts";
import { isRedisOutage } from "./infra/redisClient.ts";
import { kakaoSkillRoutes } from "./kakao/routes.ts";
import { BOARD_PATH, bullBoardRoutes } from "./ops/bullBoard.ts";
import { openApiDocument } from "./ops/openapi.ts";
import { opsRoutes } from "./ops/routes.tsx";
import { approvalRoutes } from "./payment/approvalRoutes.tsx";
import { authRoutes } from "./store/auth/routes.ts";
import { sameOriginWrites } from "./store/auth/sameOrigin.ts";
import { requireSession, type SessionEnv } from "./store/auth/session.ts";
import { dayRoutes } from "./store/day/routes.ts";
import { daysRoutes } from "./store/days/routes.ts";
import { menuRoutes } from "./store/menu/routes.ts";
import { orderRoutes } from "./store/orders/routes.ts";
import { feedRoutes } from "./stream/feedRoute.ts";
import { chatRoutes } from "./web/chat/routes.tsx";
import { reportRoutes } from "./web/report/routes.tsx";
import { webRoutes } from "./web/routes.tsx";

export const MAX_BODY_BYTES = 64 * 1024;

export const HSTS = "max-age=15552000; includeSubDomains";

/**
 * Security headers on every response. Pages that set their own (the store client, the chat
 * simulator, the reports: stricter CSPs) keep them; the rest (the payment result page, /docs,
 * bull-board) get this CSP: own scripts only, inline styles allowed (those pages have a <style>;
 * bull-board also loads Google Fonts). HSTS only when the app is served over https.
 */
function securityHeaders(https: boolean) {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'", "https://fonts.googleapis.com"],
      fontSrc: ["'self'", "https://fonts.gstatic.com"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
    xFrameOptions: "DENY",
    strictTransportSecurity: https ? HSTS : false,
    overwrite: false,
  });
}

/** The whole HTTP surface, built from passed-in dependencies. */
export function createApp(deps: Deps) {
  const app = new Hono<{ Variables: { requestId: string } }>();

  app.use(requestId());
  app.use(securityHeaders(deps.config.secureCookies));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath || "unmatched";
    const seconds = (performance.now() - started) / 1000;
    deps.metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    deps.metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    deps.log.info(
      {
        reqId: c.get("requestId"),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(seconds * 1000),
      },
      "request",
    );
  });
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json(catalogued("payload_too_large"), 413),
    }),
  );

  const api = apiRouter();
  api.route("/store", storeApp(deps));
  app.route("/", opsRoutes(deps, openApiDocument(api, deps.config.publicUrl)));
  app.route(BOARD_PATH, bullBoardRoutes(deps));
  app.route("/", api);
  app.route("/pay/kakaopay", approvalRoutes(deps));
  app.route("/kakao/skill", kakaoSkillRoutes(deps));
  app.route("/days", reportRoutes(deps));
  if (deps.config.devPages) app.route("/dev/chat", chatRoutes(deps));
  app.route("/", webRoutes(deps));

  app.notFound((c) => c.json(catalogued("not_found"), 404));
  app.onError((err, c) => {
    if (err instanceof AppError) {
      return c.json({ error: err.code, message: err.message, ...err.details }, err.status);
    }
    if (err instanceof HTTPException) {
      const { status, body } = httpExceptionAnswer(err);
      if (status === 500) deps.log.error({ err, path: c.req.path }, "unexpected HTTPException");
      return c.json(body, status);
    }
    if (isRedisOutage(err) || isDatabaseOutage(err)) {
      const what = isRedisOutage(err) ? "redis" : "database";
      deps.log.warn({ err: (err as Error).message, path: c.req.path }, `${what} unavailable`);
      return c.json(catalogued("unavailable"), 503);
    }
    deps.log.error({ err, reqId: c.get("requestId"), path: c.req.path }, "unhandled error");
    return c.json(catalogued("internal"), 500);
  });
  return app;
}

/** The store API: every route declared with createRoute, so /openapi.json lists it. */
function storeApp(deps: Deps) {
  const store = apiRouter<SessionEnv>();
  store.use("*", sameOriginWrites(deps.config.publicUrl));
  store.route("/auth", authRoutes(deps));
  store.use("*", requireSession(deps));
  store.route("/day", dayRoutes(deps));
  store.route("/orders", orderRoutes(deps));
  store.route("/menu", menuRoutes(deps));
  store.route("/days", daysRoutes(deps));
  store.route("/events", feedRoutes(deps));
  return store;
}
