// A typed builder for Kakao i Open Builder skill responses 2.0 that never produces an invalid
// one. The component helpers only shape drafts; `skillResponse` fits everything to Kakao's limits
// (hand-made outputs too): it shortens strings with "…", cuts extra buttons and quick replies,
// splits long texts and big carousels into several outputs, keeps at most 3 outputs and then
// offers a "더 보기" quick reply.
// Limits: Kakao's "응답 타입별 JSON 포맷" page (kakaobusiness.gitbook.io/main/tool/chatbot/
// skill_guide/answer_json_format). Characters are code points: a Korean syllable counts one.

export { validateSkillResponse } from "./validate.ts";

export const LIMITS = {
  outputs: 3, // SkillTemplate: outputs 1개 이상 3개 이하
  quickReplies: 10, // SkillTemplate: quickReplies 10개 이하
  text: 1000, // SimpleText: 1000자
  altText: 50, // SimpleImage / Thumbnail: altText 최대 50자
  cardTitle: 50, // BasicCard, TextCard: title 최대 50자
  cardDescription: 230, // BasicCard: description 최대 230자
  textCardText: 400, // TextCard 단일형: title과 description을 합쳐 최대 400자
  carouselTextCardDescription: 128, // TextCard 케로셀: description 최대 128자
  commerceTitle: 30, // CommerceCard: title 최대 30자
  commerceDescription: 40, // CommerceCard: description 최대 40자
  listTitle: 50, // ListItem: no documented limit; the card title limit is assumed
  listDescription: 230, // ListItem: no documented limit; the card description limit is assumed
  listItems: 5, // ListCard: items 최대 5개
  carouselListItems: 4, // ListCard 케로셀형: 최대 4개
  listButtons: 2, // ListCard: 2 side by side (3 only with buttonLayout "vertical")
  label: 14, // Button: 버튼 14자
  pairLabel: 8, // Button: 가로배열 2개 8자
  quickReplyLabel: 14, // QuickReplies: not stated on the page; the button limit is assumed
  carouselCards: 10, // Carousel: items 최대 10개
  carouselListCards: 5, // Carousel: ListCard는 최대 5개
} as const;

export type Extra = Record<string, unknown>;
export type ButtonLayout = "vertical" | "horizontal";
export interface Link {
  web?: string;
  pc?: string;
  mobile?: string;
}
export interface Thumbnail {
  imageUrl: string;
  altText?: string;
  link?: Link;
  fixedRatio?: boolean;
}

export type Button =
  | { label: string; action: "webLink"; webLinkUrl: string }
  | { label: string; action: "message"; messageText: string; extra?: Extra }
  | { label: string; action: "block"; blockId: string; messageText?: string; extra?: Extra }
  | { label: string; action: "phone"; phoneNumber: string }
  | { label: string; action: "share" };

export type QuickReply =
  | { label: string; action: "message"; messageText: string; extra?: Extra }
  | { label: string; action: "block"; blockId: string; messageText?: string; extra?: Extra };

interface Buttons {
  buttons?: Button[];
  buttonLayout?: ButtonLayout;
}
/** `thumbnail` may be left out: `skillResponse` puts the default one in. */
export interface BasicCard extends Buttons {
  title?: string;
  description?: string;
  thumbnail?: Thumbnail;
}
export interface TextCard extends Buttons {
  title?: string;
  description?: string;
}
export type ListItem = { title: string; description?: string; imageUrl?: string; link?: Link } & (
  | { action?: undefined }
  | { action: "message"; messageText: string; extra?: Extra }
  | { action: "block"; blockId: string; messageText?: string; extra?: Extra }
);
export interface ListCard extends Buttons {
  header: { title: string };
  items: ListItem[];
}
/** Prices are integer KRW; `thumbnails` holds one image (or none: the default is used). */
export interface CommerceCard extends Buttons {
  title?: string;
  description?: string;
  price: number;
  currency?: "won";
  discount?: number;
  discountRate?: number;
  discountedPrice?: number;
  thumbnails?: Thumbnail[];
  profile?: { nickname: string; imageUrl?: string };
}

export interface CarouselCards {
  basicCard: BasicCard;
  textCard: TextCard;
  listCard: ListCard;
  commerceCard: CommerceCard;
}
export type CarouselType = keyof CarouselCards;
export interface CarouselHeader {
  title: string;
  description: string;
  thumbnail: { imageUrl: string };
}
export type Carousel = {
  [K in CarouselType]: { type: K; items: CarouselCards[K][]; header?: CarouselHeader };
}[CarouselType];

export type Output =
  | { simpleText: { text: string } }
  | { simpleImage: { imageUrl: string; altText?: string } }
  | { basicCard: BasicCard }
  | { textCard: TextCard }
  | { listCard: ListCard }
  | { commerceCard: CommerceCard }
  | { carousel: Carousel };

export interface ContextValue {
  name: string;
  lifeSpan: number;
  ttl?: number;
  params?: Record<string, string>;
}

export interface SkillResponse {
  version: "2.0";
  template: { outputs: Output[]; quickReplies?: QuickReply[] };
  context?: { values: ContextValue[] };
  data?: Record<string, unknown>;
}

export interface SkillDraft {
  /** Any number of outputs (arrays are flattened); only 3 are kept after splitting. */
  outputs: Array<Output | Output[]>;
  quickReplies?: QuickReply[];
  context?: ContextValue[];
  data?: Record<string, unknown>;
  /** Offered first among the quick replies when outputs had to be left out. */
  more?: QuickReply;
}

export interface SkillOptions {
  /** Thumbnail for cards that need one (basicCard, commerceCard) and have none. */
  defaultThumbnailUrl?: string;
}

// ---------- component helpers (drafts; skillResponse fits them) ----------

export const simpleText = (text: string): Output => ({ simpleText: { text } });
export const simpleImage = (imageUrl: string, altText?: string): Output => ({
  simpleImage: compact({ imageUrl, altText }),
});
export const basicCard = (card: BasicCard): Output => ({ basicCard: card });
export const textCard = (card: TextCard): Output => ({ textCard: card });
export const listCard = (card: ListCard): Output => ({ listCard: card });
export const commerceCard = (card: CommerceCard): Output => ({ commerceCard: card });

export function carousel<K extends CarouselType>(
  type: K,
  items: CarouselCards[K][],
  header?: CarouselHeader,
): Output {
  return { carousel: { type, items, ...(header ? { header } : {}) } as Carousel };
}

/** One carousel per 10 cards (5 for listCard); the header goes on the first. */
export function carousels<K extends CarouselType>(
  type: K,
  items: CarouselCards[K][],
  header?: CarouselHeader,
): Output[] {
  const size = type === "listCard" ? LIMITS.carouselListCards : LIMITS.carouselCards;
  return chunk(items, size).map((group, i) => carousel(type, group, i === 0 ? header : undefined));
}

export const button = {
  webLink: (label: string, webLinkUrl: string): Button => ({
    label,
    action: "webLink",
    webLinkUrl,
  }),
  message: (label: string, messageText: string, extra?: Extra): Button =>
    compact({ label, action: "message", messageText, extra }),
  block: (label: string, blockId: string, extra?: Extra): Button =>
    compact({ label, action: "block", blockId, messageText: label, extra }),
  phone: (label: string, phoneNumber: string): Button => ({ label, action: "phone", phoneNumber }),
  share: (label: string): Button => ({ label, action: "share" }),
};

export const quickReply = {
  message: (label: string, messageText: string, extra?: Extra): QuickReply =>
    compact({ label, action: "message", messageText, extra }),
  block: (label: string, blockId: string, extra?: Extra): QuickReply =>
    compact({ label, action: "block", blockId, messageText: label, extra }),
};

const MORE = quickReply.message("더 보기", "더 보기");
const NOTHING_TO_SHOW = "보여드릴 내용이 없어요.";

// ---------- the response ----------

export function skillResponse(draft: SkillDraft, options: SkillOptions = {}): SkillResponse {
  const { outputs, overflow } = layOut(draft.outputs.flat(), options);
  const more = overflow ? (draft.more ?? MORE) : undefined;
  return compact({
    version: "2.0" as const,
    template: compact({ outputs, quickReplies: fitQuickReplies(draft.quickReplies ?? [], more) }),
    context: fitContext(draft.context ?? []),
    data: draft.data,
  });
}

/** A polite chat answer (closed, sold out, empty cart…) with quick replies as the way forward. */
export function politeText(text: string, quickReplies?: QuickReply[]): SkillResponse {
  return skillResponse({ outputs: [simpleText(text)], quickReplies });
}

/** 4500 → "4,500원" (rounded to whole won). */
export function formatKrw(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not an amount: ${n}`);
  return `${Math.round(n).toLocaleString("ko-KR")}원`;
}

function layOut(drafts: Output[], options: SkillOptions) {
  const all = drafts.flatMap((d) => expand(d, options));
  if (all.length === 0) return { outputs: [simpleText(NOTHING_TO_SHOW)], overflow: false };
  if (all.length <= LIMITS.outputs) return { outputs: all, overflow: false };
  const kept = all.slice(0, LIMITS.outputs);
  return { outputs: kept.map((o, i) => (i === kept.length - 1 ? markCut(o) : o)), overflow: true };
}

function markCut(o: Output): Output {
  if (!("simpleText" in o)) return o;
  return simpleText(clip(`${o.simpleText.text}…`, LIMITS.text));
}

function expand(o: Output, options: SkillOptions): Output[] {
  if ("simpleText" in o) return splitText(o.simpleText.text).filter(notBlank).map(simpleText);
  if ("simpleImage" in o) return fitSimpleImage(o.simpleImage);
  if ("carousel" in o) return expandCarousel(o.carousel, options);
  const draft = asCard(o);
  const card = draft && fitCard(draft, { inCarousel: false, ...options });
  return card ? [toOutput(card)] : [];
}

function fitSimpleImage(image: { imageUrl: string; altText?: string }): Output[] {
  if (!isHttpUrl(image.imageUrl)) return [];
  return [simpleImage(image.imageUrl, clipOpt(image.altText, LIMITS.altText))];
}

// ---------- cards ----------

type Card = { [K in CarouselType]: { type: K; body: CarouselCards[K] } }[CarouselType];
interface FitContext extends SkillOptions {
  inCarousel: boolean;
  /** One ratio for every thumbnail of a carousel ("모든 이미지를 동일 크기로"). */
  fixedRatio?: boolean;
}

const CARD_TYPES: CarouselType[] = ["basicCard", "textCard", "listCard", "commerceCard"];

function asCard(o: Output): Card | undefined {
  const type = CARD_TYPES.find((t) => t in o);
  return type && ({ type, body: (o as Record<string, unknown>)[type] } as Card);
}

const toOutput = (card: Card) => ({ [card.type]: card.body }) as Output;

function fitCard(card: Card, ctx: FitContext): Card | undefined {
  switch (card.type) {
    case "basicCard":
      return fitBasicCard(card.body, ctx);
    case "textCard":
      return fitTextCard(card.body, ctx);
    case "listCard":
      return fitListCard(card.body, ctx);
    case "commerceCard":
      return fitCommerceCard(card.body, ctx);
  }
}

/** Without any thumbnail (none given, no default) a basicCard is shown as a textCard. */
function fitBasicCard(c: BasicCard, ctx: FitContext): Card | undefined {
  const thumbnail = fitThumbnail(c.thumbnail, ctx);
  if (!thumbnail) return fitTextCard(asTextCard({ type: "basicCard", body: c }), ctx);
  const body: BasicCard = {
    title: clipOpt(c.title, LIMITS.cardTitle),
    description: clipOpt(c.description, LIMITS.cardDescription),
    thumbnail,
    buttons: fitButtons(c.buttons, isHorizontal(c.buttonLayout, thumbnail.fixedRatio)),
    buttonLayout: c.buttonLayout,
  };
  return { type: "basicCard", body: compact(body) };
}

function fitTextCard(c: TextCard, ctx: FitContext): Card | undefined {
  const title = clipOpt(c.title, LIMITS.cardTitle);
  const room = ctx.inCarousel
    ? LIMITS.carouselTextCardDescription
    : LIMITS.textCardText - cps(title ?? "").length;
  const description = clipOpt(c.description, room);
  if (!title && !description) return undefined;
  const buttons = fitButtons(c.buttons, c.buttonLayout === "horizontal");
  return {
    type: "textCard",
    body: compact({ title, description, buttons, buttonLayout: c.buttonLayout }),
  };
}

function fitListCard(c: ListCard, ctx: FitContext): Card | undefined {
  const max = ctx.inCarousel ? LIMITS.carouselListItems : LIMITS.listItems;
  const items = c.items.filter((i) => notBlank(i.title)).slice(0, max);
  if (!notBlank(c.header.title) || items.length === 0) return undefined;
  const buttonMax = c.buttonLayout === "vertical" ? 3 : LIMITS.listButtons;
  const body: ListCard = {
    header: { title: clip(c.header.title, LIMITS.listTitle) },
    items: items.map(fitListItem),
    buttons: fitButtons(c.buttons, c.buttonLayout === "horizontal", buttonMax),
    buttonLayout: c.buttonLayout,
  };
  return { type: "listCard", body: compact(body) };
}

function fitListItem(item: ListItem): ListItem {
  return compact({
    ...item,
    title: clip(item.title, LIMITS.listTitle),
    description: clipOpt(item.description, LIMITS.listDescription),
    imageUrl: isHttpUrl(item.imageUrl) ? item.imageUrl : undefined,
  });
}

function fitCommerceCard(c: CommerceCard, ctx: FitContext): Card | undefined {
  const thumbnail = fitThumbnail(c.thumbnails?.[0], ctx);
  if (!thumbnail) return fitTextCard(asTextCard({ type: "commerceCard", body: c }), ctx);
  const body: CommerceCard = {
    title: clipOpt(c.title, LIMITS.commerceTitle),
    description: clipOpt(c.description, LIMITS.commerceDescription),
    price: Math.round(c.price),
    currency: "won",
    discount: roundOpt(c.discount),
    // "discountedPrice … discountRate을 쓰는 경우 필수"
    discountRate: c.discountedPrice === undefined ? undefined : roundOpt(c.discountRate),
    discountedPrice: roundOpt(c.discountedPrice),
    thumbnails: [thumbnail],
    profile: c.profile?.nickname ? c.profile : undefined,
    buttons: fitButtons(c.buttons, isHorizontal(c.buttonLayout, thumbnail.fixedRatio)),
    buttonLayout: c.buttonLayout,
  };
  return { type: "commerceCard", body: compact(body) };
}

/** The text of any card, for a textCard stand-in. */
function asTextCard(card: Card): TextCard {
  if (card.type === "listCard") {
    const lines = card.body.items.map((i) => i.title);
    return { title: card.body.header.title, description: lines.join("\n") };
  }
  const { title, description, buttons, buttonLayout } = card.body;
  const price = card.type === "commerceCard" ? formatKrw(priceOf(card.body)) : undefined;
  const text = [description, price].filter(notBlank).join("\n");
  return { title, description: text || undefined, buttons, buttonLayout };
}

const priceOf = (c: CommerceCard) => c.discountedPrice ?? c.price - (c.discount ?? 0);

function fitThumbnail(t: Thumbnail | undefined, ctx: FitContext): Thumbnail | undefined {
  const own = isHttpUrl(t?.imageUrl) ? t : undefined;
  const imageUrl = own?.imageUrl ?? ctx.defaultThumbnailUrl;
  if (!isHttpUrl(imageUrl)) return undefined;
  const fixedRatio = ctx.fixedRatio ?? t?.fixedRatio;
  return compact({
    imageUrl,
    altText: clipOpt(t?.altText, LIMITS.altText),
    link: own?.link,
    fixedRatio: fixedRatio || undefined,
  });
}

/** buttonLayout wins over fixedRatio; a 1:1 (fixedRatio) thumbnail lays buttons out in a row. */
const isHorizontal = (layout: ButtonLayout | undefined, fixedRatio: boolean | undefined) =>
  layout ? layout === "horizontal" : fixedRatio === true;

function fitButtons(
  buttons: Button[] | undefined,
  horizontal: boolean,
  max = horizontal ? 2 : 3,
): Button[] | undefined {
  const kept = (buttons ?? []).filter(usableButton).slice(0, max);
  if (kept.length === 0) return undefined;
  const labelMax = horizontal && kept.length >= 2 ? LIMITS.pairLabel : LIMITS.label;
  return kept.map((b) => ({ ...b, label: clip(b.label, labelMax) }));
}

const usableButton = (b: Button) =>
  notBlank(b.label) && (b.action !== "webLink" || isHttpUrl(b.webLinkUrl));

// ---------- carousels ----------

function expandCarousel(c: Carousel, options: SkillOptions): Output[] {
  const cards = fitCarouselCards(
    c.items.map((body) => ({ type: c.type, body }) as Card),
    options,
  );
  const type = cards[0]?.type;
  const header = type === "basicCard" || type === "commerceCard" ? fitHeader(c.header) : undefined;
  const size = type === "listCard" ? LIMITS.carouselListCards : LIMITS.carouselCards;
  return chunk(cards, size).map((group, i) => {
    const items = group.map((card) => card.body);
    const carousel = compact({ type, items, header: i === 0 ? header : undefined }) as Carousel;
    return { carousel };
  });
}

/** A carousel holds one card type: if one card had to become a textCard, all do. */
function fitCarouselCards(cards: Card[], options: SkillOptions): Card[] {
  const ctx: FitContext = { ...options, inCarousel: true, fixedRatio: firstRatio(cards) };
  const fitted = cards.map((card) => fitCard(card, ctx)).filter(isDefined);
  if (fitted.every((card) => card.type === fitted[0]?.type)) return fitted;
  return cards.map((card) => fitTextCard(asTextCard(card), ctx)).filter(isDefined);
}

function firstRatio(cards: Card[]): boolean {
  const first = cards[0];
  if (first?.type === "basicCard") return first.body.thumbnail?.fixedRatio === true;
  if (first?.type === "commerceCard") return first.body.thumbnails?.[0]?.fixedRatio === true;
  return false;
}

function fitHeader(h: CarouselHeader | undefined): CarouselHeader | undefined {
  if (!h || !notBlank(h.title) || !notBlank(h.description)) return undefined;
  if (!isHttpUrl(h.thumbnail?.imageUrl)) return undefined;
  return {
    title: h.title,
    description: h.description,
    thumbnail: { imageUrl: h.thumbnail.imageUrl },
  };
}

// ---------- quick replies and context ----------

function fitQuickReplies(list: QuickReply[], more?: QuickReply): QuickReply[] | undefined {
  const all = (more ? [more, ...list] : list).filter((q) => notBlank(q.label));
  const kept = all.slice(0, LIMITS.quickReplies).map((q) => ({
    ...q,
    label: clip(q.label, LIMITS.quickReplyLabel),
    messageText: q.messageText || q.label,
  }));
  return kept.length ? kept : undefined;
}

function fitContext(values: ContextValue[]): SkillResponse["context"] {
  const named = values.filter((v) => notBlank(v.name));
  return named.length ? { values: named.map(fitContextValue) } : undefined;
}

function fitContextValue(v: ContextValue): ContextValue {
  const whole = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.trunc(n)) : 0);
  return compact({
    name: v.name,
    lifeSpan: whole(v.lifeSpan),
    ttl: v.ttl === undefined ? undefined : whole(v.ttl),
    params: v.params,
  });
}

// ---------- text ----------

const cps = (s: string) => Array.from(s);
const notBlank = (s: string | undefined): s is string => !!s && s.trim() !== "";

/** Shortens to `max` characters, the last being "…". */
export function clip(text: string, max: number): string {
  const chars = cps(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

function clipOpt(text: string | undefined, max: number): string | undefined {
  return notBlank(text) ? clip(text, max) : undefined;
}

/** Pieces of at most `max` characters that join back to `text`, broken at a line end or a space where one is near. */
export function splitText(text: string, max: number = LIMITS.text): string[] {
  const chars = cps(text);
  const parts: string[] = [];
  for (let start = 0; start < chars.length; ) {
    const end = breakAt(chars, start, Math.min(start + max, chars.length));
    parts.push(chars.slice(start, end).join(""));
    start = end;
  }
  return parts;
}

function breakAt(chars: string[], start: number, end: number): number {
  if (end >= chars.length) return end;
  const earliest = start + Math.floor((end - start) / 2);
  for (const sep of ["\n", " "]) {
    const at = chars.lastIndexOf(sep, end - 1);
    if (at >= earliest) return at + 1;
  }
  return end;
}

// ---------- small utilities ----------

function isHttpUrl(s: string | undefined): s is string {
  return !!s && /^https?:\/\//i.test(s) && URL.canParse(s);
}

const roundOpt = (n: number | undefined) => (n === undefined ? undefined : Math.round(n));
const isDefined = <T>(v: T | undefined): v is T => v !== undefined;

function chunk<T>(items: T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

/** Drops undefined fields, so the JSON carries only what is set. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
