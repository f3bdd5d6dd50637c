import { alertNewOrder } from "./alert.ts";
import * as api from "./api.ts";
import { type BoardOrder, dayOfEventId, isNewer } from "./board.ts";
import { markFresh, renderBoard } from "./boardView.ts";
import { type DayState, isObj, isState, type Json, str } from "./common.ts";
import { countOrder, feedCaughtUp, feedState, liveDayId, refreshDay } from "./day.ts";
import { isNews } from "./feed.ts";
import { MAX_ROWS, makeRow, orderOf, pickupOf, prependRow, renderLog } from "./log.ts";
import {
  board,
  endSession,
  forgetSaved,
  loggedIn,
  savedState,
  saveNow,
  scheduleSave,
} from "./session.ts";

/**
 * The board kept in step with the server: feed events applied as they come (the board, the log,
 * the alert, the day bar), and GET /store/day + GET /store/orders merged in whenever the feed
 * cannot tell everything (a new day, a resume, a refused move).
 */

let daySeq = 0; // bumped whenever the board starts over (new day, reset)
let syncSeq = 0;
let syncTimer: ReturnType<typeof setTimeout> | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let boardSynced = false; // the board holds GET /store/orders of its day

/** No live day: yesterday's orders are not this board's business. */
function clearBoard() {
  board.clear(null);
  daySeq++;
  renderBoard();
  scheduleSave();
}

/** Another store's board (or its saved one) is shown: GET /store/orders has not confirmed it yet. */
export function boardStartsOver() {
  boardSynced = false;
  daySeq++;
}

/** GET /store/day, then GET /store/orders merged into the board (never backwards). */
export async function syncBoard() {
  clearTimeout(syncTimer);
  const seq = ++syncSeq;
  const daysAt = daySeq;
  const r = await refreshDay();
  if (r === "login") return endSession();
  if (r !== "ok" || seq !== syncSeq || !loggedIn()) return;
  if (!liveDayId()) {
    if (board.size || board.dayId) clearBoard();
    boardSynced = true;
    return;
  }
  let snap: unknown;
  try {
    const res = await api.orders();
    if (res.status === 401) return endSession();
    if (!res.ok) throw new Error(String(res.status));
    snap = await res.json();
  } catch {
    if (seq === syncSeq) syncTimer = setTimeout(() => void syncBoard(), 3000);
    return;
  }
  if (seq !== syncSeq || !loggedIn()) return;
  if (daysAt !== daySeq) {
    // The feed started another day meanwhile: this answer may be of the old one.
    syncTimer = setTimeout(() => void syncBoard(), 200);
    return;
  }
  if (!isObj(snap) || !Array.isArray(snap.orders)) return;
  const dayBefore = board.dayId;
  board.applySnapshot({
    dayId: typeof snap.dayId === "string" ? snap.dayId : null,
    orders: snap.orders,
  });
  if (board.dayId !== dayBefore) daySeq++;
  boardSynced = true;
  renderBoard();
  scheduleSave();
}

export function scheduleSync(ms = 300) {
  clearTimeout(syncTimer);
  syncTimer = setTimeout(() => void syncBoard(), ms);
}

/** At most one GET /store/day per 400 ms, however busy the feed is (a throttle, not a debounce). */
export function scheduleDayRefresh() {
  if (refreshTimer !== undefined) return;
  refreshTimer = setTimeout(async () => {
    refreshTimer = undefined;
    const r = await refreshDay();
    if (r === "login") return endSession();
    // A scheduled GET /store/day found no live day.
    if (r === "ok" && !liveDayId() && board.size) clearBoard();
  }, 400);
}

/** Back to the login view: no answer still on its way changes the board. */
export function stopSync() {
  clearTimeout(syncTimer);
  syncSeq++;
  clearTimeout(refreshTimer);
  refreshTimer = undefined;
}

/** A new paid order reached the board: sound, title, highlight. */
function newOrder(o: BoardOrder) {
  markFresh(o.id);
  alertNewOrder(o.pickupNumber);
}

/** One feed event: the board, then the log, the alert and the day bar. */
export function onFeedEvent(type: string, ev: MessageEvent<string>) {
  const saved = savedState();
  const id = ev.lastEventId;
  if (id && !isNewer(id, saved.lastEventId)) return; // never apply an entry twice
  let data: Json = {};
  try {
    const parsed: unknown = JSON.parse(ev.data);
    if (isObj(parsed)) data = parsed;
  } catch {
    // keep {}: the row still shows what kind of event it was
  }
  const prev: DayState | null = saved.state;
  let setsState = true;
  if (type === "ready") saved.state = "READY";
  else if (type === "state" && isState(data.state)) saved.state = data.state;
  else if (type === "closed") saved.state = null;
  else setsState = false;

  // The board first: the log row can then name the order by its pickup number.
  const dayBefore = board.dayId;
  const known = type === "order.paid" ? board.get(str(orderOf(data).orderId)) : undefined;
  const applied = board.applyEvent(type, data, id ? dayOfEventId(id) : board.dayId);
  if (board.dayId !== dayBefore) {
    // A new day on the board: GET /store/orders confirms it is empty (or catches up).
    daySeq++;
    boardSynced = false;
    scheduleSync();
  }

  const row = makeRow(type, id, data, prev, (o) => pickupOf(o, board, saved.rows));
  saved.rows.unshift(row);
  if (saved.rows.length > MAX_ROWS) saved.rows.length = MAX_ROWS;
  if (id) saved.lastEventId = id;
  prependRow(row);

  const order = applied.order;
  if (type === "order.paid" && order && !known && order.status === "PAID") {
    // Every order this screen has not seen is news (also those paid while it was offline and
    // resent on resume), except the day's old orders replayed after a reset or a fresh start.
    if (isNews(order.paidAt)) newOrder(order);
    // At once; GET /store/day below confirms.
    if (boardSynced) countOrder(order.totalAmount ?? 0);
  }
  if (order && !order.complete) scheduleSync(); // a move of an order we never saw paid
  if (applied.changed || type === "ready") renderBoard();
  scheduleSave();

  if (setsState) {
    feedState(saved.state);
    feedCaughtUp();
  }
  scheduleDayRefresh();
}

/** The feed starts the day over (its stream was trimmed or replaced): so does the screen. */
export function onFeedReset(ev: MessageEvent<string>) {
  forgetSaved();
  board.clear(null);
  daySeq++;
  boardSynced = false;
  renderLog(savedState().rows);
  renderBoard();
  saveNow();
  let dayId: unknown = null;
  try {
    const parsed: unknown = JSON.parse(ev.data);
    if (isObj(parsed)) dayId = parsed.dayId;
  } catch {
    // no day id: what follows rebuilds the board anyway
  }
  // No live day: nothing will follow, so the badge is "영업 전" now.
  if (!dayId) feedState(null);
  // The feed replays the whole day next; GET /store/orders rebuilds the board meanwhile.
  scheduleSync(100);
}
