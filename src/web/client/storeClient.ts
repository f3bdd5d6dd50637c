import { storePageIds as ids } from "../../shared/storePageIds.ts";
import type { AlertLib } from "./alert.ts";
import type { ApiLib } from "./api.ts";
import type { BoardLib, BoardOrder } from "./boardLib.ts";
import type { BoardViewLib } from "./boardView.ts";
import type { CommonLib, DayState, Json } from "./common.ts";
import type { DayLib } from "./day.ts";
import type { FeedLib, Saved } from "./feed.ts";
import type { LogLib } from "./log.ts";
import type { LoginLib } from "./login.ts";
import type { MenuLib } from "./menu.ts";
import type { OrdersLib } from "./orders.ts";

/** Every part of the page's code, each built by its own lib function (wired in ./main.ts). */
export type StoreLibs = {
  common: CommonLib;
  board: BoardLib;
  api: ApiLib;
  log: LogLib;
  feed: FeedLib;
  alert: AlertLib;
  boardView: BoardViewLib;
  day: DayLib;
  orders: OrdersLib;
  menu: MenuLib;
  login: LoginLib;
};

/**
 * The store client's session: which store is open, what it saved, the board kept in step with the
 * feed and GET /store/orders, and the switch between the login and day views. The parts it wires
 * together come in `l` (built in ./main.ts).
 */
export function storeClient(l: StoreLibs): void {
  const c = l.common;
  const body = document.body;
  const dayView = c.byId(ids.dayView);
  const storeName = c.byId(ids.storeName);
  const tabs = c.byId(ids.tabs);
  const tabButtons = Array.from(tabs.querySelectorAll<HTMLButtonElement>("[data-tab]"));
  const logoutButton = c.byId<HTMLButtonElement>(ids.logout);
  const boardEl = c.byId(ids.board);
  const menuView = c.byId(ids.menuView);

  // ---------- session state ----------
  const board = l.board.createBoard();
  let currentStore: string | null = null;
  let saved: Saved = l.feed.emptySaved();
  let daySeq = 0; // bumped whenever the board starts over (new day, reset)
  let syncSeq = 0;
  let syncTimer: ReturnType<typeof setTimeout> | undefined;
  let boardSynced = false; // the board holds GET /store/orders of its day
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let wake: WakeLockSentinel | null = null;

  // ---------- the parts ----------
  const api = l.api.createApi();
  const toast = c.createToast(c.byId(ids.toast));
  const confirm = c.createConfirmTap();
  const focus = c.createFocusReturn();
  const expired = () => showLogin(api.endedMessage());
  const loggedIn = () => Boolean(currentStore);
  const alert = l.alert.createAlert();
  const log = l.log.createLog();
  const drawers = l.log.createDrawers();
  const day = l.day.createDay({
    api,
    board,
    confirm,
    isReplaced: () => feed.isReplaced(),
    lastEventId: () => saved.lastEventId,
    loggedIn,
    onExpired: expired,
    onNoLiveDay: () => {
      if (board.size) clearBoard();
    },
  });
  const view = l.boardView.createBoardView(board, day.renderStats);
  const feed = l.feed.createFeed({
    api,
    lastEventId: () => saved.lastEventId,
    loggedIn,
    onExpired: expired,
    onEvent: onFeedEvent,
    onReset,
    onReplaced: day.setActions,
    onResumed: () => scheduleSync(500),
  });
  const orders = l.orders.createOrders({
    api,
    board,
    view,
    toast,
    focus,
    onExpired: expired,
    scheduleSave,
    scheduleSync,
  });
  const menu = l.menu.createMenu({ api, toast, confirm, focus, onExpired: expired });
  const login = l.login.createLogin({ api, onLogin: (id, name) => enterDay(id, name) });

  // ---------- saved state (per store) ----------
  const feedKey = () => `so:feed:${currentStore ?? ""}`;

  function saveNow() {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!currentStore) return;
    saved.dayId = board.dayId;
    saved.orders = board.list();
    c.storage.set(feedKey(), JSON.stringify(saved));
  }

  /** Rows, board and lastEventId are written together, so a reload never shows a row twice. */
  function scheduleSave() {
    if (saveTimer === undefined) saveTimer = setTimeout(saveNow, 100);
  }

  // ---------- the board, kept in step with the server ----------
  /** No live day: yesterday's orders are not this board's business. */
  function clearBoard() {
    board.clear(null);
    daySeq++;
    view.render();
    scheduleSave();
  }

  /** GET /store/day, then GET /store/orders merged into the board (never backwards). */
  async function syncBoard() {
    clearTimeout(syncTimer);
    const seq = ++syncSeq;
    const daysAt = daySeq;
    const r = await day.refresh();
    if (r === "login") return expired();
    if (r !== "ok" || seq !== syncSeq || !currentStore) return;
    if (!day.liveDayId) {
      if (board.size || board.dayId) clearBoard();
      boardSynced = true;
      return;
    }
    let snap: unknown;
    try {
      const res = await api.orders();
      if (res.status === 401) return expired();
      if (!res.ok) throw new Error(String(res.status));
      snap = await res.json();
    } catch {
      if (seq === syncSeq) syncTimer = setTimeout(() => void syncBoard(), 3000);
      return;
    }
    if (seq !== syncSeq || !currentStore) return;
    if (daysAt !== daySeq) {
      // The feed started another day meanwhile: this answer may be of the old one.
      syncTimer = setTimeout(() => void syncBoard(), 200);
      return;
    }
    if (!c.isObj(snap) || !Array.isArray(snap.orders)) return;
    const dayBefore = board.dayId;
    board.applySnapshot({
      dayId: typeof snap.dayId === "string" ? snap.dayId : null,
      orders: snap.orders,
    });
    if (board.dayId !== dayBefore) daySeq++;
    boardSynced = true;
    view.render();
    scheduleSave();
  }

  function scheduleSync(ms = 300) {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(() => void syncBoard(), ms);
  }

  // ---------- feed events ----------
  /** A new paid order reached the board: sound, title, highlight. */
  function alertNewOrder(o: BoardOrder) {
    view.markFresh(o.id);
    alert.newOrder(o.pickupNumber);
  }

  function onFeedEvent(type: string, ev: MessageEvent<string>) {
    const id = ev.lastEventId;
    if (id && !l.board.isNewer(id, saved.lastEventId)) return; // never apply an entry twice
    let data: Json = {};
    try {
      const parsed: unknown = JSON.parse(ev.data);
      if (c.isObj(parsed)) data = parsed;
    } catch {
      // keep {}: the row still shows what kind of event it was
    }
    const prev: DayState | null = saved.state;
    let setsState = true;
    if (type === "ready") saved.state = "READY";
    else if (type === "state" && c.isState(data.state)) saved.state = data.state;
    else if (type === "closed") saved.state = null;
    else setsState = false;

    // The board first: the log row can then name the order by its pickup number.
    const dayBefore = board.dayId;
    const known = type === "order.paid" ? board.get(c.str(l.log.orderOf(data).orderId)) : undefined;
    const applied = board.applyEvent(type, data, id ? l.board.dayOfEventId(id) : board.dayId);
    if (board.dayId !== dayBefore) {
      // A new day on the board: GET /store/orders confirms it is empty (or catches up).
      daySeq++;
      boardSynced = false;
      scheduleSync();
    }

    const row = l.log.makeRow(type, id, data, prev, (o) => l.log.pickupOf(o, board, saved.rows));
    saved.rows.unshift(row);
    if (saved.rows.length > l.log.MAX_ROWS) saved.rows.length = l.log.MAX_ROWS;
    if (id) saved.lastEventId = id;
    log.prepend(row);

    const order = applied.order;
    if (type === "order.paid" && order && !known && order.status === "PAID") {
      // Every order this screen has not seen is news (also those paid while it was offline and
      // resent on resume), except the day's old orders replayed after a reset or a fresh start.
      if (feed.isNews(order.paidAt)) alertNewOrder(order);
      // At once; GET /store/day below confirms.
      if (boardSynced) day.countOrder(order.totalAmount ?? 0);
    }
    if (order && !order.complete) scheduleSync(); // a move of an order we never saw paid
    if (applied.changed || type === "ready") view.render();
    scheduleSave();

    if (setsState) {
      day.feedState(saved.state);
      day.feedCaughtUp();
    }
    day.scheduleRefresh();
  }

  /** The feed starts the day over (its stream was trimmed or replaced): so does the screen. */
  function onReset(ev: MessageEvent<string>) {
    saved = l.feed.emptySaved();
    board.clear(null);
    daySeq++;
    boardSynced = false;
    log.render(saved.rows);
    view.render();
    saveNow();
    let dayId: unknown = null;
    try {
      const parsed: unknown = JSON.parse(ev.data);
      if (c.isObj(parsed)) dayId = parsed.dayId;
    } catch {
      // no day id: what follows rebuilds the board anyway
    }
    // No live day: nothing will follow, so the badge is "영업 전" now.
    if (!dayId) day.feedState(null);
    // The feed replays the whole day next; GET /store/orders rebuilds the board meanwhile.
    scheduleSync(100);
  }

  // ---------- views ----------
  function showTab(tab: "board" | "menu") {
    body.dataset.tab = tab;
    boardEl.hidden = tab !== "board";
    menuView.hidden = tab !== "menu";
    for (const b of tabButtons) b.setAttribute("aria-pressed", String(b.dataset.tab === tab));
    if (tab === "menu") void menu.load();
  }

  async function keepAwake() {
    try {
      if (!currentStore || wake || document.visibilityState !== "visible") return;
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
    if (currentStore !== storeId) {
      currentStore = storeId;
      saved = l.feed.parseSaved(c.storage.get(feedKey()));
      board.load(saved.dayId, saved.orders);
      boardSynced = false;
      daySeq++;
    }
    body.dataset.view = "day";
    login.show(false);
    dayView.hidden = false;
    tabs.hidden = false;
    alert.showButton(true);
    logoutButton.hidden = false;
    storeName.textContent = name;
    day.showMsg("");
    log.render(saved.rows);
    view.render();
    alert.renderSound();
    showTab("board");
    day.setBadge(shown === undefined ? saved.state : shown);
    feed.start();
    void syncBoard();
    void keepAwake();
  }

  function showLogin(message = "", tone: "error" | "ok" = "error") {
    saveNow();
    feed.stop();
    currentStore = null;
    day.reset();
    clearTimeout(syncTimer);
    syncSeq++;
    alert.stopFlash();
    void wake?.release();
    body.dataset.view = "login";
    dayView.hidden = true;
    orders.hide();
    menu.hide();
    login.show(true);
    tabs.hidden = true;
    alert.showButton(false);
    logoutButton.hidden = true;
    storeName.textContent = "";
    login.prefill();
    login.showMsg(message, tone);
  }

  async function logout() {
    if (!confirm.confirmTap(logoutButton, "한 번 더 누르면 로그아웃")) return;
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

  // ---------- wiring ----------
  logoutButton.addEventListener("click", () => void logout());
  for (const b of tabButtons)
    b.addEventListener("click", () => showTab(b.dataset.tab === "menu" ? "menu" : "board"));
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape") return;
    if (!orders.escape() && !menu.escape()) drawers.escape();
  });
  document.addEventListener("visibilitychange", () => {
    void keepAwake();
    if (document.visibilityState !== "visible" || !currentStore) return;
    // Back from sleep: ages and numbers may be old; the feed reconnects on its own.
    view.tickAges();
    day.scheduleRefresh();
  });
  window.addEventListener("pagehide", saveNow);
  setInterval(view.tickAges, 15_000);

  // The server rendered the view it believes in; GET /store/day decides.
  const ssrStore = body.dataset.storeId ?? "";
  const ssrName = body.dataset.storeName ?? "";
  login.prefill();
  alert.renderSound();
  const ssrState = day.shownState();
  if (ssrStore) enterDay(ssrStore, ssrName, c.isState(ssrState) ? ssrState : null);
  else {
    void api
      .probe()
      .then((res) => {
        const remembered = login.remembered();
        if (res.ok && remembered.storeId) enterDay(remembered.storeId, remembered.name);
      })
      .catch(() => undefined);
  }
}
