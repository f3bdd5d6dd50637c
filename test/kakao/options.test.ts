import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { blockFor } from "../../src/kakao/blocks.ts";
import { validateSkillResponse } from "../../src/kakao/skill/validate.ts";
import { moveDay } from "../../src/store/day/dayBusiness.ts";
import { routeFor } from "../../src/web/chat/routes.tsx";
import { startTestEmulator } from "../helpers/emulator.ts";
import { temperature } from "../helpers/menu.ts";
import { openShop } from "../helpers/shop.ts";
import { callSkill, type SkillAnswer, skillPayload } from "../helpers/skill.ts";
import { menuItems } from "../helpers/tables.ts";
import { testDb } from "../helpers/testDb.ts";
import { makeTestDeps } from "../helpers/testDeps.ts";

const emu = startTestEmulator();
const t = makeTestDeps({ db: await testDb(), env: emu.env });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

const shot = {
  name: "샷",
  required: false,
  choices: [{ name: "샷 추가", priceDelta: 500 }],
};
const syrup = {
  name: "시럽",
  required: false,
  choices: [
    { name: "바닐라", priceDelta: 300 },
    { name: "헤이즐넛", priceDelta: 300 },
  ],
};
const ice = {
  name: "얼음",
  required: true,
  choices: [
    { name: "적게", priceDelta: 0 },
    { name: "보통", priceDelta: 0 },
  ],
};

let storeId = "";
const item: Record<string, string> = {};
beforeAll(async () => {
  const shop = await openShop(t.deps, [
    {
      name: "아메리카노",
      price: 4500,
      category: "커피",
      soldOut: false,
      optionGroups: [temperature, shot],
    },
    {
      name: "바닐라라떼",
      price: 5000,
      category: "커피",
      soldOut: false,
      optionGroups: [shot, syrup],
    },
    { name: "아이스티", price: 4000, category: "음료", soldOut: false, optionGroups: [ice] },
    { name: "소금빵", price: 3500, category: "빵", soldOut: false, optionGroups: [] },
    { name: "치즈케이크", price: 6000, category: "디저트", soldOut: false, optionGroups: [] },
  ]);
  storeId = shop.storeId;
  const [americano, vanilla, tea, bread, cake] = shop.itemIds;
  Object.assign(item, { americano, vanilla, tea, bread, cake });
});

let n = 0;
const newUser = () => `option-user-${++n}`;

type Reply = NonNullable<SkillAnswer["template"]["quickReplies"]>[number] & {
  action: string;
  blockId?: string;
};
const replies = (res: SkillAnswer) => (res.template.quickReplies ?? []) as Reply[];
const said = (res: SkillAnswer) => res.template.outputs[0]!.simpleText.text as string;

/** The customer taps a quick reply: what the bubble says, and the skill it reaches. */
async function tap(user: string, res: SkillAnswer, label: string) {
  const reply = replies(res).find((q) => q.label === label);
  if (!reply) throw new Error(`no quick reply '${label}' in ${JSON.stringify(replies(res))}`);
  expect(reply.messageText).toBe(label);
  expect(reply.action).toBe("block");
  return callSkill(t.app, "/cart/add", user, { utterance: label, clientExtra: reply.extra });
}

describe("options: the required ones, then the optional ones once each", () => {
  test("온도 (required) → 샷 (optional) with 그대로 담기; each bubble says the choice", async () => {
    const user = newUser();
    const asked = await callSkill(t.app, "/cart/add", user, {
      utterance: "담기",
      clientExtra: { itemId: item.americano },
    });
    expect(said(asked)).toBe("아메리카노의 온도를 골라 주세요.");
    expect(replies(asked).map((q) => q.messageText)).toEqual(["핫", "아이스"]);

    const offered = await tap(user, asked, "아이스");
    expect(said(offered)).toContain("샷을 추가할까요?");
    expect(replies(offered).map((q) => q.messageText)).toEqual(["샷 추가 +500원", "그대로 담기"]);

    const withShot = await tap(user, offered, "샷 추가 +500원");
    expect(said(withShot)).toContain("아메리카노 (아이스 · 샷 추가) 1개를 담았어요.");
    expect(said(withShot)).toContain("장바구니 합계 5,000원");

    // The same start, then 그대로 담기: added without a shot, and 샷 is not asked again.
    const plain = await tap(user, offered, "그대로 담기");
    expect(said(plain)).toContain("아메리카노 (아이스) 1개를 담았어요.");
    expect(said(plain)).toContain("장바구니 합계 9,500원");
    const cart = await callSkill(t.app, "/cart", user);
    expect(cart.text).toContain("• 아메리카노 (아이스 · 샷 추가) × 1 — 5,000원");
    expect(cart.text).toContain("• 아메리카노 (아이스) × 1 — 4,500원");
  });

  test("two optional groups: each asked once, a skipped one is not asked again", async () => {
    const user = newUser();
    const first = await callSkill(t.app, "/cart/add", user, {
      clientExtra: { itemId: item.vanilla },
    });
    expect(said(first)).toContain("바닐라라떼에 샷을 추가할까요?");
    const second = await tap(user, first, "그대로 담기");
    expect(said(second)).toContain("바닐라라떼에 시럽을 추가할까요?");
    expect(replies(second).map((q) => q.messageText)).toEqual([
      "바닐라 +300원",
      "헤이즐넛 +300원",
      "그대로 담기",
    ]);
    const added = await tap(user, second, "헤이즐넛 +300원");
    expect(said(added)).toContain("바닐라라떼 (헤이즐넛) 1개를 담았어요.");
    expect(said(added)).toContain("5,300원");

    const other = newUser();
    const both = await callSkill(t.app, "/cart/add", other, {
      clientExtra: { itemId: item.vanilla },
    });
    const thenSyrup = await tap(other, both, "샷 추가 +500원");
    expect(said(thenSyrup)).toContain("시럽을 추가할까요?");
    const none = await tap(other, thenSyrup, "그대로 담기");
    expect(said(none)).toContain("바닐라라떼 (샷 추가) 1개를 담았어요.");
  });

  test("options given in full (e.g. a tapped menu button with options) add at once", async () => {
    const user = newUser();
    const res = await callSkill(t.app, "/cart/add", user, {
      clientExtra: { itemId: item.americano, options: { 온도: "핫" }, skip: ["샷"] },
    });
    expect(said(res)).toContain("아메리카노 (핫) 1개를 담았어요.");
  });
});

describe("the choices reach cart/add again, in Open Builder and in the chat simulator", () => {
  /** A payload as the real Open Builder (an id of its own) or the simulator sends it. */
  async function addFrom(blockId: string) {
    const body = skillPayload(newUser(), { utterance: "담기", clientExtra: { itemId: item.tea } });
    body.userRequest.block = { id: blockId, name: "담기" };
    const res = await t.app.request("/kakao/skill/cart/add", {
      method: "POST",
      headers: { "content-type": "application/json", "x-skill-key": "test-skill-key" },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as SkillAnswer;
    expect(validateSkillResponse(json)).toEqual([]);
    return replies(json);
  }

  test("Open Builder: each choice is a block action back to the block that called the skill", async () => {
    for (const q of await addFrom("64b7f0c2e1a9d33a5c7e0b12")) {
      expect(q).toMatchObject({ action: "block", blockId: "64b7f0c2e1a9d33a5c7e0b12" });
      expect(q.messageText).toBe(q.label);
    }
  });

  test("the chat simulator routes each choice to cart/add, with the choice as the bubble", async () => {
    const choices = await addFrom("sim-block-cartAdd");
    expect(choices.map((q) => q.messageText)).toEqual(["적게", "보통"]);
    for (const q of choices) {
      expect(routeFor(q.messageText, q.blockId)).toMatchObject({ path: "cart/add", exact: true });
      // Without the block id the text alone would not find the block.
      expect(blockFor(q.messageText)).not.toBe("cartAdd");
    }
  });
});

describe("particles follow the last syllable", () => {
  test("을/를: 온도를 · 얼음을; 담을까요: 소금빵을 · 치즈케이크를", async () => {
    const tea = await callSkill(t.app, "/cart/add", newUser(), {
      clientExtra: { itemId: item.tea },
    });
    expect(said(tea)).toBe("아이스티의 얼음을 골라 주세요.");
    const coffee = await callSkill(t.app, "/cart/add", newUser(), {
      clientExtra: { itemId: item.americano },
    });
    expect(said(coffee)).toBe("아메리카노의 온도를 골라 주세요.");

    const other = await openShop(t.deps, [
      { name: "소금빵", price: 3000, category: "빵", soldOut: false, optionGroups: [] },
      { name: "치즈케이크", price: 5000, category: "디저트", soldOut: false, optionGroups: [] },
    ]);
    const user = newUser();
    await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.bread } });
    const [bread, cake] = other.itemIds;
    const askBread = await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: bread } });
    expect(said(askBread)).toContain("장바구니를 비우고 소금빵을 담을까요?");
    const askCake = await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: cake } });
    expect(said(askCake)).toContain("장바구니를 비우고 치즈케이크를 담을까요?");
  });

  test("은/는: sold out, a choice that is not offered, an item gone from the cart", async () => {
    const soldOut = async (id: string, value: boolean) =>
      await t.deps.db.update(menuItems).set({ soldOut: value }).where(eq(menuItems.id, id));
    const texts: string[] = [];
    await soldOut(item.bread!, true);
    await soldOut(item.cake!, true);
    try {
      for (const id of [item.bread!, item.cake!]) {
        texts.push(
          said(await callSkill(t.app, "/cart/add", newUser(), { clientExtra: { itemId: id } })),
        );
      }
    } finally {
      await soldOut(item.bread!, false);
      await soldOut(item.cake!, false);
    }
    expect(texts[0]).toContain("소금빵은 지금 품절이에요.");
    expect(texts[1]).toContain("치즈케이크는 지금 품절이에요.");

    const bad = async (options: Record<string, string>) =>
      said(
        await callSkill(t.app, "/cart/add", newUser(), {
          clientExtra: { itemId: item.americano, options },
        }),
      );
    expect(await bad({ 온도: "미지근" })).toBe("'온도'에서 '미지근'은 고를 수 없어요.");
    expect(await bad({ 온도: "차가움" })).toBe("'온도'에서 '차가움'은 고를 수 없어요.");
    expect(await bad({ 온도: "뜨거운 거" })).toBe("'온도'에서 '뜨거운 거'는 고를 수 없어요.");

    const user = newUser();
    await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.cake } });
    await soldOut(item.cake!, true);
    try {
      const placed = await callSkill(t.app, "/orders/place", user);
      expect(said(placed)).toContain("치즈케이크는 지금 품절이에요");
    } finally {
      await soldOut(item.cake!, false);
    }
  });

  test("이라/라 after the day's state; no answer ever writes 을(를) or 은(는)", async () => {
    const user = newUser();
    await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.bread } });
    await moveDay(t.deps, storeId, "break");
    try {
      const res = await callSkill(t.app, "/orders/place", user);
      expect(said(res)).toContain("지금은 가게가 잠시 휴식 중이라 주문을 받지 않아요.");
      expect(res.text).not.toMatch(/\((을|를|은|는|이|가|으로|로|과|와)\)/);
    } finally {
      await moveDay(t.deps, storeId, "reopen");
    }
  });
});
