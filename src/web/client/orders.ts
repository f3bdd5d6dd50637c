import { storePageIds as ids } from "../../shared/storePageIds.ts";
import * as api from "./api.ts";
import type { BoardOrder } from "./board.ts";
import { pending, renderBoard } from "./boardView.ts";
import {
  byId,
  hideToast,
  type Json,
  num,
  rememberFocus,
  restoreFocus,
  showToast,
  str,
  won,
} from "./common.ts";
import { board, endSession, scheduleSave } from "./session.ts";
import { scheduleSync } from "./sync.ts";

/**
 * What the owner does to an order: a card's main button (접수, 준비 완료, 픽업 완료) and the cancel
 * dialog (a reason, then the refund).
 */

/** How a message names the order: "7번", or "이" (이 주문) before it has a number. */
export const pickupName = (o: BoardOrder | undefined) =>
  o?.pickupNumber === null || o?.pickupNumber === undefined ? "이" : `${o.pickupNumber}번`;

/** The cancel dialog's one-line summary of `o`. */
export function cancelSummary(o: BoardOrder) {
  return [
    o.items.map((l) => `${l.name} ×${l.qty}`).join(", "),
    o.totalAmount === null ? "" : won(o.totalAmount),
    o.customerName,
  ]
    .filter(Boolean)
    .join(" · ");
}

let boardEl: HTMLElement;
let cancelDialog: HTMLElement;
let cancelForm: HTMLFormElement;
let cancelTitle: HTMLElement;
let cancelSummaryEl: HTMLElement;
let cancelReason: HTMLTextAreaElement;
let cancelMsg: HTMLElement;
let cancelBack: HTMLButtonElement;
let cancelConfirm: HTMLButtonElement;
let chips: HTMLButtonElement[];

let cancelId: string | null = null;

async function moveOrder(id: string, op: string) {
  const o = board.get(id);
  if (pending.has(id)) return;
  pending.add(id);
  renderBoard();
  try {
    const res = await api.moveOrder(id, op);
    if (res.status === 401) return endSession();
    const answer: Json = res.ok ? ((await res.json()) as Json) : await api.errorBody(res);
    if (res.ok) {
      board.applyMove(id, str(answer.status));
      if (op === "ready") showToast(`${pickupName(o)} 준비 완료: 손님께 카카오톡으로 알렸습니다.`);
    } else {
      if (api.errorCode(answer) === "invalid_transition") board.applyMove(id, str(answer.state));
      showToast(api.orderError(pickupName(o), res.status, answer), "error");
      scheduleSync(0);
    }
  } catch {
    showToast(api.MSG_NETWORK, "error");
  } finally {
    pending.delete(id);
    renderBoard();
    scheduleSave();
  }
}

function markChips() {
  const reason = cancelReason.value.trim();
  for (const chip of chips)
    chip.setAttribute("aria-pressed", String(chip.dataset.reason === reason));
}

function openCancel(id: string) {
  const o = board.get(id);
  if (!o) return;
  cancelId = id;
  rememberFocus();
  cancelTitle.textContent = `${pickupName(o)} 주문을 취소할까요?`;
  cancelSummaryEl.textContent = cancelSummary(o);
  cancelConfirm.textContent =
    o.totalAmount === null ? "취소하고 환불" : `취소하고 ${won(o.totalAmount)} 환불`;
  cancelReason.value = "";
  markChips();
  cancelMsg.hidden = true;
  hideToast();
  cancelConfirm.disabled = false;
  cancelBack.disabled = false;
  cancelDialog.hidden = false;
  cancelReason.focus();
}

function closeCancel() {
  cancelDialog.hidden = true;
  cancelId = null;
  restoreFocus();
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
  const o = board.get(id);
  const label = cancelConfirm.textContent;
  cancelConfirm.disabled = true;
  cancelBack.disabled = true;
  cancelConfirm.textContent = "환불 처리 중…";
  cancelMsg.hidden = true;
  pending.add(id);
  renderBoard();
  try {
    const res = await api.cancelOrder(id, reason);
    if (res.status === 401) return endSession();
    const answer: Json = res.ok ? ((await res.json()) as Json) : await api.errorBody(res);
    if (res.ok) {
      board.applyMove(id, "CANCELED", answer);
      closeCancel();
      const refunded = num(answer.refunded);
      showToast(
        `${pickupName(o)} 주문을 취소했습니다${refunded === null ? "" : ` · ${won(refunded)} 환불`}.`,
      );
      return;
    }
    if (api.errorCode(answer) === "invalid_transition") board.applyMove(id, str(answer.state));
    showCancelMsg(api.orderError(pickupName(o), res.status, answer));
    if (res.status !== 502) scheduleSync(0);
  } catch {
    showCancelMsg(api.MSG_NETWORK);
  } finally {
    pending.delete(id);
    cancelConfirm.disabled = false;
    cancelBack.disabled = false;
    cancelConfirm.textContent = label;
    renderBoard();
    scheduleSave();
  }
}

/** Finds the cancel dialog and listens to the board's buttons (once, at page start). */
export function startOrders() {
  boardEl = byId(ids.board);
  cancelDialog = byId(ids.cancelDialog);
  cancelForm = byId<HTMLFormElement>(ids.cancelForm);
  cancelTitle = byId(ids.cancelTitle);
  cancelSummaryEl = byId(ids.cancelSummary);
  cancelReason = byId<HTMLTextAreaElement>(ids.cancelReason);
  cancelMsg = byId(ids.cancelMsg);
  cancelBack = byId<HTMLButtonElement>(ids.cancelBack);
  cancelConfirm = byId<HTMLButtonElement>(ids.cancelConfirm);
  chips = Array.from(cancelForm.querySelectorAll<HTMLButtonElement>("[data-reason]"));
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
}

/** Esc: closes the cancel dialog unless a refund is under way; false when it did not. */
export function escapeCancel(): boolean {
  if (cancelDialog.hidden || cancelBack.disabled) return false;
  closeCancel();
  return true;
}

/** Hides the dialog (back to the login view). */
export function hideCancel() {
  cancelDialog.hidden = true;
}
