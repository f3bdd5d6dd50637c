import { createBoard } from "./board.ts";
import { type DayState, isObj, isState, storage } from "./common.ts";
import { isRow, MAX_ROWS, type Row } from "./log.ts";

/**
 * The session's state, shared by the parts of the page: which store is open, the board of its
 * day, and what the screen remembers of it (localStorage) to resume after a reload.
 */

/** What the screen remembers per store (localStorage), written together so it stays consistent. */
export type Saved = {
  lastEventId: string | null;
  state: DayState | null;
  rows: Row[];
  dayId: string | null;
  orders: unknown[];
};

export const emptySaved = (): Saved => ({
  lastEventId: null,
  state: null,
  rows: [],
  dayId: null,
  orders: [],
});

/** The saved state from its JSON (null: nothing saved); anything unreadable counts as nothing. */
export function parseSaved(raw: string | null): Saved {
  const empty = emptySaved();
  if (!raw) return empty;
  try {
    const v: unknown = JSON.parse(raw);
    if (!isObj(v) || !Array.isArray(v.rows)) return empty;
    return {
      lastEventId: typeof v.lastEventId === "string" ? v.lastEventId : null,
      state: isState(v.state) ? v.state : null,
      rows: v.rows.filter(isRow).slice(0, MAX_ROWS),
      dayId: typeof v.dayId === "string" ? v.dayId : null,
      orders: Array.isArray(v.orders) ? v.orders : [],
    };
  } catch {
    return empty;
  }
}

/** The open store's order board (one per page). */
export const board = createBoard();
let currentStore: string | null = null;
let saved: Saved = emptySaved();
let saveTimer: ReturnType<typeof setTimeout> | undefined;
let sessionEnds = (): void => undefined;

export const loggedIn = () => Boolean(currentStore);
/** What this screen saved of the open store (its fields are the screen's to change). */
export const savedState = () => saved;
/** The last feed event this screen applied (the feed resumes after it; 영업 종료 sends it). */
export const lastEventId = () => saved.lastEventId;

const feedKey = () => `so:feed:${currentStore ?? ""}`;

/** Opens `storeId`'s session; true when it is another store than the one open (its saved state is loaded). */
export function openStore(storeId: string): boolean {
  if (currentStore === storeId) return false;
  currentStore = storeId;
  saved = parseSaved(storage.get(feedKey()));
  board.load(saved.dayId, saved.orders);
  return true;
}

/** Back to the login view: what the store's screen showed is saved, then forgotten. */
export function closeStore() {
  saveNow();
  currentStore = null;
}

/** The feed starts the day over: so does what the screen saved. */
export function forgetSaved() {
  saved = emptySaved();
}

export function saveNow() {
  clearTimeout(saveTimer);
  saveTimer = undefined;
  if (!currentStore) return;
  saved.dayId = board.dayId;
  saved.orders = board.list();
  storage.set(feedKey(), JSON.stringify(saved));
}

/** Rows, board and lastEventId are written together, so a reload never shows a row twice. */
export function scheduleSave() {
  if (saveTimer === undefined) saveTimer = setTimeout(saveNow, 100);
}

/** A request met a 401: the page goes back to the login view (./storeClient.ts says how). */
export function endSession() {
  sessionEnds();
}

/** Set once by ./storeClient.ts, the part that owns the views (the parts below it cannot import it). */
export function whenSessionEnds(handler: () => void) {
  sessionEnds = handler;
}
