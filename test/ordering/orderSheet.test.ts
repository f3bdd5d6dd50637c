import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestEmulator } from "../helpers/emulator.ts";
import { americano, latteWithSizes } from "../helpers/menu.ts";
import { openShop } from "../helpers/shop.ts";
import { callSkill } from "../helpers/skill.ts";
import { testDb } from "../helpers/testDb.ts";
import { makeTestDeps } from "../helpers/testDeps.ts";

// What the customer is shown before paying: the order sheet in the chat and KakaoPay's page.
const emu = startTestEmulator();
const t = makeTestDeps({ db: await testDb(), env: emu.env });
afterAll(async () => {
  await t.close();
  await emu.stop();
});

const long = (text: string, length: number) => text.repeat(length).slice(0, length);
const longGroups = ["가", "나", "다"].map((g) => ({
  name: `긴옵션${g}`,
  required: true,
  choices: [{ name: long(`${g}선택`, 30), priceDelta: 100 }],
}));

const item: Record<string, string> = {};
beforeAll(async () => {
  const shop = await openShop(t.deps, [
    latteWithSizes(),
    americano,
    { name: "쿠키", price: 3000, category: "디저트", soldOut: false, optionGroups: [] },
    {
      name: long("아주긴이름의시그니처메뉴", 50),
      price: 9000,
      category: "시그니처",
      soldOut: false,
      optionGroups: longGroups,
    },
  ]);
  const [latte, coffee, cookie, signature] = shop.itemIds;
  Object.assign(item, { latte, coffee, cookie, signature });
});

let n = 0;
const newUser = () => `sheet-user-${++n}`;

async function place(user: string) {
  const placed = await callSkill(t.app, "/orders/place", user);
  const card = placed.template.outputs[0]!.basicCard as {
    title: string;
    description: string;
    buttons: { webLinkUrl: string }[];
  };
  const tid = card.buttons[0]!.webLinkUrl.split("/").at(-1)!;
  const sent = (await emu.payment(tid)) as Awaited<ReturnType<typeof emu.payment>> & {
    item_name: string;
    quantity: number;
  };
  return { card, sent };
}

describe("the order sheet and KakaoPay show what is bought", () => {
  test("lines with options, quantities and amounts, the total; KakaoPay gets the summary and the item count", async () => {
    const user = newUser();
    await callSkill(t.app, "/cart/add", user, {
      clientExtra: { itemId: item.latte, qty: 2, options: { 온도: "아이스", 사이즈: "라지" } },
    });
    await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.cookie } });
    const { card, sent } = await place(user);
    expect(card.title).toBe("주문서 · 14,000원");
    expect(card.description.split("\n")).toEqual([
      "• 카페라떼 (아이스 · 라지) × 2 — 11,000원",
      "• 쿠키 × 1 — 3,000원",
      "합계 14,000원",
      "카카오페이로 결제하면 가게에 바로 주문이 들어가요.",
    ]);
    expect(sent.item_name).toBe("카페라떼(아이스·라지) ×2 외 1건");
    expect(sent.quantity).toBe(3);
    expect(sent.total_amount).toBe(14_000);
    // KakaoPay's own page shows the same.
    const page = await (await fetch(card.buttons[0]!.webLinkUrl)).text();
    expect(page).toContain("카페라떼(아이스·라지) ×2 외 1건");
  });

  test("one item once: its name alone, quantity 1", async () => {
    const user = newUser();
    await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId: item.coffee } });
    const { card, sent } = await place(user);
    expect(sent.item_name).toBe("아메리카노");
    expect(sent.quantity).toBe(1);
    expect(card.description).toStartWith("• 아메리카노 × 1 — 4,500원\n합계 4,500원");
  });

  test("a long name with long options and many lines stays within KakaoPay's 100 characters and the card's 230", async () => {
    const user = newUser();
    const options = Object.fromEntries(longGroups.map((g) => [g.name, g.choices[0]!.name]));
    await callSkill(t.app, "/cart/add", user, {
      clientExtra: { itemId: item.signature, qty: 3, options },
    });
    for (const [itemId, qty] of [
      [item.cookie, 4],
      [item.coffee, 5],
    ] as const) {
      await callSkill(t.app, "/cart/add", user, { clientExtra: { itemId, qty } });
    }
    for (const [temp, size] of [
      ["핫", "레귤러"],
      ["핫", "라지"],
      ["아이스", "레귤러"],
    ]) {
      await callSkill(t.app, "/cart/add", user, {
        clientExtra: { itemId: item.latte, options: { 온도: temp, 사이즈: size } },
      });
    }
    const { card, sent } = await place(user);
    expect(sent.status).toBe("READY");
    expect(sent.item_name.length).toBeLessThanOrEqual(100);
    expect(sent.item_name).toStartWith("아주긴이름의시그니처메뉴");
    expect(sent.item_name).toEndWith("… 외 5건");
    expect(sent.quantity).toBe(3 + 4 + 5 + 3);
    expect(Array.from(card.description).length).toBeLessThanOrEqual(230);
    expect(card.description).toContain("합계 ");
    expect(card.description).toMatch(/외 \d+건\n합계/);
    expect(card.description).toEndWith("카카오페이로 결제하면 가게에 바로 주문이 들어가요.");
  });
});
