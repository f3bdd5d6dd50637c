import { storePageIds as ids } from "../../shared/storePageIds.ts";
import * as api from "./api.ts";
import { byId, confirmTap, type DayState, STATE_LABEL, setMsg, won } from "./common.ts";
import { isReplaced } from "./feed.ts";
import { board, endSession, lastEventId, loggedIn } from "./session.ts";

/**
 * The day bar: the state badge and its note, the day's buttons (영업 준비 … 영업 종료) and the
 * day's numbers.
 */

/** GET /store/day's `day`: the live business day, or null when there is none. */
export type DayView = {
  id: string;
  state: DayState;
  openedAt: number | null;
  orderCount: number;
  grossAmount: number;
} | null;

const STATE_NOTE: Record<string, string> = {
  NONE: "영업 전입니다. ‘영업 준비’ → ‘영업 시작’을 누르면 카카오톡 주문을 받습니다.",
  READY: "준비 상태입니다. ‘영업 시작’을 누르면 손님이 주문할 수 있습니다.",
  BREAK: "휴식 중: 새 주문을 받지 않습니다. 받은 주문은 계속 처리할 수 있습니다.",
  CLOSING: "마감 준비 중: 새 주문을 받지 않습니다. 남은 주문을 끝낸 뒤 ‘영업 종료’를 누르세요.",
};
/** The day buttons (`data-action`) shown in each state. */
const ALLOWED: Record<string, string[]> = {
  NONE: ["ready"],
  READY: ["open", "close"],
  OPEN: ["break", "closing"],
  BREAK: ["reopen", "closing"],
  CLOSING: ["close"],
};
/** Day buttons with no way back ask for a second tap, showing this on the button. */
const CONFIRM: Record<string, string> = {
  closing: "한 번 더 누르면 마감 준비",
  close: "한 번 더 누르면 영업 종료",
};

let badge: HTMLElement;
let boardNote: HTMLElement;
let dayMsg: HTMLElement;
let statsEl: HTMLElement;
let statOrders: HTMLElement;
let statSales: HTMLElement;
let statCancel: HTMLElement;
let actionButtons: HTMLButtonElement[];

let stateSeq = 0; // bumped by every feed event that sets the day state
let dayInfo: DayView = null;
let currentDayId: string | null = null;
let busy = false;
let awaitingFeed = false;
let awaitTimer: ReturnType<typeof setTimeout> | undefined;

export function setBadge(state: DayState | null) {
  const key = state ?? "NONE";
  badge.textContent = STATE_LABEL[key] ?? key;
  badge.dataset.state = key;
  document.body.dataset.state = key;
  const note = STATE_NOTE[key] ?? "";
  boardNote.textContent = note;
  boardNote.hidden = !note;
  boardNote.dataset.state = key;
  setActions();
}

export function setActions() {
  const allowed = ALLOWED[badge.dataset.state ?? "NONE"] ?? [];
  const locked = busy || awaitingFeed || isReplaced();
  for (const b of actionButtons) {
    b.hidden = !allowed.includes(b.dataset.action ?? "");
    b.disabled = locked;
  }
}

/** The day's numbers: orders, sales net of refunds, cancels (hidden without a live day). */
export function renderStats() {
  statsEl.hidden = !dayInfo; // no live day: nothing to count yet
  if (!dayInfo) return;
  const totals = board.totals();
  statOrders.textContent = `${dayInfo.orderCount.toLocaleString("ko-KR")}건`;
  statSales.textContent = won(Math.max(0, dayInfo.grossAmount - totals.refunded));
  statCancel.hidden = totals.canceled === 0;
  statCancel.textContent = `취소 ${totals.canceled}건 · 환불 ${won(totals.refunded)}`;
}

/** GET /store/day; its state is used only when no feed event changed the state meanwhile. */
export async function refreshDay(): Promise<"ok" | "login" | "error"> {
  const seq = stateSeq;
  let res: Response;
  try {
    res = await api.day();
  } catch {
    return "error";
  }
  if (res.status === 401) return "login";
  if (!res.ok) return "error";
  const { day } = (await res.json()) as { day: DayView };
  if (!loggedIn()) return "ok";
  currentDayId = day ? day.id : null;
  dayInfo = day;
  renderStats();
  // A feed event meanwhile is newer than this answer (and schedules its own refresh).
  // The badge only: the saved state stays what the feed said (it names the next transition).
  if (seq === stateSeq) setBadge(day ? day.state : null);
  return "ok";
}

export function feedCaughtUp() {
  clearTimeout(awaitTimer);
  if (awaitingFeed) {
    awaitingFeed = false;
    setActions();
  }
}

/** After a change, the buttons wait for the feed to confirm it (or 3 s, then ask the server). */
function awaitFeed() {
  awaitingFeed = true;
  setActions();
  clearTimeout(awaitTimer);
  awaitTimer = setTimeout(async () => {
    awaitingFeed = false;
    if ((await refreshDay()) === "login") return endSession();
    setActions();
  }, 3000);
}

export function showDayMsg(text: string, tone: "error" | "ok" | "" = "") {
  setMsg(dayMsg, text, tone);
}

async function act(button: HTMLButtonElement) {
  const action = button.dataset.action ?? "";
  if (busy || !action) return;
  if (action === "close") {
    if (!lastEventId()) {
      showDayMsg(
        "실시간 목록을 아직 받지 못했습니다. 연결을 확인한 뒤 다시 시도해 주세요.",
        "error",
      );
      return;
    }
  }
  const prompt = CONFIRM[action];
  if (prompt && !confirmTap(button, prompt)) return;
  busy = true;
  setActions();
  showDayMsg("");
  const seqBefore = stateSeq;
  try {
    const res = await api.dayAction(action, lastEventId());
    if (res.status === 401) return endSession();
    if (!res.ok) {
      showDayMsg(api.dayError(res.status, await api.errorBody(res)), "error");
      void refreshDay();
      return;
    }
    if (action === "close") showDayMsg("영업을 종료했습니다. 정산을 시작합니다.", "ok");
    // The feed's entry may arrive before the POST's answer; then there is nothing to wait for.
    if (stateSeq === seqBefore) awaitFeed();
  } catch {
    showDayMsg(api.MSG_NETWORK, "error");
  } finally {
    busy = false;
    setActions();
  }
}

/** Finds the day bar and wires its buttons (once, at page start). */
export function startDay() {
  badge = byId(ids.stateBadge);
  boardNote = byId(ids.boardNote);
  dayMsg = byId(ids.dayMsg);
  statsEl = byId(ids.daySummary);
  statOrders = byId(ids.statOrders);
  statSales = byId(ids.statSales);
  statCancel = byId(ids.statCancel);
  actionButtons = Array.from(document.querySelectorAll<HTMLButtonElement>("[data-action]"));
  for (const b of actionButtons) b.addEventListener("click", () => void act(b));
}

/** A feed event set the state: it wins over any GET /store/day still on its way. */
export function feedState(state: DayState | null) {
  stateSeq++;
  setBadge(state);
}

/** A new paid order, counted at once (GET /store/day confirms it later). */
export function countOrder(amount: number) {
  if (!dayInfo) return;
  dayInfo.orderCount++;
  dayInfo.grossAmount += amount;
}

/** The live business day's id (null: none), as the last GET /store/day said. */
export const liveDayId = () => currentDayId;

/** The state the badge shows (the server rendered the first one). */
export const shownState = () => badge.dataset.state;

/** Back to the login view: forget the day and stop waiting. */
export function resetDay() {
  awaitingFeed = false;
  dayInfo = null;
  currentDayId = null;
  clearTimeout(awaitTimer);
}
