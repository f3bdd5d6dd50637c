import { storePageIds as ids } from "../../shared/storePageIds.ts";
import { renderSound, showSoundButton, startAlert, stopFlash } from "./alert.ts";
import * as api from "./api.ts";
import { renderBoard, startBoardView, tickAges } from "./boardView.ts";
import { byId, confirmTap, type DayState, isState } from "./common.ts";
import { resetDay, setActions, setBadge, showDayMsg, shownState, startDay } from "./day.ts";
import { connectFeed, disconnectFeed, startFeed } from "./feed.ts";
import { escapeDrawer, renderLog, startDrawers, startLog } from "./log.ts";
import { prefill, remembered, showLoginMsg, showLoginView, startLogin } from "./login.ts";
import { escapeItem, hideItem, loadMenu, startMenu } from "./menu.ts";
import { escapeCancel, hideCancel, startOrders } from "./orders.ts";
import {
  closeStore,
  loggedIn,
  openStore,
  savedState,
  saveNow,
  whenSessionEnds,
} from "./session.ts";
import {
  boardStartsOver,
  onFeedEvent,
  onFeedReset,
  scheduleDayRefresh,
  scheduleSync,
  stopSync,
  syncBoard,
} from "./sync.ts";

/**
 * The store client's views: the switch between the login and the day view (a store's session
 * opening and ending), the tabs, the screen's wake lock, and the page's start.
 */

let body: HTMLElement;
let dayView: HTMLElement;
let storeName: HTMLElement;
let tabs: HTMLElement;
let tabButtons: HTMLButtonElement[];
let logoutButton: HTMLButtonElement;
let boardEl: HTMLElement;
let menuView: HTMLElement;
let wake: WakeLockSentinel | null = null;

function showTab(tab: "board" | "menu") {
  body.dataset.tab = tab;
  boardEl.hidden = tab !== "board";
  menuView.hidden = tab !== "menu";
  for (const b of tabButtons) b.setAttribute("aria-pressed", String(b.dataset.tab === tab));
  if (tab === "menu") void loadMenu();
}

async function keepAwake() {
  try {
    if (!loggedIn() || wake || document.visibilityState !== "visible") return;
    if (!("wakeLock" in navigator)) return;
    wake = await navigator.wakeLock.request("screen");
    wake.addEventListener("release", () => {
      wake = null;
    });
  } catch {
    // not allowed here (e.g. battery saver): the screen may dim, nothing else changes
  }
}

function enterDay(storeId: string, name: string, shown?: DayState | null) {
  if (openStore(storeId)) boardStartsOver();
  const saved = savedState();
  body.dataset.view = "day";
  showLoginView(false);
  dayView.hidden = false;
  tabs.hidden = false;
  showSoundButton(true);
  logoutButton.hidden = false;
  storeName.textContent = name;
  showDayMsg("");
  renderLog(saved.rows);
  renderBoard();
  renderSound();
  showTab("board");
  setBadge(shown === undefined ? saved.state : shown);
  connectFeed();
  void syncBoard();
  void keepAwake();
}

function showLogin(message = "", tone: "error" | "ok" = "error") {
  closeStore(); // saves what the screen showed first
  disconnectFeed();
  resetDay();
  stopSync();
  stopFlash();
  void wake?.release();
  body.dataset.view = "login";
  dayView.hidden = true;
  hideCancel();
  hideItem();
  showLoginView(true);
  tabs.hidden = true;
  showSoundButton(false);
  logoutButton.hidden = true;
  storeName.textContent = "";
  prefill();
  showLoginMsg(message, tone);
}

async function logout() {
  if (!confirmTap(logoutButton, "한 번 더 누르면 로그아웃")) return;
  logoutButton.disabled = true;
  try {
    await api.logout();
  } catch {
    // the session will expire on its own; this screen forgets it now
  } finally {
    logoutButton.disabled = false;
    showLogin("로그아웃했습니다.", "ok");
  }
}

/** Starts the page: every part finds its elements, then the session opens or the login shows. */
export function startStoreClient() {
  body = document.body;
  dayView = byId(ids.dayView);
  storeName = byId(ids.storeName);
  tabs = byId(ids.tabs);
  tabButtons = Array.from(tabs.querySelectorAll<HTMLButtonElement>("[data-tab]"));
  logoutButton = byId<HTMLButtonElement>(ids.logout);
  boardEl = byId(ids.board);
  menuView = byId(ids.menuView);

  whenSessionEnds(() => showLogin(api.endedMessage()));
  startAlert();
  startLog();
  startDrawers();
  startDay();
  startBoardView();
  startFeed({
    onEvent: onFeedEvent,
    onReset: onFeedReset,
    onReplaced: setActions,
    onResumed: () => scheduleSync(500),
  });
  startOrders();
  startMenu();
  startLogin((id, name) => enterDay(id, name));

  logoutButton.addEventListener("click", () => void logout());
  for (const b of tabButtons)
    b.addEventListener("click", () => showTab(b.dataset.tab === "menu" ? "menu" : "board"));
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape") return;
    if (!escapeCancel() && !escapeItem()) escapeDrawer();
  });
  document.addEventListener("visibilitychange", () => {
    void keepAwake();
    if (document.visibilityState !== "visible" || !loggedIn()) return;
    // Back from sleep: ages and numbers may be old; the feed reconnects on its own.
    tickAges();
    scheduleDayRefresh();
  });
  window.addEventListener("pagehide", saveNow);
  setInterval(tickAges, 15_000);

  // The server rendered the view it believes in; GET /store/day decides.
  const ssrStore = body.dataset.storeId ?? "";
  const ssrName = body.dataset.storeName ?? "";
  prefill();
  renderSound();
  const ssrState = shownState();
  if (ssrStore) enterDay(ssrStore, ssrName, isState(ssrState) ? ssrState : null);
  else {
    void api
      .probe()
      .then((res) => {
        const last = remembered();
        if (res.ok && last.storeId) enterDay(last.storeId, last.name);
      })
      .catch(() => undefined);
  }
}
