import type { Deps } from "../../deps.ts";
import type { Db } from "../../infra/db.ts";
import { josa } from "../../infra/korean.ts";
import {
  nearestStores,
  type Place,
  type StoreHit,
  someStores,
  storesByName,
} from "../../store/storeSearch.ts";
import { blocks } from "../blocks.ts";
import type { SkillInput } from "../skill/request.ts";
import { basicCard, button, carousel } from "../skill/response.ts";
import { answer, go, polite, stateText, storeStates } from "./common.ts";
import { customerPlace } from "./where.ts";

/**
 * Stores by name, or nearest first when the customer's place is known, with their state. A place
 * means "nearest first" whatever the words; words that only ask for shops nearby ("내 주변 매장",
 * "근처 카페") are not a name — unless some store's name matches them.
 */
export async function storesSkill(deps: Deps, input: SkillInput) {
  const near = customerPlace(input);
  const typed =
    input.params.query ?? (input.utterance === blocks.stores.utterance ? "" : input.utterance);
  const query = typed.trim().slice(0, 30);
  const found = await findStores(deps.db, query, near);
  if (found.length === 0) {
    return polite(
      query
        ? `${josa(`'${query}'`, "으로/로")} 찾은 가게가 없어요. 가게 이름을 다시 입력해 주세요.`
        : "아직 등록된 가게가 없어요.",
      [go.stores("다시 찾기"), go.orders()],
    );
  }
  const states = await storeStates(
    deps,
    found.map((s) => s.id),
  );
  const cards = found.map((s) =>
    basicCard({
      title: s.name,
      description: [
        stateText(states.get(s.id)),
        s.distance !== null ? formatDistance(s.distance) : null,
      ]
        .filter(Boolean)
        .join(" · "),
      buttons: [button.message("메뉴 보기", blocks.menu.utterance, { storeId: s.id })],
    }),
  );
  return answer({
    outputs: [
      carousel(
        "basicCard",
        cards.map((c) => ("basicCard" in c ? c.basicCard : {})),
      ),
    ],
    quickReplies: [go.cart(), go.orders()],
  });
}

/**
 * The words as a name first (as typed, then without the "nearby" words); when they name no store
 * and were only "nearby" words, the nearest stores (or a few, without a place).
 */
export async function findStores(db: Db, query: string, near: Place | null): Promise<StoreHit[]> {
  const core = withoutNearbyWords(query);
  for (const name of new Set([query, core])) {
    if (!name) continue;
    const hits = await storesByName(db, name, near);
    if (hits.length > 0) return hits;
  }
  if (core) return [];
  return near ? nearestStores(db, near) : someStores(db);
}

/**
 * Words that ask for shops nearby rather than name one ("내 주변 매장", "근처 카페 찾아줘",
 * "가까운가게"): a word made only of these pieces (and a particle) is dropped.
 */
const NEARBY_PIECES = [
  ...["내", "나", "제", "저", "우리", "여기", "이곳", "이", "곳", "동네", "지금"],
  ...["주변", "주위", "근처", "근방", "인근", "가까운", "가까이", "가장", "제일", "젤"],
  ...["매장", "가게", "상점", "점포", "카페", "커피숍", "식당", "집", "들"],
  ...["찾기", "찾아", "찾아줘", "찾아주세요", "찾을래", "찾고", "싶어", "검색", "목록", "리스트"],
  ...["보기", "보여줘", "보여주세요", "알려줘", "알려주세요", "어디", "어디야", "있어", "있나요"],
  ...["있는", "좀", "전체", "모든", "모두", "주문", "하기", "할래", "요"],
  ...["에", "의", "을", "를", "은", "는", "가", "서", "에서"],
];
const NEARBY = new Set(NEARBY_PIECES);
const LONGEST = Math.max(...NEARBY_PIECES.map((p) => p.length));

/** The query without its "nearby" words: "" when it had nothing else. */
export function withoutNearbyWords(query: string): string {
  return query
    .split(/[\s,.!?~·]+/)
    .filter((word) => word && !madeOfNearbyPieces(word))
    .join(" ");
}

/** Whether `word` splits wholly into NEARBY pieces ("가까운가게" = 가까운 + 가게). */
function madeOfNearbyPieces(word: string): boolean {
  const ok = [true, ...Array<boolean>(word.length).fill(false)];
  for (let end = 1; end <= word.length; end++) {
    for (let len = 1; len <= Math.min(LONGEST, end) && !ok[end]; len++) {
      ok[end] = ok[end - len]! && NEARBY.has(word.slice(end - len, end));
    }
  }
  return ok[word.length]!;
}

const formatDistance = (m: number) =>
  m < 1000 ? `${Math.round(m)}m` : `${(m / 1000).toFixed(1)}km`;
