import { storePageIds as ids } from "../../shared/storePageIds.ts";
import type { Api, ApiLib } from "./api.ts";
import type { Board, BoardOrder } from "./boardLib.ts";
import type { BoardView } from "./boardView.ts";
import type { CommonLib, FocusReturn, Json, Toast } from "./common.ts";

/**
 * What the owner does to an order: a card's main button (접수, 준비 완료, 픽업 완료) and the cancel
 * dialog (a reason, then the refund).
 */
export function ordersLib(c: CommonLib, apiLib: ApiLib) {
  /** How a message names the order: "7번", or "이" (이 주문) before it has a number. */
  const pickupName = (o: BoardOrder | undefined) =>
    o?.pickupNumber === null || o?.pickupNumber === undefined ? "이" : `${o.pickupNumber}번`;

  /** The cancel dialog's one-line summary of `o`. */
  function cancelSummary(o: BoardOrder) {
    return [
      o.items.map((l) => `${l.name} ×${l.qty}`).join(", "),
      o.totalAmount === null ? "" : c.won(o.totalAmount),
      o.customerName,
    ]
      .filter(Boolean)
      .join(" · ");
  }

  type OrdersDeps = {
    api: Api;
    board: Board;
    view: BoardView;
    toast: Toast;
    focus: FocusReturn;
    onExpired: () => void;
    /** the board changed: save it soon */
    scheduleSave: () => void;
    /** GET /store/orders again after `ms` */
    scheduleSync: (ms: number) => void;
  };

  function createOrders(d: OrdersDeps) {
    const boardEl = c.byId(ids.board);
    const cancelDialog = c.byId(ids.cancelDialog);
    const cancelForm = c.byId<HTMLFormElement>(ids.cancelForm);
    const cancelTitle = c.byId(ids.cancelTitle);
    const cancelSummaryEl = c.byId(ids.cancelSummary);
    const cancelReason = c.byId<HTMLTextAreaElement>(ids.cancelReason);
    const cancelMsg = c.byId(ids.cancelMsg);
    const cancelBack = c.byId<HTMLButtonElement>(ids.cancelBack);
    const cancelConfirm = c.byId<HTMLButtonElement>(ids.cancelConfirm);
    const chips = Array.from(cancelForm.querySelectorAll<HTMLButtonElement>("[data-reason]"));
    const pending = d.view.pending;
    let cancelId: string | null = null;

    async function moveOrder(id: string, op: string) {
      const o = d.board.get(id);
      if (pending.has(id)) return;
      pending.add(id);
      d.view.render();
      try {
        const res = await d.api.moveOrder(id, op);
        if (res.status === 401) return d.onExpired();
        const answer: Json = res.ok ? ((await res.json()) as Json) : await apiLib.errorBody(res);
        if (res.ok) {
          d.board.applyMove(id, c.str(answer.status));
          if (op === "ready")
            d.toast.show(`${pickupName(o)} 준비 완료: 손님께 카카오톡으로 알렸습니다.`);
        } else {
          if (apiLib.errorCode(answer) === "invalid_transition")
            d.board.applyMove(id, c.str(answer.state));
          d.toast.show(apiLib.orderError(pickupName(o), res.status, answer), "error");
          d.scheduleSync(0);
        }
      } catch {
        d.toast.show(apiLib.MSG_NETWORK, "error");
      } finally {
        pending.delete(id);
        d.view.render();
        d.scheduleSave();
      }
    }

    function markChips() {
      const reason = cancelReason.value.trim();
      for (const chip of chips)
        chip.setAttribute("aria-pressed", String(chip.dataset.reason === reason));
    }

    function openCancel(id: string) {
      const o = d.board.get(id);
      if (!o) return;
      cancelId = id;
      d.focus.remember();
      cancelTitle.textContent = `${pickupName(o)} 주문을 취소할까요?`;
      cancelSummaryEl.textContent = cancelSummary(o);
      cancelConfirm.textContent =
        o.totalAmount === null ? "취소하고 환불" : `취소하고 ${c.won(o.totalAmount)} 환불`;
      cancelReason.value = "";
      markChips();
      cancelMsg.hidden = true;
      d.toast.hide();
      cancelConfirm.disabled = false;
      cancelBack.disabled = false;
      cancelDialog.hidden = false;
      cancelReason.focus();
    }

    function closeCancel() {
      cancelDialog.hidden = true;
      cancelId = null;
      d.focus.restore();
    }

    function showCancelMsg(text: string) {
      cancelMsg.textContent = text;
      cancelMsg.hidden = false;
    }

    async function submitCancel(ev: SubmitEvent) {
      ev.preventDefault();
      const id = cancelId;
      if (!id) return;
      const reason = cancelReason.value.trim();
      if (!reason) {
        showCancelMsg("취소 사유를 적거나 위에서 골라 주세요. 손님께 그대로 안내됩니다.");
        cancelReason.focus();
        return;
      }
      const o = d.board.get(id);
      const label = cancelConfirm.textContent;
      cancelConfirm.disabled = true;
      cancelBack.disabled = true;
      cancelConfirm.textContent = "환불 처리 중…";
      cancelMsg.hidden = true;
      pending.add(id);
      d.view.render();
      try {
        const res = await d.api.cancelOrder(id, reason);
        if (res.status === 401) return d.onExpired();
        const answer: Json = res.ok ? ((await res.json()) as Json) : await apiLib.errorBody(res);
        if (res.ok) {
          d.board.applyMove(id, "CANCELED", answer);
          closeCancel();
          const refunded = c.num(answer.refunded);
          d.toast.show(
            `${pickupName(o)} 주문을 취소했습니다${refunded === null ? "" : ` · ${c.won(refunded)} 환불`}.`,
          );
          return;
        }
        if (apiLib.errorCode(answer) === "invalid_transition")
          d.board.applyMove(id, c.str(answer.state));
        showCancelMsg(apiLib.orderError(pickupName(o), res.status, answer));
        if (res.status !== 502) d.scheduleSync(0);
      } catch {
        showCancelMsg(apiLib.MSG_NETWORK);
      } finally {
        pending.delete(id);
        cancelConfirm.disabled = false;
        cancelBack.disabled = false;
        cancelConfirm.textContent = label;
        d.view.render();
        d.scheduleSave();
      }
    }

    boardEl.addEventListener("click", (ev) => {
      const target = ev.target instanceof Element ? ev.target : null;
      const button = target?.closest<HTMLButtonElement>("button[data-op]");
      const id = button?.closest<HTMLElement>("[data-order-id]")?.dataset.orderId;
      if (!button || !id || button.disabled) return;
      if (button.dataset.op === "cancel") openCancel(id);
      else void moveOrder(id, button.dataset.op ?? "");
    });
    cancelForm.addEventListener("submit", (ev) => void submitCancel(ev as SubmitEvent));
    cancelBack.addEventListener("click", closeCancel);
    for (const chip of chips) {
      chip.addEventListener("click", () => {
        cancelReason.value = chip.dataset.reason ?? "";
        markChips();
        cancelMsg.hidden = true;
        cancelConfirm.focus();
      });
    }
    cancelReason.addEventListener("input", markChips);

    return {
      /** Esc: closes the cancel dialog unless a refund is under way; false when it did not. */
      escape(): boolean {
        if (cancelDialog.hidden || cancelBack.disabled) return false;
        closeCancel();
        return true;
      },
      /** Hides the dialog (back to the login view). */
      hide() {
        cancelDialog.hidden = true;
      },
    };
  }

  return { pickupName, cancelSummary, createOrders };
}

export type OrdersLib = ReturnType<typeof ordersLib>;
export type Orders = ReturnType<OrdersLib["createOrders"]>;
