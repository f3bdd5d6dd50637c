import { storePageIds as ids } from "../../shared/storePageIds.ts";
import type { Api, ApiLib } from "./api.ts";
import type { Board } from "./boardLib.ts";
import type { CommonLib, ConfirmTap, DayState } from "./common.ts";

/** GET /store/day's `day`: the live business day, or null when there is none. */
export type DayView = {
  id: string;
  state: DayState;
  openedAt: number | null;
  orderCount: number;
  grossAmount: number;
} | null;

/**
 * The day bar: the state badge and its note, the day's buttons (영업 준비 … 영업 종료) and the
 * day's numbers.
 */
export function dayLib(c: CommonLib, apiLib: ApiLib) {
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

  type DayDeps = {
    api: Api;
    board: Board;
    confirm: ConfirmTap;
    /** another screen has the feed: the buttons stay locked */
    isReplaced: () => boolean;
    /** the last feed event this screen applied (영업 종료 sends it) */
    lastEventId: () => string | null;
    loggedIn: () => boolean;
    onExpired: () => void;
    /** a scheduled GET /store/day found no live day */
    onNoLiveDay: () => void;
  };

  function createDay(d: DayDeps) {
    const body = document.body;
    const badge = c.byId(ids.stateBadge);
    const boardNote = c.byId(ids.boardNote);
    const dayMsg = c.byId(ids.dayMsg);
    const statsEl = c.byId(ids.daySummary);
    const statOrders = c.byId(ids.statOrders);
    const statSales = c.byId(ids.statSales);
    const statCancel = c.byId(ids.statCancel);
    const actionButtons = Array.from(document.querySelectorAll<HTMLButtonElement>("[data-action]"));

    let stateSeq = 0; // bumped by every feed event that sets the day state
    let dayInfo: DayView = null;
    let liveDayId: string | null = null;
    let busy = false;
    let awaitingFeed = false;
    let awaitTimer: ReturnType<typeof setTimeout> | undefined;
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;

    function setBadge(state: DayState | null) {
      const key = state ?? "NONE";
      badge.textContent = c.STATE_LABEL[key] ?? key;
      badge.dataset.state = key;
      body.dataset.state = key;
      const note = STATE_NOTE[key] ?? "";
      boardNote.textContent = note;
      boardNote.hidden = !note;
      boardNote.dataset.state = key;
      setActions();
    }

    function setActions() {
      const allowed = ALLOWED[badge.dataset.state ?? "NONE"] ?? [];
      const locked = busy || awaitingFeed || d.isReplaced();
      for (const b of actionButtons) {
        b.hidden = !allowed.includes(b.dataset.action ?? "");
        b.disabled = locked;
      }
    }

    /** The day's numbers: orders, sales net of refunds, cancels (hidden without a live day). */
    function renderStats() {
      statsEl.hidden = !dayInfo; // no live day: nothing to count yet
      if (!dayInfo) return;
      const totals = d.board.totals();
      statOrders.textContent = `${dayInfo.orderCount.toLocaleString("ko-KR")}건`;
      statSales.textContent = c.won(Math.max(0, dayInfo.grossAmount - totals.refunded));
      statCancel.hidden = totals.canceled === 0;
      statCancel.textContent = `취소 ${totals.canceled}건 · 환불 ${c.won(totals.refunded)}`;
    }

    /** GET /store/day; its state is used only when no feed event changed the state meanwhile. */
    async function refresh(): Promise<"ok" | "login" | "error"> {
      const seq = stateSeq;
      let res: Response;
      try {
        res = await d.api.day();
      } catch {
        return "error";
      }
      if (res.status === 401) return "login";
      if (!res.ok) return "error";
      const { day } = (await res.json()) as { day: DayView };
      if (!d.loggedIn()) return "ok";
      liveDayId = day ? day.id : null;
      dayInfo = day;
      renderStats();
      // A feed event meanwhile is newer than this answer (and schedules its own refresh).
      // The badge only: the saved state stays what the feed said (it names the next transition).
      if (seq === stateSeq) setBadge(day ? day.state : null);
      return "ok";
    }

    /** At most one GET /store/day per 400 ms, however busy the feed is (a throttle, not a debounce). */
    function scheduleRefresh() {
      if (refreshTimer !== undefined) return;
      refreshTimer = setTimeout(async () => {
        refreshTimer = undefined;
        const r = await refresh();
        if (r === "login") return d.onExpired();
        if (r === "ok" && !liveDayId) d.onNoLiveDay();
      }, 400);
    }

    function feedCaughtUp() {
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
        if ((await refresh()) === "login") return d.onExpired();
        setActions();
      }, 3000);
    }

    function showMsg(text: string, tone: "error" | "ok" | "" = "") {
      c.setMsg(dayMsg, text, tone);
    }

    async function act(button: HTMLButtonElement) {
      const action = button.dataset.action ?? "";
      if (busy || !action) return;
      if (action === "close") {
        if (!d.lastEventId()) {
          showMsg(
            "실시간 목록을 아직 받지 못했습니다. 연결을 확인한 뒤 다시 시도해 주세요.",
            "error",
          );
          return;
        }
      }
      const prompt = CONFIRM[action];
      if (prompt && !d.confirm.confirmTap(button, prompt)) return;
      busy = true;
      setActions();
      showMsg("");
      const seqBefore = stateSeq;
      try {
        const res = await d.api.dayAction(action, d.lastEventId());
        if (res.status === 401) return d.onExpired();
        if (!res.ok) {
          showMsg(apiLib.dayError(res.status, await apiLib.errorBody(res)), "error");
          void refresh();
          return;
        }
        if (action === "close") showMsg("영업을 종료했습니다. 정산을 시작합니다.", "ok");
        // The feed's entry may arrive before the POST's answer; then there is nothing to wait for.
        if (stateSeq === seqBefore) awaitFeed();
      } catch {
        showMsg(apiLib.MSG_NETWORK, "error");
      } finally {
        busy = false;
        setActions();
      }
    }

    for (const b of actionButtons) b.addEventListener("click", () => void act(b));

    return {
      setBadge,
      setActions,
      renderStats,
      refresh,
      scheduleRefresh,
      feedCaughtUp,
      showMsg,
      /** A feed event set the state: it wins over any GET /store/day still on its way. */
      feedState(state: DayState | null) {
        stateSeq++;
        setBadge(state);
      },
      /** A new paid order, counted at once (GET /store/day confirms it later). */
      countOrder(amount: number) {
        if (!dayInfo) return;
        dayInfo.orderCount++;
        dayInfo.grossAmount += amount;
      },
      get liveDayId() {
        return liveDayId;
      },
      /** The state the badge shows (the server rendered the first one). */
      shownState: () => badge.dataset.state,
      /** Back to the login view: forget the day and stop waiting. */
      reset() {
        awaitingFeed = false;
        dayInfo = null;
        liveDayId = null;
        clearTimeout(awaitTimer);
        clearTimeout(refreshTimer);
        refreshTimer = undefined;
      },
    };
  }

  return { STATE_NOTE, ALLOWED, CONFIRM, createDay };
}

export type DayLib = ReturnType<typeof dayLib>;
export type Day = ReturnType<DayLib["createDay"]>;
