// An independent checker for Kakao skill responses 2.0. It deliberately repeats the numbers
// instead of importing the builder's LIMITS, so a wrong constant in one is caught by the other.
// Source: Kakao's "응답 타입별 JSON 포맷" page (kakaobusiness.gitbook.io/main/tool/chatbot/
// skill_guide/answer_json_format), sections SkillResponse, SkillTemplate, SimpleText,
// SimpleImage, TextCard, BasicCard, CommerceCard, ListCard, ItemCard, Carousel, 공통, QuickReplies.
// Lengths are counted in characters (code points): a Korean syllable is one.
import { z } from "zod";

const len = (s: string | undefined) => Array.from(s ?? "").length;
const text = (max: number) =>
  z.string().refine((s) => len(s) <= max, { message: `longer than ${max} characters` });
const label = (max: number) => text(max).refine((s) => s.trim() !== "", "empty label");
const url = z.url({ protocol: /^https?$/ });
const extra = z.record(z.string(), z.unknown());
const int = z.number().int();

type Ctx = z.RefinementCtx;

/** Fields that an action needs (Button / ListItem / QuickReply tables). */
function requires(fields: Record<string, string>) {
  return (v: { action?: string | undefined }, ctx: Ctx) => {
    const field = v.action ? fields[v.action] : undefined;
    if (field && !(v as Record<string, unknown>)[field]) {
      ctx.addIssue({ code: "custom", path: [field], message: `required for action ${v.action}` });
    }
  };
}

const link = z.object({ web: z.string(), pc: z.string(), mobile: z.string() }).partial();
// Thumbnail (공통): imageUrl required, altText 최대 50자.
const thumbnail = z.object({
  imageUrl: url,
  altText: text(50).optional(),
  link: link.optional(),
  fixedRatio: z.boolean().optional(),
});

// Button (공통): label "버튼 14자(가로배열 2개 8자)".
const button = z
  .object({
    label: label(14),
    action: z.enum([
      "webLink",
      "message",
      "phone",
      "block",
      "share",
      "operator",
      "osLink",
      "addChannel",
    ]),
    webLinkUrl: url.optional(),
    messageText: z.string().optional(),
    phoneNumber: z.string().optional(),
    blockId: z.string().optional(),
    extra: extra.optional(),
  })
  .superRefine(
    requires({
      webLink: "webLinkUrl",
      message: "messageText",
      phone: "phoneNumber",
      block: "blockId",
    }),
  );
const buttons = z.array(button).optional();
const buttonLayout = z.enum(["vertical", "horizontal"]).optional();

/** "가로 정렬 시 최대 2개, 세로 정렬 시 최대 3개"; a horizontal pair holds 8 characters each. */
function checkButtons(list: { label: string }[] | undefined, horizontal: boolean, ctx: Ctx) {
  const max = horizontal ? 2 : 3;
  if ((list?.length ?? 0) > max) {
    ctx.addIssue({ code: "custom", path: ["buttons"], message: `more than ${max} buttons` });
  }
  if (!horizontal || (list?.length ?? 0) < 2) return;
  list?.forEach((b, i) => {
    if (len(b.label) > 8) {
      ctx.addIssue({
        code: "custom",
        path: ["buttons", i, "label"],
        message: "longer than 8 characters in a horizontal pair",
      });
    }
  });
}

/** buttonLayout wins over fixedRatio; a 1:1 (fixedRatio) thumbnail lays buttons out in a row. */
const horizontal = (layout: string | undefined, fixedRatio: boolean | undefined) =>
  layout ? layout === "horizontal" : fixedRatio === true;

// BasicCard: title 최대 50자, description 최대 230자, thumbnail 필수.
const basicCard = z
  .object({
    title: text(50).optional(),
    description: text(230).optional(),
    thumbnail,
    buttons,
    buttonLayout,
  })
  .superRefine((c, ctx) =>
    checkButtons(c.buttons, horizontal(c.buttonLayout, c.thumbnail.fixedRatio), ctx),
  );

// TextCard: title 최대 50자; description 단일형 title과 합쳐 400자, 케로셀 128자.
const textCard = (inCarousel: boolean) =>
  z
    .object({
      title: text(50).optional(),
      description: z.string().optional(),
      buttons,
      buttonLayout,
    })
    .superRefine((c, ctx) => {
      if (!c.title && !c.description) {
        ctx.addIssue({ code: "custom", path: [], message: "needs a title or a description" });
      }
      const [max, total] = inCarousel
        ? [128, len(c.description)]
        : [400, len(c.title) + len(c.description)];
      if (total > max) {
        ctx.addIssue({ code: "custom", path: ["description"], message: `longer than ${max}` });
      }
      checkButtons(c.buttons, c.buttonLayout === "horizontal", ctx);
    });

// ListItem: no documented character limits; the card limits (50 / 230) are assumed.
const listItem = z
  .object({
    title: label(50),
    description: text(230).optional(),
    imageUrl: url.optional(),
    link: link.optional(),
    action: z.enum(["block", "message"]).optional(),
    blockId: z.string().optional(),
    messageText: z.string().optional(),
    extra: extra.optional(),
  })
  .superRefine(requires({ block: "blockId", message: "messageText" }));

// ListCard: items 최대 5개 (케로셀형 최대 4개). Buttons: 2 unless laid out vertically (3).
const listCard = (inCarousel: boolean) =>
  z
    .object({
      header: z.object({ title: label(50) }),
      items: z
        .array(listItem)
        .min(1)
        .max(inCarousel ? 4 : 5),
      buttons,
      buttonLayout,
    })
    .superRefine((c, ctx) => checkButtons(c.buttons, c.buttonLayout !== "vertical", ctx));

// CommerceCard: title 최대 30자, description 최대 40자, price 필수, thumbnails 1개만.
const commerceCard = z
  .object({
    title: text(30).optional(),
    description: text(40).optional(),
    price: int,
    currency: z.literal("won").optional(),
    discount: int.optional(),
    discountRate: int.optional(),
    discountedPrice: int.optional(),
    thumbnails: z.array(thumbnail).length(1),
    profile: z.object({ nickname: z.string(), imageUrl: z.string().optional() }).optional(),
    buttons,
    buttonLayout,
  })
  .superRefine((c, ctx) => {
    if (c.discountRate !== undefined && c.discountedPrice === undefined) {
      ctx.addIssue({ code: "custom", path: ["discountedPrice"], message: "discountRate needs it" });
    }
    checkButtons(c.buttons, horizontal(c.buttonLayout, c.thumbnails[0]?.fixedRatio), ctx);
  });

// ItemCard: itemList 단일형 10개 / 케로셀형 5개, item title 최대 6자,
// title+description 단일형 200자 / 케로셀형 100자, description needs a title.
const itemCard = (inCarousel: boolean) =>
  z
    .looseObject({
      thumbnail: thumbnail.optional(),
      itemList: z
        .array(z.object({ title: text(6), description: z.string() }))
        .min(1)
        .max(inCarousel ? 5 : 10),
      title: z.string().optional(),
      description: z.string().optional(),
      buttons,
      buttonLayout,
    })
    .superRefine((c, ctx) => {
      const max = inCarousel ? 100 : 200;
      if (len(c.title) + len(c.description) > max) {
        ctx.addIssue({ code: "custom", path: ["description"], message: `longer than ${max}` });
      }
      if (c.description && !c.title) {
        ctx.addIssue({ code: "custom", path: ["title"], message: "required with a description" });
      }
      checkButtons(c.buttons, horizontal(c.buttonLayout, undefined), ctx);
    });

const carouselCards = {
  basicCard,
  textCard: textCard(true),
  listCard: listCard(true),
  commerceCard,
  itemCard: itemCard(true),
};
type CarouselType = keyof typeof carouselCards;

// Carousel: items 최대 10개 (ListCard 최대 5개); no header for TextCard and ListCard;
// all images of one carousel share one ratio.
const carousel = z
  .object({
    type: z.enum(Object.keys(carouselCards) as [CarouselType, ...CarouselType[]]),
    items: z.array(z.unknown()).min(1),
    header: z
      .object({ title: z.string().min(1), description: z.string().min(1), thumbnail })
      .optional(),
  })
  .superRefine((c, ctx) => {
    const max = c.type === "listCard" ? 5 : 10;
    if (c.items.length > max) {
      ctx.addIssue({ code: "custom", path: ["items"], message: `more than ${max} cards` });
    }
    if (c.header && (c.type === "textCard" || c.type === "listCard")) {
      ctx.addIssue({ code: "custom", path: ["header"], message: `not supported for ${c.type}` });
    }
    c.items.forEach((item, i) => {
      forward(carouselCards[c.type].safeParse(item), ["items", i], ctx);
    });
    checkRatios(c.items, ctx);
  });

function checkRatios(items: unknown[], ctx: Ctx) {
  const ratios = new Set(items.map(ratioOf));
  if (ratios.size > 1) {
    ctx.addIssue({ code: "custom", path: ["items"], message: "thumbnails mix 1:1 and 2:1" });
  }
}

function ratioOf(item: unknown): boolean {
  const card = item as { thumbnail?: { fixedRatio?: unknown }; thumbnails?: unknown[] };
  const thumb = card.thumbnail ?? (card.thumbnails?.[0] as { fixedRatio?: unknown } | undefined);
  return thumb?.fixedRatio === true;
}

function forward(result: z.ZodSafeParseResult<unknown>, at: PropertyKey[], ctx: Ctx) {
  if (result.success) return;
  for (const issue of result.error.issues) {
    ctx.addIssue({ code: "custom", path: [...at, ...issue.path], message: issue.message });
  }
}

// SimpleText: text 1000자. SimpleImage: imageUrl URL, altText 최대 50자.
const output = z
  .strictObject({
    simpleText: z.object({ text: label(1000) }).optional(),
    simpleImage: z.object({ imageUrl: url, altText: text(50).optional() }).optional(),
    basicCard: basicCard.optional(),
    textCard: textCard(false).optional(),
    listCard: listCard(false).optional(),
    commerceCard: commerceCard.optional(),
    itemCard: itemCard(false).optional(),
    carousel: carousel.optional(),
  })
  .refine((o) => Object.values(o).filter((v) => v !== undefined).length === 1, {
    message: "an output holds exactly one component",
  });

// QuickReplies: action 'message' 혹은 'block'; blockId 필수 for block. The label limit is not
// stated on the page; 14 (as for buttons) is assumed.
const quickReply = z
  .object({
    label: label(14),
    action: z.enum(["message", "block"]),
    messageText: z.string().optional(),
    blockId: z.string().optional(),
    extra: z.unknown().optional(),
  })
  .superRefine(requires({ block: "blockId", message: "messageText" }));

// ContextControl: values[{name, lifeSpan, ttl?, params?: Map<string, string>}].
const context = z.object({
  values: z.array(
    z.object({
      name: z.string().min(1),
      lifeSpan: int.min(0),
      ttl: int.min(0).optional(),
      params: z.record(z.string(), z.string()).optional(),
    }),
  ),
});

// SkillResponse: version "2.0" 필수; SkillTemplate outputs 1개 이상 3개 이하, quickReplies 10개 이하.
export const skillResponseSchema = z.object({
  version: z.literal("2.0"),
  template: z.object({
    outputs: z.array(output).min(1).max(3),
    quickReplies: z.array(quickReply).max(10).optional(),
  }),
  context: context.optional(),
  data: extra.optional(),
});

/** Every way `json` breaks Kakao's documented skill response 2.0 format; `[]` when valid. */
export function validateSkillResponse(json: unknown): string[] {
  const result = skillResponseSchema.safeParse(json);
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
}
