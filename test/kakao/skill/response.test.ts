import { describe, expect, test } from "bun:test";
import {
  type BasicCard,
  type Button,
  basicCard,
  button,
  type CarouselType,
  carousel,
  carousels,
  clip,
  commerceCard,
  formatKrw,
  LIMITS,
  type ListCard,
  listCard,
  type Output,
  politeText,
  quickReply,
  type SkillResponse,
  simpleImage,
  simpleText,
  skillResponse,
  splitText,
  textCard,
  validateSkillResponse,
} from "../../../src/kakao/skill/response.ts";

const IMG = "https://cdn.example.kr/item.jpg";
const DEFAULT_IMG = "https://simple-order.example.kr/static/store.png";
const opts = { defaultThumbnailUrl: DEFAULT_IMG };

/** Builds, proves the result valid 2.0, and returns it. */
function build(...args: Parameters<typeof skillResponse>): SkillResponse {
  const res = skillResponse(...args);
  expect(validateSkillResponse(res)).toEqual([]);
  expect(validateSkillResponse(JSON.parse(JSON.stringify(res)))).toEqual([]);
  return res;
}
const outputsOf = (...outputs: Output[]) => build({ outputs }, opts).template.outputs;
const chars = (s: string | undefined) => Array.from(s ?? "").length;
const textOf = (o: Output | undefined) => (o && "simpleText" in o ? o.simpleText.text : "");
const five = (): Button[] => [1, 2, 3, 4, 5].map((n) => button.message(`버튼${n}`, `b${n}`));
const store = (n: number): BasicCard => ({
  title: `가게 ${n}`,
  description: "영업 중 · 120m",
  thumbnail: { imageUrl: IMG },
  buttons: [button.block("메뉴 보기", "blk-menu", { storeId: `st_${n}` })],
});

describe("every helper gives a valid response", () => {
  test.each<[string, Output[]]>([
    ["simpleText", [simpleText("안녕하세요! 심플오더입니다.")]],
    ["simpleImage", [simpleImage(IMG, "김밥 사진")]],
    ["basicCard", [basicCard(store(1))]],
    ["textCard", [textCard({ title: "장바구니", description: "김밥 2개", buttons: five() })]],
    [
      "listCard",
      [
        listCard({
          header: { title: "최근 주문" },
          items: [
            { title: "김밥 외 1개", description: "준비 중 · 17번" },
            { title: "라면", action: "block", blockId: "blk-order", extra: { orderId: "o1" } },
            { title: "떡볶이", action: "message", messageText: "떡볶이 주문" },
          ],
          buttons: [button.block("더 보기", "blk-orders")],
        }),
      ],
    ],
    [
      "commerceCard",
      [commerceCard({ title: "참치김밥", price: 4500, thumbnails: [{ imageUrl: IMG }] })],
    ],
    ["carousel of basicCards", [carousel("basicCard", [store(1), store(2)])]],
    ["carousel of textCards", [carousel("textCard", [{ title: "a" }, { description: "b" }])]],
    ["carousels", carousels("basicCard", [store(1)])],
    [
      "every kind of button",
      [
        basicCard({
          ...store(1),
          buttons: [
            button.webLink("결제하기", "https://pay.example.kr/ready/1"),
            button.phone("전화하기", "02-123-4567"),
            button.share("공유하기"),
          ],
        }),
      ],
    ],
  ])("%s", (_, outputs) => {
    build({ outputs, quickReplies: [quickReply.message("처음으로", "처음으로")] }, opts);
  });

  test("quick replies, context and data pass through", () => {
    const res = build({
      outputs: [simpleText("옵션을 골라 주세요")],
      quickReplies: [
        quickReply.message("보통", "보통", { choice: "보통" }),
        quickReply.block("곱빼기", "blk-add", { itemId: "it_1", options: { 양: "곱빼기" } }),
      ],
      context: [{ name: "cart", lifeSpan: 3, ttl: 600, params: { storeId: "st_1" } }],
      data: { orderId: "o_1" },
    });
    expect(res.template.quickReplies).toEqual([
      { label: "보통", action: "message", messageText: "보통", extra: { choice: "보통" } },
      {
        label: "곱빼기",
        action: "block",
        blockId: "blk-add",
        messageText: "곱빼기",
        extra: { itemId: "it_1", options: { 양: "곱빼기" } },
      },
    ]);
    expect(res.context).toEqual({
      values: [{ name: "cart", lifeSpan: 3, ttl: 600, params: { storeId: "st_1" } }],
    });
    expect(res.data).toEqual({ orderId: "o_1" });
  });

  test("politeText: a refusal as a chat message with a way forward", () => {
    const res = politeText("지금은 영업 시간이 아니에요. 다른 가게를 찾아볼까요?", [
      quickReply.block("가게 찾기", "blk-stores"),
    ]);
    expect(validateSkillResponse(res)).toEqual([]);
    expect(res).toEqual({
      version: "2.0",
      template: {
        outputs: [{ simpleText: { text: "지금은 영업 시간이 아니에요. 다른 가게를 찾아볼까요?" } }],
        quickReplies: [
          { label: "가게 찾기", action: "block", blockId: "blk-stores", messageText: "가게 찾기" },
        ],
      },
    });
  });

  test("formatKrw", () => {
    expect(formatKrw(4500)).toBe("4,500원");
    expect(formatKrw(0)).toBe("0원");
    expect(formatKrw(1234567)).toBe("1,234,567원");
    expect(formatKrw(-3000)).toBe("-3,000원");
    expect(formatKrw(999.6)).toBe("1,000원");
    expect(() => formatKrw(Number.NaN)).toThrow(RangeError);
  });
});

describe("long text is split, never silently lost", () => {
  test("2000 characters: two outputs that join back to the text", () => {
    const text = "가".repeat(2000);
    const outputs = outputsOf(simpleText(text));
    expect(outputs).toHaveLength(2);
    expect(outputs.map(textOf).join("")).toBe(text);
  });

  test("3000 characters (3 × 1000) fit entirely, with breaks at line ends", () => {
    const lines = Array.from(
      { length: 150 },
      (_, i) => `${String(i).padStart(3, "0")} 참치김밥 4,500원`,
    );
    const text = lines.join("\n");
    expect(chars(text)).toBeLessThanOrEqual(3000);
    const outputs = outputsOf(simpleText(text));
    expect(outputs.length).toBeGreaterThan(1);
    expect(outputs.map(textOf).join("")).toBe(text);
    for (const o of outputs.slice(0, -1)) expect(textOf(o).endsWith("\n")).toBe(true);
  });

  test("beyond 3 outputs: the third text ends with … and 더 보기 is offered", () => {
    const text = "나".repeat(3500);
    const res = build({
      outputs: [simpleText(text)],
      quickReplies: [quickReply.message("홈", "홈")],
    });
    const outputs = res.template.outputs;
    expect(outputs).toHaveLength(3);
    expect(outputs.slice(0, 2).map(textOf).join("")).toBe("나".repeat(2000));
    expect(textOf(outputs[2])).toBe(`${"나".repeat(999)}…`);
    expect(res.template.quickReplies?.map((q) => q.label)).toEqual(["더 보기", "홈"]);
  });

  test("characters are code points: an emoji is never cut in half", () => {
    const text = "😀".repeat(1500);
    const outputs = outputsOf(simpleText(text));
    expect(outputs.map((o) => chars(textOf(o)))).toEqual([1000, 500]);
    expect(outputs.map(textOf).join("")).toBe(text);
  });

  test("splitText prefers a line end, then a space, in the second half of the window", () => {
    expect(splitText("aaaa bbbb\ncccc dddd", 12)).toEqual(["aaaa bbbb\n", "cccc dddd"]);
    expect(splitText("aaaa bbbbbbbbbbb", 12)).toEqual(["aaaa bbbbbbb", "bbbb"]);
    expect(splitText("", 10)).toEqual([]);
  });

  test("empty texts are dropped; nothing at all still answers", () => {
    expect(outputsOf(simpleText(""), simpleText("hi"))).toEqual([{ simpleText: { text: "hi" } }]);
    const res = build({ outputs: [] });
    expect(res.template.outputs).toHaveLength(1);
  });
});

describe("overlong fields are shortened with …", () => {
  test("clip counts characters, Korean included", () => {
    expect(clip("가나다라마", 5)).toBe("가나다라마");
    expect(clip("가나다라마바", 5)).toBe("가나다라…");
  });

  test("basicCard: 60-character title, 300-character description, 20-character labels, 5 buttons", () => {
    const [card] = outputsOf(
      basicCard({
        title: "제".repeat(60),
        description: "설".repeat(300),
        thumbnail: { imageUrl: IMG, altText: "대".repeat(80) },
        buttons: five().map((b) => ({ ...b, label: "라".repeat(20) })),
      }),
    );
    if (!card || !("basicCard" in card)) throw new Error("expected a basicCard");
    const c = card.basicCard;
    expect(c.title).toBe(`${"제".repeat(49)}…`);
    expect(chars(c.description)).toBe(LIMITS.cardDescription);
    expect(chars(c.thumbnail?.altText)).toBe(50);
    expect(c.buttons).toHaveLength(3);
    expect(c.buttons?.map((b) => b.label)).toEqual(Array(3).fill(`${"라".repeat(13)}…`));
  });

  test("a 1:1 thumbnail puts 2 buttons in a row with 8-character labels", () => {
    const [card] = outputsOf(
      basicCard({ ...store(1), thumbnail: { imageUrl: IMG, fixedRatio: true }, buttons: five() }),
    );
    const c = card && "basicCard" in card ? card.basicCard : undefined;
    expect(c?.buttons).toHaveLength(2);
    const long = basicCard({
      ...store(1),
      thumbnail: { imageUrl: IMG, fixedRatio: true },
      buttons: [button.share("열두글자짜리공유하기버튼"), button.share("공유")],
    });
    const [pair] = outputsOf(long);
    expect(pair && "basicCard" in pair && pair.basicCard.buttons?.[0]?.label).toBe(
      "열두글자짜리공…",
    );
  });

  test("textCard: title and description share 400 in one card, 128 in a carousel", () => {
    const long = { title: "t".repeat(50), description: "d".repeat(500) };
    const [single] = outputsOf(textCard(long));
    expect(single && "textCard" in single && chars(single.textCard.description)).toBe(350);
    const [inCarousel] = outputsOf(carousel("textCard", [long]));
    const item = inCarousel && "carousel" in inCarousel ? inCarousel.carousel.items[0] : undefined;
    expect(chars((item as { description?: string }).description)).toBe(128);
  });

  test("listCard: 5 items (4 in a carousel), 2 buttons, long titles", () => {
    const list: ListCard = {
      header: { title: "메".repeat(60) },
      items: Array.from({ length: 8 }, (_, i) => ({
        title: `메뉴 ${i}`,
        description: "설".repeat(300),
      })),
      buttons: five(),
    };
    const [single] = outputsOf(listCard(list));
    const l = single && "listCard" in single ? single.listCard : undefined;
    expect(l?.items).toHaveLength(5);
    expect(l?.buttons).toHaveLength(2);
    expect(chars(l?.header.title)).toBe(LIMITS.listTitle);
    const [c] = outputsOf(carousel("listCard", [list, list]));
    const cards = c && "carousel" in c ? (c.carousel.items as ListCard[]) : [];
    expect(cards.map((x) => x.items.length)).toEqual([4, 4]);
  });

  test("commerceCard: title 30, description 40, one thumbnail, whole won", () => {
    const [card] = outputsOf(
      commerceCard({
        title: "김".repeat(40),
        description: "밥".repeat(50),
        price: 4500.4,
        thumbnails: [{ imageUrl: IMG }, { imageUrl: IMG }],
        discountRate: 10,
      }),
    );
    const c = card && "commerceCard" in card ? card.commerceCard : undefined;
    expect(chars(c?.title)).toBe(30);
    expect(chars(c?.description)).toBe(40);
    expect(c?.price).toBe(4500);
    expect(c?.thumbnails).toHaveLength(1);
    expect(c?.discountRate).toBeUndefined(); // needs discountedPrice
  });

  test("15 quick replies → 10; 20-character labels → 14", () => {
    const many = Array.from({ length: 15 }, (_, i) =>
      quickReply.message(`${"옵".repeat(20)}${i}`, `${i}`),
    );
    const res = build({ outputs: [simpleText("골라 주세요")], quickReplies: many });
    expect(res.template.quickReplies).toHaveLength(10);
    expect(res.template.quickReplies?.every((q) => chars(q.label) === 14)).toBe(true);
    expect(res.template.quickReplies?.[9]?.messageText).toBe("9");
  });
});

describe("cards are split into carousels, never silently lost", () => {
  const titlesOf = (outputs: Output[]) =>
    outputs.flatMap((o) =>
      "carousel" in o ? o.carousel.items.map((i) => (i as BasicCard).title) : [],
    );

  test("25 cards → carousels of 10, 10 and 5, in order", () => {
    const stores = Array.from({ length: 25 }, (_, i) => store(i));
    for (const outputs of [[carousel("basicCard", stores)], carousels("basicCard", stores)]) {
      const res = outputsOf(...outputs);
      expect(res.map((o) => ("carousel" in o ? o.carousel.items.length : 0))).toEqual([10, 10, 5]);
      expect(titlesOf(res)).toEqual(stores.map((s) => s.title));
    }
  });

  test("listCards go 5 to a carousel", () => {
    const list: ListCard = { header: { title: "메뉴" }, items: [{ title: "김밥" }] };
    const outputs = outputsOf(carousel("listCard", Array(12).fill(list)));
    expect(outputs.map((o) => ("carousel" in o ? o.carousel.items.length : 0))).toEqual([5, 5, 2]);
  });

  test("35 cards: 30 shown, and the caller's 더 보기 quick reply first", () => {
    const stores = Array.from({ length: 35 }, (_, i) => store(i));
    const more = quickReply.block("다음 가게", "blk-stores", { page: 2 });
    const res = build({ outputs: [carousel("basicCard", stores)], more, quickReplies: [] }, opts);
    expect(titlesOf(res.template.outputs)).toHaveLength(30);
    expect(res.template.quickReplies?.[0]).toEqual({ ...more, messageText: "다음 가게" });
  });

  test("5 outputs → 3, with 더 보기 among at most 10 quick replies", () => {
    const qrs = Array.from({ length: 12 }, (_, i) => quickReply.message(`q${i}`, `q${i}`));
    const res = build({
      outputs: [1, 2, 3, 4, 5].map((n) => simpleText(`${n}번`)),
      quickReplies: qrs,
    });
    expect(res.template.outputs.map(textOf)).toEqual(["1번", "2번", "3번…"]);
    expect(res.template.quickReplies).toHaveLength(10);
    expect(res.template.quickReplies?.[0]?.label).toBe("더 보기");
  });

  test("a carousel header stays on the first carousel only", () => {
    const header = { title: "근처 가게", description: "가까운 순", thumbnail: { imageUrl: IMG } };
    const outputs = outputsOf(
      carousel(
        "basicCard",
        Array.from({ length: 12 }, (_, i) => store(i)),
        header,
      ),
    );
    expect(outputs.map((o) => "carousel" in o && o.carousel.header !== undefined)).toEqual([
      true,
      false,
    ]);
  });

  test("one image ratio per carousel: the first card's", () => {
    const square = { ...store(1), thumbnail: { imageUrl: IMG, fixedRatio: true } };
    const [c] = outputsOf(
      carousel("basicCard", [square, store(2), { ...store(3), thumbnail: undefined }]),
    );
    const items = c && "carousel" in c ? (c.carousel.items as BasicCard[]) : [];
    expect(items.map((i) => i.thumbnail?.fixedRatio)).toEqual([true, true, true]);
  });
});

describe("a basicCard always has a thumbnail", () => {
  test("missing or unusable: the default is put in", () => {
    for (const thumbnail of [undefined, { imageUrl: "" }, { imageUrl: "/relative.png" }]) {
      const [card] = outputsOf(basicCard({ title: "김밥천국", thumbnail }));
      expect(card).toEqual({
        basicCard: { title: "김밥천국", thumbnail: { imageUrl: DEFAULT_IMG } },
      });
    }
  });

  test("in a carousel too, and in a commerceCard", () => {
    const [c] = outputsOf(carousel("basicCard", [store(1), { title: "이미지 없음" }]));
    const items = c && "carousel" in c ? (c.carousel.items as BasicCard[]) : [];
    expect(items.map((i) => i.thumbnail?.imageUrl)).toEqual([IMG, DEFAULT_IMG]);
    const [cc] = outputsOf(commerceCard({ title: "김밥", price: 3000 }));
    expect(cc && "commerceCard" in cc && cc.commerceCard.thumbnails).toEqual([
      { imageUrl: DEFAULT_IMG },
    ]);
  });

  test("with no default at all the card is shown as a textCard (the whole carousel alike)", () => {
    const res = build({ outputs: [basicCard({ title: "김밥천국", buttons: five() })] });
    expect(Object.keys(res.template.outputs[0] ?? {})).toEqual(["textCard"]);
    const mixed = build({ outputs: [carousel("basicCard", [store(1), { title: "이미지 없음" }])] });
    const out = mixed.template.outputs[0];
    expect(out && "carousel" in out && out.carousel.type).toBe("textCard");
    const priced = build({
      outputs: [commerceCard({ title: "김밥", price: 3000, discount: 500 })],
    });
    expect(priced.template.outputs[0]).toEqual({
      textCard: { title: "김밥", description: "2,500원" },
    });
  });
});

describe("whatever the draft, the response is valid 2.0", () => {
  // A seeded generator of drafts with random sizes around and past every limit.
  let seed = 20240601;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const str = (max: number) => "가a 😀\n".repeat(rand(max) + 1).slice(0, rand(max * 2) + 1);
  const maybe = <T>(v: T) => (rand(3) === 0 ? undefined : v);
  const buttons = () =>
    Array.from({ length: rand(6) }, () =>
      rand(2) ? button.message(str(20), str(30), { n: rand(9) }) : button.webLink(str(20), IMG),
    );
  const thumb = () => maybe({ imageUrl: rand(4) ? IMG : "bad url", fixedRatio: rand(2) === 0 });
  const cards: { [K in CarouselType]: () => unknown } = {
    basicCard: () => ({
      title: maybe(str(70)),
      description: maybe(str(300)),
      thumbnail: thumb(),
      buttons: buttons(),
    }),
    textCard: () => ({ title: maybe(str(70)), description: maybe(str(500)), buttons: buttons() }),
    listCard: () => ({
      header: { title: str(60) },
      items: Array.from({ length: rand(8) }, () => ({
        title: str(60),
        description: maybe(str(300)),
      })),
      buttons: buttons(),
    }),
    commerceCard: () => ({
      title: maybe(str(40)),
      price: rand(100000),
      thumbnails: maybe([{ imageUrl: IMG }]),
    }),
  };
  const types = Object.keys(cards) as CarouselType[];
  const output = (): Output => {
    const type = types[rand(types.length)] ?? "textCard";
    const k = rand(4);
    if (k === 0) return simpleText(str(2500));
    if (k === 1)
      return { carousel: { type, items: Array.from({ length: rand(30) }, cards[type]) } } as Output;
    return { [type]: cards[type]() } as Output;
  };

  test("300 random drafts", () => {
    for (let i = 0; i < 300; i++) {
      const draft = {
        outputs: Array.from({ length: rand(6) }, output),
        quickReplies: Array.from({ length: rand(15) }, () => quickReply.message(str(25), str(10))),
      };
      const res = skillResponse(draft, rand(2) ? opts : {});
      expect(validateSkillResponse(res)).toEqual([]);
    }
  });
});
