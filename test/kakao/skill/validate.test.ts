import { describe, expect, test } from "bun:test";
import { validateSkillResponse } from "../../../src/kakao/skill/response.ts";

// The checker must accept what Kakao's "응답 타입별 JSON 포맷" page shows as samples and
// refuse what breaks its stated limits, or it proves nothing about the builder.

const IMG = "https://t1.kakaocdn.net/openbuilder/sample/lj3JUcmrzC53YIjNDkqbWK.jpg";
const respond = (outputs: unknown[], extra: Record<string, unknown> = {}) => ({
  version: "2.0",
  template: { outputs, ...extra },
});
const treasure = (n: number) => ({
  title: `보물상자${n}`,
  description: "보물상자 안에는 뭐가 있을까",
  thumbnail: { imageUrl: IMG },
  buttons: [
    { action: "message", label: "열어보기", messageText: "짜잔! 우리가 찾던 보물입니다" },
    { action: "webLink", label: "구경하기", webLinkUrl: "https://e.kakao.com/t/hello-ryan" },
  ],
});
const menuItem = (title: string, price: string) => ({
  title,
  description: price,
  imageUrl: "https://t1.kakaocdn.net/openbuilder/docs_image/02_img_01.jpg",
});
const quickReplies = ["인기 메뉴", "최근 주문", "장바구니"].map((label) => ({
  messageText: label,
  action: "message",
  label,
}));

describe("the documented samples are valid", () => {
  test.each([
    ["SimpleText", respond([{ simpleText: { text: "간단한 텍스트 요소입니다." } }])],
    [
      "SimpleImage",
      respond([
        { simpleImage: { imageUrl: IMG, altText: "보물상자가 모래사장 위에 놓여 있습니다" } },
      ]),
    ],
    [
      "TextCard",
      respond([
        {
          textCard: {
            title: "챗봇 관리자센터에 오신 것을 환영합니다.",
            description: "챗봇 관리자센터로 챗봇을 제작해 보세요. \n카카오톡 채널과 연결하여…",
            buttons: [
              {
                action: "webLink",
                label: "소개 보러가기",
                webLinkUrl: "https://chatbot.kakao.com/",
              },
              {
                action: "webLink",
                label: "챗봇 만들러 가기",
                webLinkUrl: "https://chatbot.kakao.com/",
              },
            ],
          },
        },
      ]),
    ],
    ["BasicCard", respond([{ basicCard: treasure(1) }])],
    [
      "CommerceCard",
      respond([
        {
          commerceCard: {
            title: "빈티지 목재 보물 상자 (Medium size)",
            description: "이 보물 상자 안에는 무엇이 들어있을까요?",
            price: 10000,
            discount: 1000,
            currency: "won",
            thumbnails: [
              { imageUrl: IMG, link: { web: "https://store.kakaofriends.com/kr/products/1542" } },
            ],
            profile: { imageUrl: IMG, nickname: "라이언 스토어" },
            buttons: [
              {
                label: "구매하기",
                action: "webLink",
                webLinkUrl: "https://store.kakaofriends.com/",
              },
              { label: "전화하기", action: "phone", phoneNumber: "354-86-00070" },
              { label: "공유하기", action: "share" },
            ],
          },
        },
      ]),
    ],
    [
      "ListCard",
      respond([
        {
          listCard: {
            header: { title: "챗봇 관리자센터를 소개합니다." },
            items: [
              {
                ...menuItem("챗봇 관리자센터", "새로운 AI의 내일"),
                link: { web: "https://x.kr/" },
              },
              {
                ...menuItem("챗봇 관리자센터", "카카오톡 채널 챗봇 만들기"),
                action: "block",
                blockId: "62654c249ac8ed78441532de",
                extra: { key1: "value1" },
              },
              {
                ...menuItem("Kakao i Voice Service", "보이스봇"),
                action: "message",
                messageText: "Kakao i Voice Service",
              },
            ],
            buttons: [{ label: "구경가기", action: "block", blockId: "62654c249ac8ed78441532de" }],
          },
        },
      ]),
    ],
    [
      "BasicCard carousel",
      respond([{ carousel: { type: "basicCard", items: [1, 2, 3].map(treasure) } }]),
    ],
    [
      "ListCard carousel with quick replies",
      respond(
        [
          {
            carousel: {
              type: "listCard",
              items: ["샌드위치", "커피"].map((title) => ({
                header: { title },
                items: ["햄치즈", "베이컨 아보카도", "에그 포테이토", "갈릭 베이컨 토마토"].map(
                  (t) => menuItem(t, "4,500원"),
                ),
                buttons: [{ label: "더보기", action: "message", messageText: `${title} 더보기` }],
              })),
            },
          },
        ],
        { quickReplies },
      ),
    ],
    [
      "ItemCard carousel after a SimpleText",
      respond([
        { simpleText: { text: "총 2개의 예약 내역이 있습니다. 취소할 예약을 선택해 주세요." } },
        {
          carousel: {
            type: "itemCard",
            items: [1, 2].map(() => ({
              imageTitle: { title: "예약 완료", imageUrl: IMG },
              itemList: [
                { title: "매장명", description: "판교 A스퀘어점" },
                { title: "예약 인원", description: "4명" },
              ],
              itemListAlignment: "left",
              buttons: [{ label: "예약 정보", action: "message", messageText: "예약 정보" }],
            })),
          },
        },
      ]),
    ],
    [
      "CommerceCard carousel with a header",
      respond([
        {
          carousel: {
            type: "commerceCard",
            header: {
              title: "커머스 카드\n케로셀 헤드 예제",
              description: "예제",
              thumbnail: { imageUrl: IMG },
            },
            items: [1, 2].map(() => ({
              description: "따끈따끈한 보물 상자 팝니다",
              price: 10000,
              discount: 1000,
              currency: "won",
              thumbnails: [{ imageUrl: IMG }],
              buttons: [{ label: "공유하기", action: "share" }],
            })),
          },
        },
      ]),
    ],
    [
      "ContextControl",
      {
        ...respond([{ simpleText: { text: "ok" } }]),
        context: {
          values: [
            { name: "abc", lifeSpan: 10, ttl: 60, params: { key1: "val1", key2: "val2" } },
            { name: "def", lifeSpan: 5, params: { key5: '{"jsonKey": "jsonVal"}' } },
            { name: "ghi", lifeSpan: 0 },
          ],
        },
        data: { customDataField: "customDataValue" },
      },
    ],
  ])("%s", (_, json) => {
    expect(validateSkillResponse(json)).toEqual([]);
  });
});

describe("the checker refuses what breaks the documented format", () => {
  const simple = (text: string) => ({ simpleText: { text } });
  const refusals = (json: unknown) => {
    const problems = validateSkillResponse(json);
    expect(problems.length).toBeGreaterThan(0);
    return problems.join("\n");
  };

  test("4 outputs", () => {
    expect(refusals(respond([1, 2, 3, 4].map((n) => simple(`${n}`))))).toContain(
      "template.outputs",
    );
  });

  test("no outputs", () => {
    expect(refusals(respond([]))).toContain("template.outputs");
  });

  test("11 carousel cards, 6 listCards", () => {
    const basic = {
      carousel: { type: "basicCard", items: Array.from({ length: 11 }, (_, i) => treasure(i)) },
    };
    expect(refusals(respond([basic]))).toContain("carousel.items: more than 10 cards");
    const list = { header: { title: "목록" }, items: [menuItem("김밥", "3,000원")] };
    const lists = { carousel: { type: "listCard", items: Array.from({ length: 6 }, () => list) } };
    expect(refusals(respond([lists]))).toContain("more than 5 cards");
  });

  test("a button label of 15 characters", () => {
    const card = treasure(1);
    card.buttons[0] = { action: "message", label: "가".repeat(15), messageText: "x" };
    expect(refusals(respond([{ basicCard: card }]))).toContain("buttons.0.label");
  });

  test("a quick reply label of 15 characters, and 11 quick replies", () => {
    const qr = (label: string) => ({ label, action: "message", messageText: label });
    expect(refusals(respond([simple("a")], { quickReplies: [qr("나".repeat(15))] }))).toContain(
      "quickReplies.0.label",
    );
    const eleven = Array.from({ length: 11 }, (_, i) => qr(`${i}`));
    expect(refusals(respond([simple("a")], { quickReplies: eleven }))).toContain("quickReplies");
  });

  test("missing or wrong version", () => {
    const { version: _, ...rest } = respond([simple("hi")]);
    expect(refusals(rest)).toContain("version");
    expect(refusals({ ...rest, version: "1.0" })).toContain("version");
    expect(refusals({ version: "2.0" })).toContain("template");
  });

  test("a simpleText of 1001 characters or none at all", () => {
    expect(refusals(respond([simple("가".repeat(1001))]))).toContain("simpleText.text");
    expect(validateSkillResponse(respond([simple("가".repeat(1000))]))).toEqual([]);
    expect(refusals(respond([simple("")]))).toContain("simpleText.text");
  });

  test("a basicCard without a thumbnail, or with a title over 50", () => {
    const { thumbnail: _, ...noThumb } = treasure(1);
    expect(refusals(respond([{ basicCard: noThumb }]))).toContain("basicCard.thumbnail");
    expect(refusals(respond([{ basicCard: { ...treasure(1), title: "t".repeat(51) } }]))).toContain(
      "basicCard.title",
    );
  });

  test("4 buttons, 3 side by side, or a wide label in a 1:1 card", () => {
    const card = treasure(1);
    const four = { ...card, buttons: [...card.buttons, ...card.buttons] };
    expect(refusals(respond([{ basicCard: four }]))).toContain("more than 3 buttons");
    const square = { ...card, thumbnail: { imageUrl: IMG, fixedRatio: true } };
    const threeInRow = { ...square, buttons: [...card.buttons, card.buttons[0]] };
    expect(refusals(respond([{ basicCard: threeInRow }]))).toContain("more than 2 buttons");
    const wide = {
      ...square,
      buttons: [card.buttons[0], { ...card.buttons[1], label: "아홉글자짜리라벨임" }],
    };
    expect(refusals(respond([{ basicCard: wide }]))).toContain("horizontal pair");
  });

  test("actions without what they need", () => {
    const card = treasure(1);
    const cases: [unknown, string][] = [
      [{ label: "a", action: "message" }, "messageText"],
      [{ label: "a", action: "block" }, "blockId"],
      [{ label: "a", action: "webLink", webLinkUrl: "not a url" }, "webLinkUrl"],
      [{ label: "a", action: "phone" }, "phoneNumber"],
      [{ label: "a", action: "teleport" }, "action"],
    ];
    for (const [b, field] of cases) {
      expect(refusals(respond([{ basicCard: { ...card, buttons: [b] } }]))).toContain(field);
    }
    const blockQr = { label: "a", action: "block" };
    expect(refusals(respond([simple("a")], { quickReplies: [blockQr] }))).toContain("blockId");
  });

  test("an output with two components, or an unknown one", () => {
    expect(refusals(respond([{ ...simple("a"), basicCard: treasure(1) }]))).toContain(
      "exactly one",
    );
    expect(refusals(respond([{ fancyCard: {} }]))).toContain("fancyCard");
  });

  test("textCard limits: nothing to show, 400 in one card, 128 in a carousel", () => {
    expect(refusals(respond([{ textCard: {} }]))).toContain("title or a description");
    const long = { title: "t".repeat(50), description: "d".repeat(351) };
    expect(refusals(respond([{ textCard: long }]))).toContain("textCard.description");
    const carousel = { type: "textCard", items: [{ description: "d".repeat(129) }] };
    expect(refusals(respond([{ carousel }]))).toContain("carousel.items.0.description");
  });

  test("listCard limits: 6 items, 5 in a carousel card, 3 buttons side by side", () => {
    const items = (n: number) => Array.from({ length: n }, () => menuItem("김밥", "3,000원"));
    const one = (n: number) => ({ header: { title: "메뉴" }, items: items(n) });
    expect(refusals(respond([{ listCard: one(6) }]))).toContain("listCard.items");
    expect(refusals(respond([{ carousel: { type: "listCard", items: [one(5)] } }]))).toContain(
      "carousel.items.0.items",
    );
    const b = { label: "b", action: "share" };
    expect(refusals(respond([{ listCard: { ...one(1), buttons: [b, b, b] } }]))).toContain(
      "more than 2 buttons",
    );
  });

  test("a carousel that mixes 1:1 and 2:1 images, or a header on a textCard carousel", () => {
    const square = { ...treasure(2), thumbnail: { imageUrl: IMG, fixedRatio: true } };
    const mixed = { carousel: { type: "basicCard", items: [treasure(1), square] } };
    expect(refusals(respond([mixed]))).toContain("mix");
    const header = { title: "h", description: "d", thumbnail: { imageUrl: IMG } };
    const text = { carousel: { type: "textCard", header, items: [{ title: "t" }] } };
    expect(refusals(respond([text]))).toContain("carousel.header");
  });

  test("context values need a name and a whole lifeSpan", () => {
    const json = { ...respond([simple("a")]), context: { values: [{ name: "", lifeSpan: 1.5 }] } };
    const problems = refusals(json);
    expect(problems).toContain("context.values.0.name");
    expect(problems).toContain("context.values.0.lifeSpan");
  });
});
