import { validateSkillResponse } from "../../src/kakao/skill/validate.ts";

type AppLike = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** A skill payload shaped like Open Builder's documented sample, with unknown extra fields. */
export function skillPayload(
  botUserKey: string,
  opts: {
    utterance?: string;
    clientExtra?: Record<string, unknown>;
    params?: Record<string, string>;
  } = {},
) {
  return {
    intent: { id: "intent-1", name: "블록 이름", extra: { reason: { code: 1 } } },
    userRequest: {
      timezone: "Asia/Seoul",
      params: { ignoreMe: "true", surface: "Kakaotalk.plusfriend" },
      block: { id: "block-1", name: "블록 이름" },
      utterance: opts.utterance ?? "발화 내용",
      lang: "ko",
      user: {
        id: botUserKey,
        type: "botUserKey",
        properties: { plusfriendUserKey: "pf-1", isFriend: true, somethingNew: 1 },
      },
      callbackUrl: null,
    },
    contexts: [],
    bot: { id: "bot-1", name: "심플오더" },
    action: {
      name: "skill",
      clientExtra: opts.clientExtra ?? null,
      params: opts.params ?? {},
      id: "action-1",
      detailParams: {},
    },
    flow: { lastBlock: { id: "b0" }, trigger: { type: "TEXT" } },
  };
}

// Tests read skill answers loosely (deep, shape-checked by validateSkillResponse first).
// biome-ignore lint/suspicious/noExplicitAny: see above
type Loose = any;
export type SkillAnswer = {
  version: string;
  template: {
    outputs: Record<string, Loose>[];
    quickReplies?: { label: string; messageText: string; extra?: Loose }[];
  };
};

/** POSTs a skill and checks the answer is a valid skill response 2.0 within Kakao's limits. */
export async function callSkill(
  app: AppLike,
  path: string,
  botUserKey: string,
  opts: Parameters<typeof skillPayload>[1] & { key?: string } = {},
): Promise<SkillAnswer & { text: string }> {
  const res = await app.request(`/kakao/skill${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-skill-key": opts.key ?? "test-skill-key" },
    body: JSON.stringify(skillPayload(botUserKey, opts)),
  });
  if (res.status !== 200)
    throw new Error(`skill ${path} answered ${res.status}: ${await res.text()}`);
  const json = (await res.json()) as SkillAnswer;
  const problems = validateSkillResponse(json);
  if (problems.length)
    throw new Error(`invalid skill response from ${path}: ${problems.join("; ")}`);
  return { ...json, text: JSON.stringify(json) };
}
