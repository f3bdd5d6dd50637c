// Kakao i Open Builder skill payload (response format 2.0), as described on Kakao's
// "응답 타입별 JSON 포맷" page (section SkillPayload: intent, userRequest, bot, action, flow).
// Only `userRequest.user.id` (the botUserKey) is required. Every other field is informational:
// a missing or oddly typed one becomes undefined (`.catch`) instead of refusing the customer's
// message, and unknown fields are dropped (zod objects strip them at every level).
import { z } from "zod";

const optionalString = z.string().optional().catch(undefined);
const anyMap = z.record(z.string(), z.unknown()).optional().catch(undefined);

const named = z.object({ id: optionalString, name: optionalString }).optional().catch(undefined);

/** user.properties — documented: plusfriendUserKey, appUserId, isFriend (only ever true). */
const userProperties = z
  .looseObject({
    plusfriendUserKey: optionalString,
    appUserId: optionalString,
    botUserKey: optionalString,
    isFriend: z.boolean().optional().catch(undefined),
  })
  .optional()
  .catch(undefined);

const detailParam = z.object({
  origin: z.unknown().optional(),
  value: z.unknown().optional(),
  groupName: optionalString,
});

export const skillRequest = z.object({
  intent: named,
  userRequest: z.object({
    timezone: optionalString,
    params: anyMap,
    block: named,
    utterance: optionalString,
    lang: optionalString,
    user: z.object({
      // "사용자를 식별할 수 있는 key로 최대 70자" (user 상세 필드).
      id: z.string().min(1, "userRequest.user.id (botUserKey) is required").max(70),
      type: optionalString,
      properties: userProperties,
    }),
  }),
  bot: named,
  action: z
    .object({
      id: optionalString,
      name: optionalString,
      params: anyMap,
      detailParams: z.record(z.string(), detailParam).optional().catch(undefined),
      // Documented as Map<String, Any>, but the samples show null (and v1 even "null").
      clientExtra: z.unknown().optional(),
    })
    .optional()
    .catch(undefined),
  contexts: z.array(z.unknown()).optional().catch(undefined),
});

export type SkillRequest = z.output<typeof skillRequest>;
export type SkillUserProperties = NonNullable<SkillRequest["userRequest"]["user"]["properties"]>;

/** What a skill handler needs from a payload. */
export interface SkillInput {
  botUserKey: string;
  utterance: string;
  /** `action.params`, completed by `action.detailParams[name].value`. */
  params: Record<string, string>;
  /**
   * Every parameter value as sent, objects included: `action.params`, then each
   * `action.detailParams[name]` value and origin (a plugin's value, e.g. a location, may be an
   * object or JSON text).
   */
  paramValues: unknown[];
  /** `extra` of the button or quick reply that called the block; `{}` when none. */
  clientExtra: Record<string, unknown>;
  blockId?: string;
  userProperties?: SkillUserProperties;
}

/** Parses (throws a ZodError whose issues carry the path) and flattens a skill payload. */
export function readSkill(body: unknown): SkillInput {
  const { userRequest, action } = skillRequest.parse(body);
  return {
    botUserKey: userRequest.user.id,
    utterance: userRequest.utterance ?? "",
    params: mergeParams(action?.params, action?.detailParams),
    paramValues: [
      ...Object.values(action?.params ?? {}),
      ...Object.values(action?.detailParams ?? {}).flatMap((d) => [d.value, d.origin]),
    ],
    clientExtra: isPlainObject(action?.clientExtra) ? action.clientExtra : {},
    blockId: userRequest.block?.id,
    userProperties: userRequest.user.properties,
  };
}

function mergeParams(
  params: Record<string, unknown> | undefined,
  detail: Record<string, { value?: unknown }> | undefined,
): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [name, d] of Object.entries(detail ?? {})) putScalar(merged, name, d.value);
  // action.params wins: it is the value Open Builder resolved for the skill.
  for (const [name, v] of Object.entries(params ?? {})) putScalar(merged, name, v);
  return merged;
}

function putScalar(into: Record<string, string>, name: string, value: unknown) {
  if (typeof value === "string") into[name] = value;
  else if (typeof value === "number" || typeof value === "boolean") into[name] = String(value);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
