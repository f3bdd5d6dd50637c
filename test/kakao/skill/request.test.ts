import { describe, expect, test } from "bun:test";
import { ZodError } from "zod";
import { readSkill, skillRequest } from "../../../src/kakao/skill/request.ts";

// Shaped like the samples on Kakao's "응답 타입별 JSON 포맷" page (SkillPayload), with
// fields Kakao may add later sprinkled in at several levels.

/** The `action` section sample: clientExtra null, empty params, plusfriendUserKey. */
const actionSample = () => ({
  userRequest: {
    timezone: "Asia/Seoul",
    params: {},
    block: { id: "5f1a2b3c4d5e6f7a8b9c0d1e", name: "가게 찾기", color: "blue" },
    utterance: "가게 찾기",
    lang: "ko",
    user: {
      id: "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
      type: "botUserKey",
      properties: { plusfriendUserKey: "HxqGzZ3kLm8n", newProperty: "kept" },
      avatar: "ignored",
    },
    callbackUrl: "https://bot-api.kakao.com/callback/abc",
  },
  contexts: [],
  bot: { id: "5f00aa11bb22cc33dd44ee55", name: "심플오더", region: "kr" },
  action: {
    name: "stores",
    clientExtra: null,
    params: {},
    id: "60aa11bb22cc33dd44ee5566",
    detailParams: {},
  },
  someFutureTopLevelField: { anything: true },
});

/** The 지식+ sample: intent.extra, userRequest.params {surface, ignoreMe}, clientExtra {}. */
const knowledgeSample = () => ({
  bot: { id: "5f00aa11bb22cc33dd44ee55", name: "심플오더" },
  intent: {
    id: "5f1a2b3c4d5e6f7a8b9c0d1f",
    name: "지식+",
    extra: {
      reason: { code: 1, message: "OK" },
      knowledge: { responseType: "skill", matchedKnowledges: [{ question: "q", answer: "a" }] },
    },
  },
  action: {
    id: "60aa11bb22cc33dd44ee5567",
    name: "menu",
    params: {},
    detailParams: {},
    clientExtra: {},
  },
  userRequest: {
    block: { id: "5f1a2b3c4d5e6f7a8b9c0d1f", name: "메뉴" },
    user: {
      id: "botuser-2",
      type: "botUserKey",
      properties: { botUserKey: "botuser-2" },
    },
    utterance: "메뉴 보여줘",
    params: { surface: "BuilderBotTest", ignoreMe: "true" },
    lang: "ko",
    timezone: "Asia/Seoul",
  },
  contexts: [],
});

/** The DetailParams sample ('1 금요일 강남'), with a button's extra in clientExtra and flow. */
const detailParamsSample = () => ({
  intent: { id: "blk-3", name: "주문" },
  userRequest: {
    timezone: "Asia/Seoul",
    params: { surface: "Kakaotalk.plusfriend" },
    block: { id: "blk-3", name: "주문" },
    utterance: "1 금요일 강남",
    lang: "ko",
    user: {
      id: "botuser-3",
      type: "botUserKey",
      properties: { plusfriendUserKey: "pfk-3", appUserId: "1234567890", isFriend: true },
    },
  },
  bot: { id: "bot-1", name: "심플오더" },
  action: {
    name: "예제 스킬",
    id: "act-3",
    params: {
      sys_date:
        '{"dateTag": "Friday", "dateHeadword": null, "year": null, "month": null, "day": null, "date": "2023-03-31", "polynomial": "define_weekday({4})", "calendar_type": "solar"}',
      sys_location: "강남",
      sys_number: '{"amount": 1, "unit": null}',
    },
    detailParams: {
      sys_date: {
        origin: "금요일",
        value:
          '{"dateTag": "Friday", "dateHeadword": null, "year": null, "month": null, "day": null, "date": "2023-03-31", "polynomial": "define_weekday({4})", "calendar_type": "solar"}',
        groupName: "",
      },
      sys_location: { origin: "강남", value: "강남", groupName: "", confidence: 0.9 },
      sys_number: { origin: "1", value: '{"amount": 1, "unit": null}', groupName: "" },
      query: { origin: "김밥", value: "김밥", groupName: "" },
    },
    clientExtra: { storeId: "st_1", itemId: "it_9", qty: 2, options: { 사이즈: "L" } },
  },
  flow: {
    trigger: { type: "CARD_BUTTON_BLOCK", referrerBlock: { id: "blk-2", name: "메뉴" } },
    lastBlock: { id: "blk-2", name: "메뉴" },
  },
  contexts: [],
});

describe("skillRequest accepts Open Builder's documented payloads", () => {
  test("the action sample: user, utterance, block, empty params, null clientExtra", () => {
    const skill = readSkill(actionSample());
    expect(skill).toEqual({
      botUserKey: "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
      utterance: "가게 찾기",
      params: {},
      paramValues: [],
      clientExtra: {},
      blockId: "5f1a2b3c4d5e6f7a8b9c0d1e",
      userProperties: { plusfriendUserKey: "HxqGzZ3kLm8n", newProperty: "kept" },
    });
  });

  test("the 지식+ sample: intent.extra is ignored, userRequest.params is not a skill param", () => {
    const skill = readSkill(knowledgeSample());
    expect(skill.botUserKey).toBe("botuser-2");
    expect(skill.utterance).toBe("메뉴 보여줘");
    expect(skill.params).toEqual({});
    expect(skill.clientExtra).toEqual({});
    expect(skill.userProperties?.botUserKey).toBe("botuser-2");
  });

  test("the DetailParams sample: params merged with detailParams values, clientExtra kept", () => {
    const skill = readSkill(detailParamsSample());
    expect(skill.params.sys_location).toBe("강남");
    expect(JSON.parse(skill.params.sys_number ?? "")).toEqual({ amount: 1, unit: null });
    expect(skill.params.query).toBe("김밥"); // only in detailParams
    expect(Object.keys(skill.params).sort()).toEqual([
      "query",
      "sys_date",
      "sys_location",
      "sys_number",
    ]);
    expect(skill.clientExtra).toEqual({
      storeId: "st_1",
      itemId: "it_9",
      qty: 2,
      options: { 사이즈: "L" },
    });
    expect(skill.userProperties).toEqual({
      plusfriendUserKey: "pfk-3",
      appUserId: "1234567890",
      isFriend: true,
    });
    expect(skill.blockId).toBe("blk-3");
  });

  test("unknown fields are dropped from the parsed payload at every level", () => {
    const parsed = skillRequest.parse(actionSample());
    expect("someFutureTopLevelField" in parsed).toBe(false);
    expect("callbackUrl" in parsed.userRequest).toBe(false);
    expect("avatar" in parsed.userRequest.user).toBe(false);
    expect(parsed.bot).toEqual({ id: "5f00aa11bb22cc33dd44ee55", name: "심플오더" });
    expect(parsed.userRequest.block).toEqual({ id: "5f1a2b3c4d5e6f7a8b9c0d1e", name: "가게 찾기" });
    const detail = skillRequest.parse(detailParamsSample()).action?.detailParams?.sys_location;
    expect(detail).toEqual({ origin: "강남", value: "강남", groupName: "" });
  });

  test("action.params wins over detailParams; numbers and booleans become strings", () => {
    const body = detailParamsSample();
    Object.assign(body.action.params, { sys_location: "역삼", count: 3, pickup: true, obj: {} });
    const skill = readSkill(body);
    expect(skill.params.sys_location).toBe("역삼");
    expect(skill.params.count).toBe("3");
    expect(skill.params.pickup).toBe("true");
    expect("obj" in skill.params).toBe(false);
  });

  test.each([
    ["absent", undefined],
    ["null", null],
    ['the string "null" (v1 sample)', "null"],
    ["an array", [1, 2]],
  ])("clientExtra %s reads as {}", (_, clientExtra) => {
    const body = actionSample();
    const action: Record<string, unknown> = { ...body.action, clientExtra };
    if (clientExtra === undefined) delete action.clientExtra;
    expect(readSkill({ ...body, action }).clientExtra).toEqual({});
  });

  test("oddly typed informational fields do not refuse the customer", () => {
    const body: Record<string, unknown> = {
      userRequest: {
        user: { id: "u-1", properties: { isFriend: "true", plusfriendUserKey: 42 } },
        block: "not-an-object",
        utterance: 5,
        params: "x",
      },
      bot: [],
      action: { params: ["a"], detailParams: { q: "not-an-object" }, clientExtra: { a: 1 } },
      contexts: {},
    };
    const skill = readSkill(body);
    expect(skill).toEqual({
      botUserKey: "u-1",
      utterance: "",
      params: {},
      paramValues: [],
      clientExtra: { a: 1 },
      blockId: undefined,
      userProperties: { isFriend: undefined, plusfriendUserKey: undefined },
    });
  });

  test("the least a payload can be: just the user", () => {
    const skill = readSkill({ userRequest: { user: { id: "u-min" } } });
    expect(skill).toMatchObject({
      botUserKey: "u-min",
      utterance: "",
      params: {},
      clientExtra: {},
    });
  });
});

describe("skillRequest refuses a payload without a customer", () => {
  const pathsOf = (body: unknown) => {
    const result = skillRequest.safeParse(body);
    expect(result.success).toBe(false);
    return result.error?.issues.map((i) => i.path.join(".")) ?? [];
  };

  test("missing userRequest.user.id, with its path", () => {
    const body = actionSample();
    const { id: _, ...user } = body.userRequest.user;
    expect(pathsOf({ ...body, userRequest: { ...body.userRequest, user } })).toEqual([
      "userRequest.user.id",
    ]);
  });

  test("empty or non-string id", () => {
    for (const id of ["", 12345, null]) {
      const body = actionSample();
      expect(pathsOf({ ...body, userRequest: { ...body.userRequest, user: { id } } })).toEqual([
        "userRequest.user.id",
      ]);
    }
  });

  test("an id longer than the documented 70 characters", () => {
    expect(pathsOf({ userRequest: { user: { id: "x".repeat(71) } } })).toEqual([
      "userRequest.user.id",
    ]);
  });

  test("no user or no userRequest at all", () => {
    expect(pathsOf({ userRequest: {} })).toEqual(["userRequest.user"]);
    expect(pathsOf({ bot: { id: "b" } })).toEqual(["userRequest"]);
    expect(pathsOf("not json object")).toEqual([""]);
  });

  test("readSkill throws the ZodError", () => {
    expect(() => readSkill({ userRequest: { user: {} } })).toThrow(ZodError);
  });
});
