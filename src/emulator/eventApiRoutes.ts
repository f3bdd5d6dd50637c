import { Hono } from "hono";
import { z } from "zod";
import type { EmulatorEnv } from "./faults.ts";
import type { EmulatorState } from "./state.ts";

const record = z.record(z.string(), z.unknown());

/** Kakao's event body: the event (name, data) and 1–100 distinct users to send it to. */
const eventBody = z.object({
  event: z.object({ name: z.string().trim().min(1), data: record.optional() }),
  user: z
    .array(
      z.object({
        type: z.enum(["botUserKey", "appUserId", "plusfriendUserKey"]),
        id: z.string().trim().min(1),
        properties: record.optional(),
      }),
    )
    .min(1)
    .max(100)
    .refine((users) => new Set(users.map((u) => `${u.type}:${u.id}`)).size === users.length, {
      message: "the same user appears twice",
    }),
  params: record.optional(),
});

/** `POST /v2/bots/:botId/talk`, authorized by `KakaoAK {REST API key}`; every call is recorded. */
export function eventApiRoutes(state: EmulatorState) {
  const r = new Hono<EmulatorEnv>();
  r.post("/:botId/talk", async (c) => {
    const botId = c.req.param("botId");
    const auth = /^KakaoAK\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
    if (auth?.[1] !== state.config.restApiKey) {
      return c.json(
        { status: "ERROR", message: "invalid Authorization: KakaoAK {REST API key}" },
        401,
      );
    }
    if (state.config.botId && botId !== state.config.botId) {
      return c.json({ status: "ERROR", message: `unknown bot ${botId}` }, 404);
    }
    const parsed = eventBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first?.path.length ? `${first.path.join(".")}: ` : "";
      return c.json(
        { status: "ERROR", message: `${where}${first?.message ?? "invalid body"}` },
        400,
      );
    }
    if (c.get("decline"))
      return c.json({ status: "FAIL", message: "event refused (emulated)" }, 400);
    const taskId = crypto.randomUUID();
    state.events.push({ at: new Date(state.now()).toISOString(), taskId, botId, ...parsed.data });
    return c.json({ taskId, status: "SUCCESS" });
  });
  return r;
}
