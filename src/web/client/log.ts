import { storePageIds as ids } from "../../shared/storePageIds.ts";
import { linesOf } from "./board.ts";
import {
  byId,
  type DayState,
  el,
  fmtTime,
  isObj,
  type Json,
  num,
  STATE_LABEL,
  str,
  won,
} from "./common.ts";

/**
 * The log (기록): feed events described in Korean, its list, and the two side drawers (the log and
 * the finished orders).
 */

/** One line of the log (기록): a feed event as the owner reads it. */
export type Row = {
  id: string;
  type: string;
  at: number;
  label: string;
  detail: string;
  tone: string;
  /** order events: the order and its pickup number, so later events can name it */
  orderId?: string;
  pickup?: number;
};

/** What the board knows of an order's pickup number (the board itself, in the page). */
export type PickupSource = { get(id: string): { pickupNumber: number | null } | undefined };

/** The log keeps the newest rows only (on screen and saved). */
export const MAX_ROWS = 200;

/** Is `r` a saved row (localStorage is anyone's to edit)? */
export const isRow = (r: unknown): r is Row =>
  isObj(r) &&
  typeof r.id === "string" &&
  typeof r.type === "string" &&
  typeof r.at === "number" &&
  typeof r.label === "string" &&
  typeof r.detail === "string" &&
  typeof r.tone === "string" &&
  (r.orderId === undefined || typeof r.orderId === "string") &&
  (r.pickup === undefined || typeof r.pickup === "number");

/** An order event's order: nested under `order`, or the event itself. */
export function orderOf(data: Json): Json {
  return isObj(data.order) ? data.order : data;
}

/** The pickup number: in the event, on the board, or from an earlier row of the same order. */
export function pickupOf(o: Json, board: PickupSource, rows: Row[]): number | null {
  const n = num(o.pickupNumber) ?? num(o.pickup_number);
  if (n !== null) return n;
  const id = str(o.orderId) || str(o.id);
  if (!id) return null;
  const onBoard = board.get(id)?.pickupNumber;
  if (onBoard !== undefined && onBoard !== null) return onBoard;
  return rows.find((r) => r.orderId === id && r.pickup !== undefined)?.pickup ?? null;
}

function itemsText(items: unknown): string {
  return linesOf(items)
    .map((l) => `${l.name} ×${l.qty}${l.options.length ? ` (${l.options.join(", ")})` : ""}`)
    .join(", ");
}

/**
 * The row's text for a feed event. `prev` is the day state before it (a reopen after a break
 * reads 영업 재개); `pickup` finds an order's pickup number.
 */
export function describe(
  type: string,
  data: Json,
  prev: DayState | null,
  pickup: (o: Json) => number | null,
) {
  const join = (...parts: string[]) => parts.filter(Boolean).join(" · ");
  const orderTitle = (o: Json, what: string) => {
    const n = pickup(o);
    return n === null ? what : `${what} ${n}번`;
  };
  switch (type) {
    case "ready":
      return {
        label: "영업 준비",
        detail: data.businessDate ? `영업일 ${str(data.businessDate)}` : "",
        tone: "day",
      };
    case "state":
      if (data.state === "OPEN") {
        return prev === "BREAK"
          ? { label: "영업 재개", detail: "다시 주문을 받습니다", tone: "open" }
          : { label: "영업 시작", detail: "주문을 받습니다", tone: "open" };
      }
      if (data.state === "BREAK")
        return { label: "휴식", detail: "잠시 주문을 받지 않습니다", tone: "break" };
      if (data.state === "CLOSING")
        return { label: "마감 준비", detail: "새 주문을 받지 않습니다", tone: "closing" };
      return {
        label: "상태 변경",
        detail: STATE_LABEL[str(data.state)] ?? str(data.state),
        tone: "day",
      };
    case "closed":
      return { label: "영업 종료", detail: "정산을 시작합니다", tone: "closed" };
    case "order.paid": {
      const o = orderOf(data);
      const total = num(o.total) ?? num(o.totalAmount) ?? num(o.amount);
      return {
        label: orderTitle(o, "새 주문"),
        detail: join(itemsText(o.items), total === null ? "" : won(total), str(o.customerName)),
        tone: "order",
      };
    }
    case "order.accepted":
      return { label: orderTitle(orderOf(data), "주문 접수"), detail: "", tone: "progress" };
    case "order.ready":
      return {
        label: orderTitle(orderOf(data), "준비 완료"),
        detail: "손님께 알림을 보냈습니다",
        tone: "progress",
      };
    case "order.picked_up":
      return { label: orderTitle(orderOf(data), "픽업 완료"), detail: "", tone: "done" };
    case "order.canceled": {
      const o = orderOf(data);
      const refunded = data.refunded ?? o.refunded;
      const refund =
        typeof refunded === "number"
          ? `${won(refunded)} 환불`
          : refunded === true
            ? "전액 환불"
            : refunded === false
              ? "환불 없음"
              : "";
      const reason = str(data.reason) || str(o.reason);
      return {
        label: orderTitle(o, "주문 취소"),
        detail: join(reason ? `사유: ${reason}` : "", refund),
        tone: "canceled",
      };
    }
    default:
      return { label: type, detail: "", tone: "day" };
  }
}

/** The row for feed event `type` with SSE id `id` (none: a local id). */
export function makeRow(
  type: string,
  id: string,
  data: Json,
  prev: DayState | null,
  pickup: (o: Json) => number | null,
): Row {
  const row: Row = {
    id: id || `local-${Date.now()}`,
    type,
    at: num(data.at) ?? num(data.paidAt) ?? Date.now(),
    ...describe(type, data, prev, pickup),
  };
  if (type.startsWith("order.")) {
    const o = orderOf(data);
    const orderId = str(o.orderId) || str(o.id);
    const n = pickup(o);
    if (orderId) row.orderId = orderId;
    if (n !== null) row.pickup = n;
  }
  return row;
}

// ---------- the log's list (`#feed-list`) ----------
let list: HTMLOListElement;
let listEmpty: HTMLElement;

export function startLog() {
  list = byId<HTMLOListElement>(ids.feedList);
  listEmpty = byId(ids.feedEmpty);
}

function rowElement(r: Row): HTMLLIElement {
  const li = el("li", `row tone-${r.tone}`);
  li.dataset.id = r.id;
  li.dataset.type = r.type;
  const time = el("time", undefined, fmtTime(r.at));
  time.dateTime = new Date(r.at).toISOString();
  const text = el("div", "row-text");
  text.append(el("strong", undefined, r.label));
  if (r.detail) text.append(el("span", undefined, r.detail));
  li.append(time, text);
  return li;
}

export function renderLog(rows: Row[]) {
  list.replaceChildren(...rows.map(rowElement));
  listEmpty.hidden = rows.length > 0;
}

export function prependRow(r: Row) {
  list.prepend(rowElement(r));
  while (list.children.length > MAX_ROWS) list.lastElementChild?.remove();
  listEmpty.hidden = true;
}

// ---------- the two side drawers (finished orders, log): at most one open, Esc or ✕ closes it ----------
let doneToggle: HTMLButtonElement;
let donePanel: HTMLElement;
let logToggle: HTMLButtonElement;
let logPanel: HTMLElement;

function toggle(panel: HTMLElement, button: HTMLButtonElement, open?: boolean) {
  const show = open ?? panel.hidden;
  for (const [p, b] of [
    [donePanel, doneToggle],
    [logPanel, logToggle],
  ] as const) {
    const mine = p === panel;
    p.hidden = !(mine && show);
    b.setAttribute("aria-expanded", String(mine && show));
  }
  if (show) panel.querySelector<HTMLElement>(".close")?.focus();
  else button.focus();
}

export function startDrawers() {
  doneToggle = byId<HTMLButtonElement>(ids.doneToggle);
  donePanel = byId(ids.donePanel);
  logToggle = byId<HTMLButtonElement>(ids.logToggle);
  logPanel = byId(ids.logPanel);
  doneToggle.addEventListener("click", () => toggle(donePanel, doneToggle));
  logToggle.addEventListener("click", () => toggle(logPanel, logToggle));
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>("[data-close]"))) {
    b.addEventListener("click", () => {
      const panel = b.dataset.close === "log-panel" ? logPanel : donePanel;
      toggle(panel, panel === logPanel ? logToggle : doneToggle, false);
    });
  }
}

/** Esc: closes the open drawer; false when none was open. */
export function escapeDrawer(): boolean {
  if (!donePanel.hidden) toggle(donePanel, doneToggle, false);
  else if (!logPanel.hidden) toggle(logPanel, logToggle, false);
  else return false;
  return true;
}
