import {
  basicCard,
  button,
  carousel,
  commerceCard,
  listCard,
  quickReply,
  type SkillResponse,
  simpleImage,
  simpleText,
  skillResponse,
  textCard,
} from "../../kakao/skill/response.ts";

/**
 * One of every output type, button action and quick reply kind the response builder
 * (src/kakao/skill/response.ts) produces, fitted by the builder itself: the simulator's
 * "말풍선 샘플". `imageUrl` is this server's sample picture and `defaultThumbnailUrl` the skills'
 * default card picture, also served here, so both show without internet.
 */
export function sampleResponses(imageUrl: string, defaultThumbnailUrl: string): SkillResponse[] {
  const options = { defaultThumbnailUrl };
  const thumb = { imageUrl, altText: "샘플 이미지" };
  const menu = (storeId: string) => button.message("메뉴 보기", "메뉴 보기", { storeId });
  return [
    skillResponse(
      {
        outputs: [
          simpleText("simpleText: 줄바꿈도\n그대로 보여요.\n\n빈 줄 다음 줄."),
          simpleImage(imageUrl, "simpleImage 샘플"),
          basicCard({
            title: "basicCard: 성수 샘플카페",
            description: "썸네일, 제목, 설명과 버튼 세 개 (message · webLink · phone)",
            thumbnail: thumb,
            buttons: [
              menu("sample-store"),
              button.webLink("웹 링크", "https://example.com/"),
              button.phone("전화하기", "021234567"),
            ],
          }),
        ],
      },
      options,
    ),
    skillResponse(
      {
        outputs: [
          textCard({
            title: "textCard: 합계 9,000원",
            description: "block 버튼과 share 버튼",
            buttons: [button.block("장바구니", "cart", {}), button.share("공유하기")],
          }),
          listCard({
            header: { title: "listCard: 최근 주문" },
            items: [
              {
                title: "#12 카페라떼 외 1건",
                description: "주문 접수 · 9,000원",
                imageUrl,
                action: "message",
                messageText: "주문 내역",
              },
              { title: "#11 아메리카노", description: "픽업 완료 · 4,500원" },
              {
                title: "링크 항목",
                description: "누르면 새 창",
                link: { web: "https://example.com/" },
              },
            ],
            buttons: [
              button.message("주문 내역", "주문 내역"),
              button.message("가게 찾기", "가게 찾기"),
            ],
          }),
          commerceCard({
            title: "commerceCard: 소금빵",
            description: "할인가와 할인율",
            price: 4000,
            discount: 500,
            discountedPrice: 3500,
            discountRate: 12,
            thumbnails: [thumb],
            profile: { nickname: "성수 샘플베이커리", imageUrl },
            buttons: [button.message("담기", "담기", { itemId: "sample-item" })],
          }),
        ],
      },
      options,
    ),
    skillResponse(
      {
        outputs: [
          carousel(
            "basicCard",
            ["성수 샘플카페", "강남 샘플베이커리", "합정 샘플분식"].map((name, i) => ({
              title: name,
              description: `주문 가능 · ${(i + 1) * 250}m`,
              thumbnail: thumb,
              buttons: [menu(`sample-${i}`)],
            })),
            {
              title: "carousel header",
              description: "basicCard 케로셀 위의 커버",
              thumbnail: { imageUrl },
            },
          ),
          carousel("textCard", [
            { title: "textCard 1", description: "케로셀의 textCard", buttons: [menu("a")] },
            { title: "textCard 2", description: "옆으로 넘겨 보세요", buttons: [menu("b")] },
          ]),
          carousel("commerceCard", [
            { title: "아메리카노", price: 4500, thumbnails: [thumb], buttons: [menu("c")] },
            { title: "카페라떼", price: 5000, discount: 1000, thumbnails: [thumb] },
          ]),
        ],
      },
      options,
    ),
    skillResponse(
      {
        outputs: [
          carousel("listCard", [
            {
              header: { title: "listCard 케로셀 1" },
              items: [{ title: "항목 1", description: "설명" }, { title: "항목 2" }],
            },
            {
              header: { title: "listCard 케로셀 2" },
              items: [{ title: "항목 3" }],
              buttons: [button.message("더 보기", "가게 찾기")],
            },
          ]),
        ],
        quickReplies: [
          quickReply.message("가게 찾기", "가게 찾기"),
          quickReply.block("장바구니 (block)", "cart"),
          quickReply.message("주문 내역", "주문 내역"),
        ],
      },
      options,
    ),
  ];
}
