import { Hono } from "hono";
import type { Deps } from "../deps.ts";
import { redisAnswers } from "../infra/redisClient.ts";
import { docsRoutes } from "./docsPage.ts";
import type { OpenApiDocument } from "./openapi.ts";
import { requireOperator } from "./operatorAuth.ts";

/** Resolves false when `check` fails or takes longer than `ms` (a down Redis queues forever). */
async function healthy(check: () => Promise<boolean> | boolean, ms = 1000): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms));
  const run = (async () => {
    try {
      return await check();
    } catch {
      return false;
    }
  })();
  return Promise.race([run, timeout]);
}

export function opsRoutes(deps: Deps, doc: OpenApiDocument) {
  const app = new Hono();

  app.get("/healthz", async (c) => {
    const [redis, database] = await Promise.all([
      healthy(() => redisAnswers(deps.redis)),
      healthy(() => deps.db.ping()),
    ]);
    const ok = redis && database;
    // KakaoPay failing (breaker not closed, this process) degrades ordering but is no reason
    // to restart or unroute the process: still 200.
    const kakaopay = deps.kakaopay.guard.state();
    // The database is named by its engine: {"sqlite": true} or {"postgres": true}.
    return c.json({ ok, redis, [deps.db.engine]: database, kakaopay }, ok ? 200 : 503);
  });

  app.get("/metrics", requireOperator(deps.config.operatorToken), (c) =>
    c.text(deps.metrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }),
  );

  app.get("/openapi.json", (c) => c.json(doc));
  app.route("/", docsRoutes());

  return app;
}
