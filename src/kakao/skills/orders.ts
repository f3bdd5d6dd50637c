import { desc, eq, inArray } from "drizzle-orm";
import type { Deps } from "../../deps.ts";
import { josa } from "../../infra/korean.ts";
import { orderLines, type PendingOrder, type SheetLine } from "../../ordering/pendingOrder.ts";
import { placeOrder } from "../../ordering/placeOrder.ts";
import { blocks } from "../blocks.ts";
import type { SkillInput } from "../skill/request.ts";
import { basicCard, button, formatKrw, LIMITS, listCard, quickReply } from "../skill/response.ts";
import { cartSkill } from "./cart.ts";
import { answer, customerName, go, lineText, polite, stateBecause } from "./common.ts";

const cartVersionOf = (extra: Record<string, unknown>) => {
  const v = Number(extra.cartVersion);
  return Number.isInteger(v) && v > 0 ? v : undefined;
};

/** orders/place: the cart becomes a PENDING_PAYMENT order and a KakaoPay payment to open. */
export async function placeSkill(deps: Deps, input: SkillInput) {
  const result = await placeOrder(deps, {
    botUserKey: input.botUserKey,
    cartVersion: cartVersionOf(input.clientExtra),
    customerName: customerName(input.botUserKey),
  });
  switch (result.kind) {
    case "ready":
      return answer({
        outputs: [
          basicCard({
            title: `주문서 · ${formatKrw(result.order.totalAmount)}`,
            description: orderSheet(
              result.order,
              result.lines ?? (await orderLines(deps, result.order.id)),
            ),
            buttons: [
              button.webLink("카카오페이 결제", result.redirectUrl),
              button.message("주문 내역", blocks.orders.utterance),
            ],
          }),
        ],
        quickReplies: [go.orders()],
      });
    case "no_cart":
    case "empty":
      return polite("장바구니가 비어 있어요. 먼저 메뉴를 담아 주세요.", [go.stores()]);
    case "stale_cart":
      return cartSkill(
        deps,
        input,
        "장바구니가 그사이 바뀌었어요. 내용을 확인하고 다시 주문해 주세요.",
      );
    case "not_open":
      return polite(
        `지금은 가게가 ${stateBecause(result.state)} 주문을 받지 않아요. 영업 중일 때 다시 주문해 주세요.`,
        [go.cart(), go.stores("다른 가게 찾기")],
      );
    case "unavailable":
      return polite(
        `${josa(result.name, "은/는")} ${result.why === "sold_out" ? "지금 품절이에요" : "메뉴가 바뀌었어요"}. 장바구니를 비우고 다시 담아 주세요.`,
        [quickReplyClear(), go.cart()],
      );
    case "payment_unavailable":
      return polite(
        result.declined
          ? "카카오페이가 결제를 시작하지 않았어요. 잠시 후 다시 주문해 주세요. 결제된 금액은 없어요."
          : "카카오페이에 연결하지 못했어요. 잠시 후 다시 주문해 주세요. 결제된 금액은 없어요.",
        [go.place(), go.cart()],
      );
    default:
      return polite("주문을 만들고 있어요. 잠시 후 다시 눌러 주세요.", [go.place()]);
  }
}

const PAY_HINT = "카카오페이로 결제하면 가게에 바로 주문이 들어가요.";

/**
 * The order sheet: every line with its options, quantity and amount, and the total. Lines that do
 * not fit the card (230 characters) are counted as "외 N건".
 */
function orderSheet(order: PendingOrder, sheetLines: SheetLine[]) {
  const lines = sheetLines.map(lineText);
  const foot = [`합계 ${formatKrw(order.totalAmount)}`, PAY_HINT];
  const room = (kept: number) => {
    const more = lines.length - kept;
    const tail = more > 0 ? [`외 ${more}건`] : [];
    return [...lines.slice(0, kept), ...tail, ...foot].join("\n");
  };
  let kept = lines.length;
  while (kept > 0 && Array.from(room(kept)).length > LIMITS.cardDescription) kept--;
  return room(kept);
}

const quickReplyClear = () => quickReply.message("장바구니 비우기", blocks.cartClear.utterance);

const statusKo: Record<string, string> = {
  PENDING_PAYMENT: "결제 대기",
  PAID: "주문 접수",
  ACCEPTED: "준비 중",
  READY: "픽업 가능",
  PICKED_UP: "픽업 완료",
  PAYMENT_FAILED: "결제 실패",
  EXPIRED: "만료",
  CANCELING: "취소 중",
  CANCELED: "취소됨",
};

/** orders: the customer's recent orders with state and pickup number. */
export async function ordersSkill(deps: Deps, input: SkillInput) {
  const { orders, stores } = deps.db.t;
  const recent = await deps.db
    .select()
    .from(orders)
    .where(eq(orders.botUserKey, input.botUserKey))
    .orderBy(desc(orders.createdAt))
    .limit(5);
  if (recent.length === 0) return polite("아직 주문한 내역이 없어요.", [go.stores()]);
  const storeRows = await deps.db
    .select({ id: stores.id, name: stores.name })
    .from(stores)
    .where(inArray(stores.id, [...new Set(recent.map((o) => o.storeId))]));
  const names = new Map(storeRows.map((s) => [s.id, s.name]));
  return answer({
    outputs: [
      listCard({
        header: { title: "최근 주문" },
        items: recent.map((o) => ({
          title: `${o.pickupNumber ? `#${o.pickupNumber} ` : ""}${o.itemSummary}`,
          description: `${statusKo[o.status] ?? o.status} · ${formatKrw(o.totalAmount)} · ${names.get(o.storeId) ?? ""}`,
        })),
      }),
    ],
    quickReplies: [go.stores(), go.cart()],
  });
}
