import type { Deps } from "../../deps.ts";
import { josa } from "../../infra/korean.ts";
import { readCart } from "../../ordering/cart.ts";
import { findStore } from "../../store/admin.ts";
import { listMenu } from "../../store/menu/menu.ts";
import { blocks } from "../blocks.ts";
import type { SkillInput } from "../skill/request.ts";
import { type BasicCard, button, carousels, formatKrw, simpleText } from "../skill/response.ts";
import { answer, go, polite, stateText, storeStates } from "./common.ts";

/**
 * A store's menu as carousels in the store's order (its categories as it set them, items within
 * them likewise), sold-out marked and not orderable.
 */
export async function menuSkill(deps: Deps, input: SkillInput) {
  const storeId =
    typeof input.clientExtra.storeId === "string"
      ? input.clientExtra.storeId
      : (await readCart(deps, input.botUserKey))?.storeId;
  const store = storeId ? await findStore(deps.db, storeId) : undefined;
  if (!store) return polite("어느 가게의 메뉴를 볼까요? 먼저 가게를 찾아 주세요.", [go.stores()]);
  const items = await listMenu(deps.db, store.id);
  if (items.length === 0)
    return polite(`${store.name}에는 아직 메뉴가 없어요.`, [go.stores("다른 가게 찾기")]);

  const state = (await storeStates(deps, [store.id])).get(store.id);
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
