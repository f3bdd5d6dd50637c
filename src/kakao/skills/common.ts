import type { Deps } from "../../deps.ts";
import { sha256 } from "../../infra/ids.ts";
import { particle } from "../../infra/korean.ts";
import type { ChosenOption } from "../../ordering/menuLookup.ts";
import { defaultThumbnail } from "../../web/thumbnail.ts";
import { blocks } from "../blocks.ts";
import {
  type Extra,
  formatKrw,
  politeText,
  quickReply,
  type SkillDraft,
  type SkillResponse,
  skillResponse,
} from "../skill/response.ts";

/**
 * The picture of a card that has none (Kakao requires one on a basicCard): our own, served by this
 * app (src/web/thumbnail.ts), so it loads offline too. Skills write it under a stand-in origin;
 * the skill route puts PUBLIC_URL in its place (`publicThumbnailJson`), as Kakao needs an absolute
 * address. A card's own picture (a menu item's imageUrl) is kept as it is.
 */
const STAND_IN = "https://default-thumbnail.invalid";
const standInUrl = () => `${STAND_IN}${defaultThumbnail().path}`;

/** The default picture's absolute address under `publicUrl`. */
export const defaultThumbnailUrl = (publicUrl: string) =>
  `${publicUrl.replace(/\/+$/, "")}${defaultThumbnail().path}`;

export const answer = (draft: SkillDraft) =>
  skillResponse(draft, { defaultThumbnailUrl: standInUrl() });

/**
 * The answer as JSON text, with the default picture at PUBLIC_URL (whole JSON strings equal to
 * the stand-in, nothing else): serialized once.
 */
export function publicThumbnailJson(res: SkillResponse, publicUrl: string): string {
  const standIn = JSON.stringify(standInUrl());
  const text = JSON.stringify(res);
  if (!text.includes(standIn)) return text;
  return text.replaceAll(standIn, JSON.stringify(defaultThumbnailUrl(publicUrl)));
}

/** A business refusal (closed, sold out, empty cart…): a sentence and a way forward. */
export const polite = politeText;

export const go = {
  stores: (label = "가게 찾기") => quickReply.message(label, blocks.stores.utterance),
  menu: (storeId: string, label = "메뉴 보기") =>
    quickReply.message(label, blocks.menu.utterance, { storeId }),
  cart: (label = "장바구니 보기") => quickReply.message(label, blocks.cart.utterance),
  place: (extra?: Extra, label = "주문하기") =>
    quickReply.message(label, blocks.place.utterance, extra),
  orders: (label = "주문 내역") => quickReply.message(label, blocks.orders.utterance),
};

export const dayStateKo: Record<string, string> = {
  READY: "영업 준비 중",
  OPEN: "주문 가능",
  BREAK: "잠시 휴식 중",
  CLOSING: "마감 중",
};

/** The live day state of each store (one round trip). */
export async function storeStates(deps: Deps, storeIds: string[]) {
  if (storeIds.length === 0) return new Map<string, string | null>();
  if (storeIds.length === 1) {
    // One store (the menu, the cart): a plain HGET costs less than a pipeline of one.
    const id = storeIds[0]!;
    return new Map([[id, await deps.redis.hget(deps.keys.day(id), "state")]]);
  }
  const pipe = deps.redis.pipeline();
  for (const id of storeIds) pipe.hget(deps.keys.day(id), "state");
  const results = (await pipe.exec()) ?? [];
  return new Map(storeIds.map((id, i) => [id, (results[i]?.[1] as string | null) ?? null]));
}

export const stateText = (state: string | null | undefined) =>
  state ? (dayStateKo[state] ?? state) : "영업 전";

/** "잠시 휴식 중이라", "마감 중이라": the state with 이라/라 after its last syllable. */
export const stateBecause = (state: string | null | undefined) => {
  const text = stateText(state);
  return `${text}${particle(text, "이/가") === "이" ? "이라" : "라"}`;
};

/** Kakao gives no name: the counter sees a short, stable tag of the customer. */
export const customerName = (botUserKey: string) =>
  `손님 ${sha256(botUserKey).slice(0, 4).toUpperCase()}`;

export const optionText = (options: { choice: string }[]) =>
  options.map((o) => o.choice).join(" · ");

/** "• 카페라떼 (아이스 · 라지) × 2 — 11,000원": one line of a cart or an order sheet. */
export const lineText = (l: {
  name: string;
  qty: number;
  options: Pick<ChosenOption, "choice">[];
  amount: number;
}) => {
  const opts = optionText(l.options);
  return `• ${l.name}${opts ? ` (${opts})` : ""} × ${l.qty} — ${formatKrw(l.amount)}`;
};
