import { columnIds, storePageIds as ids } from "../../shared/storePageIds.ts";
import { ago, type BoardOrder } from "./board.ts";
import { byId, el, fmtShort, won } from "./common.ts";
import { renderStats } from "./day.ts";
import { board } from "./session.ts";

/**
 * The order board on screen: a card per open order in its column (신규 → 준비 중 → 픽업 대기),
 * the finished orders' drawer, and the cards' ages. The board's data and merge rules are
 * ./board.ts's; this only draws them.
 */

/** The card's main button per column. */
const NEXT: Record<string, { op: string; label: string } | undefined> = {
  PAID: { op: "accept", label: "접수" },
  ACCEPTED: { op: "ready", label: "준비 완료" },
  READY: { op: "pickup", label: "픽업 완료" },
};
/** Orders waiting longer than this are marked late. */
const LATE_MS = 10 * 60_000;
/** A newly paid order stays highlighted this long. */
const FRESH_MS = 30_000;

/** `o`'s text on a finished-orders line: when, and what (or why it was canceled). */
export function doneText(o: BoardOrder) {
  const when = o.movedAt === null ? "" : fmtShort(o.movedAt);
  if (o.status === "CANCELED") {
    const parts = [
      o.cancelReason ? `사유: ${o.cancelReason}` : "",
      o.refunded !== null ? `${won(o.refunded)} 환불` : "",
    ];
    return {
      title: `취소${when ? ` · ${when}` : ""}`,
      detail: parts.filter(Boolean).join(" · "),
    };
  }
  const parts = [
    o.items.map((l) => `${l.name} ×${l.qty}`).join(", "),
    o.totalAmount === null ? "" : won(o.totalAmount),
  ];
  return {
    title: `픽업 완료${when ? ` · ${when}` : ""}`,
    detail: parts.filter(Boolean).join(" · "),
  };
}

let columnEls: Record<"PAID" | "ACCEPTED" | "READY", HTMLOListElement>;
let countEls: Record<"PAID" | "ACCEPTED" | "READY", HTMLElement>;
let doneCount: HTMLElement;
let doneList: HTMLOListElement;
let doneEmpty: HTMLElement;
let doneSummary: HTMLElement;

/** Orders with a request in flight: their buttons are disabled. */
export const pending = new Set<string>();
const fresh = new Map<string, number>(); // newly paid orders → when they arrived (highlight)
const cardEls = new Map<string, HTMLLIElement>();
const cardKeys = new Map<string, string>();

function card(o: BoardOrder): HTMLLIElement {
  const key = JSON.stringify([o, pending.has(o.id), fresh.has(o.id)]);
  const existing = cardEls.get(o.id);
  if (existing && cardKeys.get(o.id) === key) return existing;
  const li = existing ?? el("li", "order");
  li.dataset.orderId = o.id;
  li.dataset.status = o.status;
  li.dataset.pickup = String(o.pickupNumber ?? "");
  li.classList.toggle("fresh", fresh.has(o.id));
  li.classList.toggle("canceling", o.canceling);
  li.setAttribute("aria-busy", String(pending.has(o.id)));
  li.replaceChildren(cardHead(o), cardItems(o), cardFoot(o), cardActions(o));
  updateAge(li);
  cardEls.set(o.id, li);
  cardKeys.set(o.id, key);
  return li;
}

function cardHead(o: BoardOrder) {
  const head = el("div", "o-head");
  const numEl = el("span", "o-num", o.pickupNumber === null ? "–" : String(o.pickupNumber));
  numEl.setAttribute("aria-label", `픽업 번호 ${o.pickupNumber ?? ""}번`);
  const meta = el("div", "o-meta");
  const agoEl = el("span", "o-ago");
  agoEl.dataset.since = String(o.paidAt ?? "");
  meta.append(agoEl);
  if (o.customerName) meta.append(el("span", "o-name", o.customerName));
  head.append(numEl, meta);
  return head;
}

function cardItems(o: BoardOrder) {
  const items = el("ul", "o-items");
  if (!o.items.length) items.append(el("li", "o-loading", "주문 내용을 불러오는 중…"));
  for (const l of o.items) {
    const line = el("li");
    const top = el("div", "o-line");
    top.append(el("b", "o-item", l.name), el("span", "o-qty", `×${l.qty}`));
    line.append(top);
    if (l.options.length) line.append(el("small", "o-opts", l.options.join(" · ")));
    items.append(line);
  }
  return items;
}

function cardFoot(o: BoardOrder) {
  const foot = el("div", "o-foot");
  foot.append(el("span", "o-total", o.totalAmount === null ? "" : won(o.totalAmount)));
  if (o.canceling) foot.append(el("span", "o-flag", "취소 처리 중"));
  return foot;
}

function cardActions(o: BoardOrder) {
  const actions = el("div", "o-actions");
  const next = NEXT[o.status];
  if (next && !o.canceling) {
    const b = el("button", `o-next op-${next.op}`, next.label);
    b.type = "button";
    b.dataset.op = next.op;
    b.disabled = pending.has(o.id);
    actions.append(b);
  }
  const cancel = el("button", "o-cancel", "취소");
  cancel.type = "button";
  cancel.dataset.op = "cancel";
  cancel.disabled = pending.has(o.id);
  cancel.setAttribute("aria-label", `${o.pickupNumber ?? ""}번 주문 취소`);
  actions.append(cancel);
  return actions;
}

function updateAge(li: HTMLElement) {
  const agoEl = li.querySelector<HTMLElement>(".o-ago");
  if (!agoEl) return;
  const since = Number(agoEl.dataset.since) || null;
  const now = Date.now();
  agoEl.textContent = since === null ? "" : `${ago(since, now)} 결제`;
  li.classList.toggle(
    "late",
    since !== null && now - since > LATE_MS && li.dataset.status !== "READY",
  );
}

function doneItem(o: BoardOrder): HTMLLIElement {
  const li = el("li", `done-item done-${o.status === "CANCELED" ? "canceled" : "picked"}`);
  li.dataset.orderId = o.id;
  li.append(el("b", "done-num", String(o.pickupNumber ?? "–")));
  const text = el("div", "done-text");
  const { title, detail } = doneText(o);
  text.append(el("strong", undefined, title), el("span", undefined, detail));
  li.append(text);
  return li;
}

export function renderBoard() {
  const now = Date.now();
  for (const [id, at] of fresh) if (now - at > FRESH_MS) fresh.delete(id);
  const cols = board.columns();
  const live = new Set<string>();
  for (const status of ["PAID", "ACCEPTED", "READY"] as const) {
    const target = columnEls[status];
    const cards = cols[status].map((o) => {
      live.add(o.id);
      return card(o);
    });
    // Reorder only what moved: focus and animations of the others stay.
    cards.forEach((li, i) => {
      if (target.children[i] !== li) target.insertBefore(li, target.children[i] ?? null);
    });
    while (target.children.length > cards.length) target.lastElementChild?.remove();
    countEls[status].textContent = String(cards.length);
    target.parentElement?.classList.toggle("is-empty", cards.length === 0);
  }
  for (const id of [...cardEls.keys()]) {
    if (!live.has(id)) {
      cardEls.get(id)?.remove();
      cardEls.delete(id);
      cardKeys.delete(id);
    }
  }
  doneList.replaceChildren(...cols.done.map(doneItem));
  doneEmpty.hidden = cols.done.length > 0;
  const totals = board.totals();
  doneCount.textContent = totals.canceled
    ? `${totals.pickedUp} · 취소 ${totals.canceled}`
    : String(totals.pickedUp);
  doneSummary.textContent = `픽업 완료 ${totals.pickedUp}건 · 취소 ${totals.canceled}건`;
  renderStats();
}

/** Every 15 s (and on wake): the ages, the late marks, the end of the highlights. */
export function tickAges() {
  for (const li of cardEls.values()) updateAge(li);
  if (fresh.size) {
    const now = Date.now();
    for (const [id, at] of fresh) {
      if (now - at > FRESH_MS) {
        fresh.delete(id);
        cardEls.get(id)?.classList.remove("fresh");
        cardKeys.delete(id);
      }
    }
  }
}

/** Highlights a newly paid order for a while. */
export function markFresh(id: string) {
  fresh.set(id, Date.now());
}

/** Finds the board's columns and the finished orders' drawer (once, at page start). */
export function startBoardView() {
  columnEls = {
    PAID: byId<HTMLOListElement>(columnIds("PAID").list),
    ACCEPTED: byId<HTMLOListElement>(columnIds("ACCEPTED").list),
    READY: byId<HTMLOListElement>(columnIds("READY").list),
  };
  countEls = {
    PAID: byId(columnIds("PAID").count),
    ACCEPTED: byId(columnIds("ACCEPTED").count),
    READY: byId(columnIds("READY").count),
  };
  doneCount = byId(ids.doneCount);
  doneList = byId<HTMLOListElement>(ids.doneList);
  doneEmpty = byId(ids.doneEmpty);
  doneSummary = byId(ids.doneSummary);
}
