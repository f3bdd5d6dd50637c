import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.ts";
import { validate } from "../../infra/validate.ts";
import type { SessionEnv } from "../auth/session.ts";
import { closeDay, type DayMove, dayView, moveDay, readyDay } from "./dayBusiness.ts";

export const closeBody = z.object({ lastEventId: z.string().min(1).max(200) });

/** Day business routes; the session middleware is applied by the parent store app. */
export function dayRoutes(deps: Deps) {
  const app = new Hono<SessionEnv>();
  const storeOf = (c: { get(k: "session"): { storeId: string } }) => c.get("session").storeId;

  app.get("/", async (c) => c.json(await dayView(deps, storeOf(c))));

  app.post("/ready", async (c) => {
    await readyDay(deps, storeOf(c));
    return c.body(null, 204);
  });

  for (const move of ["open", "break", "reopen", "closing"] as DayMove[]) {
    app.post(`/${move}`, async (c) => {
      await moveDay(deps, storeOf(c), move);
      return c.body(null, 204);
    });
  }

  app.post("/close", validate("json", closeBody), async (c) => {
    const result = await closeDay(deps, storeOf(c), c.req.valid("json").lastEventId);
    return c.json(result, 202);
  });

  return app;
}
