import type { Deps } from "../../deps.ts";
import { josa } from "../../infra/korean.ts";
import { readCart } from "../../ordering/cart.ts";
import { type CachedMenu, cachedMenu, menuVersionKey } from "../../store/menu/menuCache.ts";
import { blocks } from "../blocks.ts";
import type { SkillInput } from "../skill/request.ts";
import {
  type BasicCard,
  button,
  carousels,
  formatKrw,
  type SkillResponse,
  simpleText,
} from "../skill/response.ts";
import { answer, go, polite, stateText } from "./common.ts";

/**
 * A store's menu as carousels in the store's order (its categories as it set them, items within
 * them likewise), sold-out marked and not orderable.
 */
export async function menuSkill(deps: Deps, input: SkillInput) {
  const storeId =
    typeof input.clientExtra.storeId === "string"
      ? input.clientExtra.storeId
      : (await readCart(deps, input.botUserKey))?.storeId;
  if (!storeId) return noStore();
  // One round trip (auto-pipelined): the day state, and the menu version the copy must match.
  const [state, version] = await Promise.all([
    deps.redis.hget(deps.keys.day(storeId), "state"),
    deps.redis.get(menuVersionKey(deps, storeId)),
  ]);
  const menu = await cachedMenu(deps, storeId, version);
  if (!menu) return noStore();
  // The answer depends on the menu and the day state only: built once per state and menu copy.
  const key = `answer:${state ?? ""}`;
  let res = menu.derived.get(key) as SkillResponse | undefined;
  if (!res) {
    res = menuAnswer(menu, state);
    menu.derived.set(key, res);
  }
  return res;
}

const noStore = () => polite("어느 가게의 메뉴를 볼까요? 먼저 가게를 찾아 주세요.", [go.stores()]);

function menuAnswer({ store, items }: CachedMenu, state: string | null) {
  if (items.length === 0)
    return polite(`${store.name}에는 아직 메뉴가 없어요.`, [go.stores("다른 가게 찾기")]);
  const cards: BasicCard[] = items.map((item) => ({
    title: item.soldOut ? `[품절] ${item.name}` : item.name,
    description: [
      `${item.category} · ${formatKrw(item.price)}`,
      item.soldOut ? "오늘은 품절이에요." : item.description,
    ]
      .filter(Boolean)
      .join("\n"),
    thumbnail: item.imageUrl ? { imageUrl: item.imageUrl } : undefined,
    buttons: item.soldOut
      ? []
      : [button.message("담기", blocks.cartAdd.utterance, { itemId: item.id })],
  }));
  const now = stateText(state);
  const header =
    state === "OPEN"
      ? null
      : simpleText(
          `${josa(store.name, "은/는")} 지금 ${josa(now, "이에요/예요")}. 메뉴는 볼 수 있지만 주문은 영업 중에만 받아요.`,
        );
  return answer({
    outputs: [...(header ? [header] : []), ...carousels("basicCard", cards)],
    quickReplies: [go.cart(), go.stores("다른 가게 찾기"), go.orders()],
    more: go.menu(store.id, "메뉴 다시 보기"),
  });
}
