import { z } from "zod";
import type { Deps } from "../../deps.ts";
import {
  addToCart,
  cartTotal,
  clearCart,
  lineAmount,
  MAX_QTY,
  readCart,
} from "../../ordering/cart.ts";
import { blocks } from "../blocks.ts";
import type { SkillInput } from "../skill/request.ts";
import { button, formatKrw, quickReply, simpleText, textCard } from "../skill/response.ts";
import { answer, go, optionText, polite } from "./common.ts";

const addExtra = z.object({
  itemId: z.string().min(1).max(64),
  qty: z.coerce.number().int().min(1).max(MAX_QTY).default(1),
  options: z.record(z.string().max(30), z.string().max(30)).default({}),
  replace: z.boolean().optional(),
});

/** cart/add: asks for missing required options by quick replies that carry the choice back. */
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
  const { itemId, qty, options, replace } = extra.data;
  const result = await addToCart(deps, input.botUserKey, {
    itemId,
    qty,
    options,
    replaceOtherStore: replace,
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
    case "needs_option":
      return answer({
        outputs: [simpleText(`${result.item.name}의 ${result.group.name}을(를) 골라 주세요.`)],
        quickReplies: result.group.choices.map((c) =>
          quickReply.message(
            c.priceDelta ? `${c.name} +${formatKrw(c.priceDelta)}` : c.name,
            blocks.cartAdd.utterance,
            {
              itemId,
              qty,
              options: { ...options, [result.group.name]: c.name },
              ...(replace ? { replace } : {}),
            },
          ),
        ),
      });
    case "other_store":
      return answer({
        outputs: [
          simpleText(
            `장바구니에 ${result.cart.storeName}의 메뉴가 담겨 있어요. 한 번에 한 가게만 주문할 수 있어요.\n장바구니를 비우고 ${result.item.name}을(를) 담을까요?`,
          ),
        ],
        quickReplies: [
          quickReply.message("비우고 담기", blocks.cartAdd.utterance, {
            itemId,
            qty,
            options,
            replace: true,
          }),
          go.cart("장바구니 그대로"),
        ],
      });
    default:
      return polite(refusalText(result.reason, result.detail), [go.cart(), go.stores()]);
  }
}

function refusalText(reason: string, detail?: string) {
  switch (reason) {
    case "sold_out":
      return `${detail ?? "그 메뉴"}은(는) 지금 품절이에요. 다른 메뉴를 골라 주세요.`;
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
  const lines = cart.lines.map((l) => {
    const opts = optionText(l.options);
    return `• ${l.name}${opts ? ` (${opts})` : ""} × ${l.qty} — ${formatKrw(lineAmount(l))}`;
  });
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
