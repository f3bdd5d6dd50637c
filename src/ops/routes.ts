import { Hono } from "hono";
import type { Deps } from "../deps.ts";
import { pingDb } from "../infra/db.ts";
import { requireOperator } from "./operatorAuth.ts";

export function opsRoutes(deps: Deps) {
  const app = new Hono();

  app.get("/healthz", async (c) => {
    const [redis, sqlite] = await Promise.all([
      deps.redis
        .ping()
        .then((r) => r === "PONG")
        .catch(() => false),
      Promise.resolve().then(() => {
        try {
          return pingDb(deps.db);
        } catch {
          return false;
        }
      }),
    ]);
    const ok = redis && sqlite;
    return c.json({ ok, redis, sqlite }, ok ? 200 : 503);
  });

  app.get("/metrics", requireOperator(deps.config.operatorToken), (c) =>
    c.text(deps.metrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }),
  );

  return app;
}
