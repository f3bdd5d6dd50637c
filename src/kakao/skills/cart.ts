import { z } from "zod";
import type { Deps } from "../../deps.ts";
import { josa } from "../../infra/korean.ts";
import {
  addToCart,
  cartTotal,
  clearCart,
  lineAmount,
  MAX_QTY,
  readCart,
} from "../../ordering/cart.ts";
import { blockIdBack, blocks } from "../blocks.ts";
import type { SkillInput } from "../skill/request.ts";
import { button, formatKrw, LIMITS, quickReply, simpleText, textCard } from "../skill/response.ts";
import { answer, go, lineText, optionText, polite } from "./common.ts";

const addExtra = z.object({
  itemId: z.string().min(1).max(64),
  qty: z.coerce.number().int().min(1).max(MAX_QTY).default(1),
  options: z.record(z.string().max(30), z.string().max(30)).default({}),
  replace: z.boolean().optional(),
  /** optional groups the customer passed over ("그대로 담기"): not offered again */
  skip: z.array(z.string().max(30)).max(20).default([]),
});
type AddExtra = z.output<typeof addExtra>;

const AS_IT_IS = "그대로 담기";

/**
 * cart/add: asks missing required options, then offers optional ones (each once, with "그대로
 * 담기"), by quick replies that carry the choice back to this block and show it as the bubble.
 */
export async function cartAddSkill(deps: Deps, input: SkillInput) {
  const extra = addExtra.safeParse(input.clientExtra);
  if (!extra.success) {
    const badQty = extra.error.issues.some((i) => i.path[0] === "qty");
    return polite(
      badQty
        ? `수량은 1개부터 ${MAX_QTY}개까지 담을 수 있어요.`
        : "담을 메뉴를 찾지 못했어요. 메뉴에서 다시 골라 주세요.",
      [go.stores(), go.cart()],
    );
  }
  const { itemId, qty, options, replace, skip } = extra.data;
  const result = await addToCart(deps, input.botUserKey, {
    itemId,
    qty,
    options,
    replaceOtherStore: replace,
    offerOptional: { skipped: skip },
  });
  // Back to this very block, whatever the bubble says.
  const again = (label: string, next: Partial<AddExtra>) =>
    quickReply.block(label, blockIdBack("cartAdd", input.blockId), {
      itemId,
      qty,
      options,
      ...(replace ? { replace } : {}),
      ...(skip.length ? { skip } : {}),
      ...next,
    });
  switch (result.kind) {
    case "added": {
      const opts = optionText(result.line.options);
      return answer({
        outputs: [
          simpleText(
            `${result.line.name}${opts ? ` (${opts})` : ""} ${qty}개를 담았어요.\n장바구니 합계 ${formatKrw(cartTotal(result.cart))}`,
          ),
        ],
        quickReplies: [
          go.cart(),
          go.place({ cartVersion: result.cart.version }),
          go.menu(result.cart.storeId, "더 담기"),
        ],
      });
    }
    case "needs_option": {
      const { item, group } = result;
      const choices = group.choices.map((c) =>
        again(c.priceDelta ? `${c.name} +${formatKrw(c.priceDelta)}` : c.name, {
          options: { ...options, [group.name]: c.name },
        }),
      );
      if (group.required) {
        return answer({
          outputs: [simpleText(`${item.name}의 ${josa(group.name, "을/를")} 골라 주세요.`)],
          quickReplies: choices,
        });
      }
      return answer({
        outputs: [
          simpleText(
            `${item.name}에 ${josa(group.name, "을/를")} 추가할까요? 필요 없으면 '${AS_IT_IS}'를 눌러 주세요.`,
          ),
        ],
        quickReplies: [
          ...choices.slice(0, LIMITS.quickReplies - 1),
          again(AS_IT_IS, { skip: [...skip, group.name] }),
        ],
      });
    }
    case "other_store":
      return answer({
        outputs: [
          simpleText(
            `장바구니에 ${result.cart.storeName}의 메뉴가 담겨 있어요. 한 번에 한 가게만 주문할 수 있어요.\n장바구니를 비우고 ${josa(result.item.name, "을/를")} 담을까요?`,
          ),
        ],
        quickReplies: [again("비우고 담기", { replace: true }), go.cart("장바구니 그대로")],
      });
    default:
      return polite(refusalText(result.reason, result.detail), [go.cart(), go.stores()]);
  }
}

function refusalText(reason: string, detail?: string) {
  switch (reason) {
    case "sold_out":
      return `${josa(detail ?? "그 메뉴", "은/는")} 지금 품절이에요. 다른 메뉴를 골라 주세요.`;
    case "bad_option":
      return detail ?? "고를 수 없는 옵션이에요.";
    case "bad_qty":
      return `한 메뉴는 ${MAX_QTY}개까지 담을 수 있어요.`;
    case "too_many_lines":
      return "장바구니가 가득 찼어요. 먼저 주문하거나 비워 주세요.";
    default:
      return "그 메뉴를 찾지 못했어요. 메뉴에서 다시 골라 주세요.";
  }
}

/** cart: lines, total, and the way forward. */
export async function cartSkill(deps: Deps, input: SkillInput, note?: string) {
  const cart = await readCart(deps, input.botUserKey);
  if (!cart || cart.lines.length === 0) {
    return polite(
      `${note ? `${note}\n` : ""}장바구니가 비어 있어요. 가게를 찾아 메뉴를 담아 주세요.`,
      [go.stores(), go.orders()],
    );
  }
  const lines = cart.lines.map((l) => lineText({ ...l, amount: lineAmount(l) }));
  return answer({
    outputs: [
      simpleText(`${note ? `${note}\n\n` : ""}🛒 ${cart.storeName}\n${lines.join("\n")}`),
      textCard({
        title: `합계 ${formatKrw(cartTotal(cart))}`,
        description: "주문하기를 누르면 카카오페이 결제로 이어져요.",
        buttons: [
          button.message("주문하기", blocks.place.utterance, { cartVersion: cart.version }),
          button.message("장바구니 비우기", blocks.cartClear.utterance),
          button.message("더 담기", blocks.menu.utterance, { storeId: cart.storeId }),
        ],
      }),
    ],
    quickReplies: [
      go.place({ cartVersion: cart.version }),
      go.menu(cart.storeId, "더 담기"),
      go.orders(),
    ],
  });
}

export async function cartClearSkill(deps: Deps, input: SkillInput) {
  await clearCart(deps, input.botUserKey);
  return polite("장바구니를 비웠어요.", [go.stores(), go.orders()]);
}
