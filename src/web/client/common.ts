import { storePageIds as ids, type StorePageId } from "../../shared/storePageIds.ts";
/**
 * Small helpers every part of the store client uses: value checks, Korean formatting (won, times,
 * state labels), DOM shortcuts, localStorage, the toast, the two-tap confirm and the dialogs'
 * focus return.
 */

export type Json = Record<string, unknown>;
export type DayState = "READY" | "OPEN" | "BREAK" | "CLOSING";
export type Tone = "ok" | "error";

export const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null;
export const num = (v: unknown): number | null =>
  typeof v === "number" && Number.isFinite(v) ? v : null;
export const str = (v: unknown): string =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
export const isState = (v: unknown): v is DayState =>
  v === "READY" || v === "OPEN" || v === "BREAK" || v === "CLOSING";

/** The day's state as the badge names it (NONE: no live day). */
export const STATE_LABEL: Record<string, string> = {
  NONE: "영업 전",
  READY: "준비",
  OPEN: "영업 중",
  BREAK: "휴식 중",
  CLOSING: "마감 중",
};
export const ORDER_STATE_LABEL: Record<string, string> = {
  PAID: "신규",
  ACCEPTED: "준비 중",
  READY: "픽업 대기",
  PICKED_UP: "픽업 완료",
  CANCELING: "취소 처리 중",
  CANCELED: "취소",
};

// ---------- formatting (ko-KR, Seoul time) ----------
export const won = (n: number) => `${n.toLocaleString("ko-KR")}원`;
const timeFmt = new Intl.DateTimeFormat("ko-KR", {
  hour: "numeric",
  minute: "2-digit",
  second: "2-digit",
  timeZone: "Asia/Seoul",
});
const shortTimeFmt = new Intl.DateTimeFormat("ko-KR", {
  hour: "numeric",
  minute: "2-digit",
  timeZone: "Asia/Seoul",
});
export const fmtTime = (ms: number) => timeFmt.format(new Date(ms));
export const fmtShort = (ms: number) => shortTimeFmt.format(new Date(ms));

// ---------- DOM ----------
export const byId = <T extends HTMLElement = HTMLElement>(id: StorePageId): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el as T;
};
export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

/** A message line: its text, its tone (`data-tone`), hidden when empty. */
export function setMsg(target: HTMLElement, text: string, tone: string) {
  target.textContent = text;
  target.dataset.tone = tone;
  target.hidden = !text;
}

export const storage = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string) {
    try {
      localStorage.setItem(key, value);
    } catch {
      // storage full or disabled: the screen still works, it just forgets on reload
    }
  },
};

// ---------- the toast: the short note at the bottom (`#toast`), shown for 4 s ----------
let toastTimer: ReturnType<typeof setTimeout> | undefined;

export function showToast(text: string, tone: Tone = "ok") {
  const toast = byId(ids.toast);
  toast.textContent = text;
  toast.dataset.tone = tone;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    toast.hidden = true;
  }, 4000);
}

export function hideToast() {
  byId(ids.toast).hidden = true;
}

// ---------- destructive buttons ask for a second tap instead of a blocking dialog ----------
const armed = new Map<HTMLButtonElement, ReturnType<typeof setTimeout>>();

export function disarm(button: HTMLButtonElement) {
  const timer = armed.get(button);
  if (timer === undefined) return;
  clearTimeout(timer);
  armed.delete(button);
  button.textContent = button.dataset.label ?? button.textContent;
  button.classList.remove("armed");
}

/** True on the second tap; the first shows `prompt` on the button for 4 s. */
export function confirmTap(button: HTMLButtonElement, prompt: string): boolean {
  if (armed.has(button)) {
    disarm(button);
    return true;
  }
  button.dataset.label = button.textContent ?? "";
  button.textContent = prompt;
  button.classList.add("armed");
  armed.set(
    button,
    setTimeout(() => disarm(button), 4000),
  );
  return false;
}

// ---------- where the focus goes back when a dialog closes (one for all the page's dialogs) ----------
let lastFocus: HTMLElement | null = null;

export function rememberFocus() {
  lastFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
}

export function restoreFocus() {
  lastFocus?.focus();
}
