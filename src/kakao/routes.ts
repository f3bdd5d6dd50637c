import { type Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import type { Deps } from "../deps.ts";
import { AppError } from "../infra/errors.ts";
import { sameSecret } from "../infra/secrets.ts";
import { invalidInput } from "../infra/validate.ts";
import { cartAddGate, type Gate, placeGate } from "./limits.ts";
import { readSkill, type SkillInput } from "./skill/request.ts";
import type { SkillResponse } from "./skill/response.ts";
import { cartAddSkill, cartClearSkill, cartSkill } from "./skills/cart.ts";
import { go, polite, publicThumbnailJson } from "./skills/common.ts";
import { menuSkill } from "./skills/menu.ts";
import { ordersSkill, placeSkill } from "./skills/orders.ts";
import { storesSkill } from "./skills/stores.ts";

/** Kakao waits 5 s for a skill; answer politely before that, whatever is slow behind us. */
export const SKILL_DEADLINE_MS = 4500;

const JSON_TYPE = { "content-type": "application/json" };

type Skill = (deps: Deps, input: SkillInput) => Promise<SkillResponse>;

const requireSkillKey = (key: string | undefined) =>
  createMiddleware(async (c, next) => {
    const presented = c.req.header("x-skill-key");
    if (!key || !presented || !sameSecret(presented, key)) {
      throw new AppError(401, "unauthorized", "A valid x-skill-key header is required.");
    }
    await next();
  });

/** POST /kakao/skill/*: Open Builder skill payload 2.0 in, skill response 2.0 out. */
export function kakaoSkillRoutes(deps: Deps) {
  const app = new Hono();
  app.use("*", requireSkillKey(deps.config.skillKey));
  const answer = skillAnswer(deps);
  app.post("/stores", answer(storesSkill));
  app.post("/menu", answer(menuSkill));
  app.post("/cart/add", answer(cartAddSkill, cartAddGate));
  app.post("/cart", answer(cartSkill));
  app.post("/cart/clear", answer(cartClearSkill));
  app.post("/orders/place", answer(placeSkill, placeGate));
  app.post("/orders", answer(ordersSkill));
  return app;
}

/** What every skill route does around its skill: parse, gate, answer in time, absolute pictures. */
const skillAnswer = (deps: Deps) => (skill: Skill, gate?: Gate) => async (c: Context) => {
  const input = await parseSkill(c.req.raw);
  const run = async () => (gate && (await gate(deps, input))) ?? skill(deps, input);
  const res = await withinDeadline(deps, c.req.path, run);
  return c.body(publicThumbnailJson(res, deps.config.publicUrl), 200, JSON_TYPE);
};

async function parseSkill(req: Request): Promise<SkillInput> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AppError(400, "invalid_json", "The request body is not valid JSON.");
  }
  try {
    return readSkill(body);
  } catch (err) {
    if (err instanceof z.ZodError) throw invalidInput(err);
    throw err;
  }
}

async function withinDeadline(deps: Deps, path: string, run: () => Promise<SkillResponse>) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<SkillResponse>((resolve) => {
    timer = setTimeout(() => {
      deps.log.warn({ path }, "skill answered late; sent the fallback message");
      resolve(
        polite("잠시 요청이 많아 답이 늦어지고 있어요. 조금 뒤에 다시 눌러 주세요.", [
          go.cart(),
          go.orders(),
        ]),
      );
    }, SKILL_DEADLINE_MS);
  });
  try {
    return await Promise.race([run(), late]);
  } catch (err) {
    deps.log.error({ err, path }, "skill failed");
    return polite("앗, 잠시 문제가 생겼어요. 다시 한번 눌러 주세요.", [go.stores(), go.cart()]);
  } finally {
    clearTimeout(timer);
  }
}
