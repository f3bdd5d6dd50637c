import type { StorePageId } from "../../shared/storePageIds.ts";
/**
 * Small helpers every part of the store client uses: value checks, Korean formatting (won, times,
 * state labels), DOM shortcuts, localStorage, the toast, the two-tap confirm and the dialogs'
 * focus return.
 */

export type Json = Record<string, unknown>;
export type DayState = "READY" | "OPEN" | "BREAK" | "CLOSING";
export type Tone = "ok" | "error";

export function commonLib() {
  const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null;
  const num = (v: unknown): number | null =>
    typeof v === "number" && Number.isFinite(v) ? v : null;
  const str = (v: unknown): string =>
    typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
  const isState = (v: unknown): v is DayState =>
    v === "READY" || v === "OPEN" || v === "BREAK" || v === "CLOSING";

  /** The day's state as the badge names it (NONE: no live day). */
  const STATE_LABEL: Record<string, string> = {
    NONE: "영업 전",
    READY: "준비",
    OPEN: "영업 중",
    BREAK: "휴식 중",
    CLOSING: "마감 중",
  };
  const ORDER_STATE_LABEL: Record<string, string> = {
    PAID: "신규",
    ACCEPTED: "준비 중",
    READY: "픽업 대기",
    PICKED_UP: "픽업 완료",
    CANCELING: "취소 처리 중",
    CANCELED: "취소",
  };

  // ---------- formatting (ko-KR, Seoul time) ----------
  const won = (n: number) => `${n.toLocaleString("ko-KR")}원`;
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
  const fmtTime = (ms: number) => timeFmt.format(new Date(ms));
  const fmtShort = (ms: number) => shortTimeFmt.format(new Date(ms));

  // ---------- DOM ----------
  const byId = <T extends HTMLElement = HTMLElement>(id: StorePageId): T => {
    const el = document.getElementById(id);
    if (!el) throw new Error(`#${id} is missing`);
    return el as T;
  };
  const el = <K extends keyof HTMLElementTagNameMap>(
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
  function setMsg(target: HTMLElement, text: string, tone: string) {
    target.textContent = text;
    target.dataset.tone = tone;
    target.hidden = !text;
  }

  const storage = {
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

  /** The short note at the bottom (`#toast`): shows for 4 s. */
  function createToast(toast: HTMLElement) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return {
      show(text: string, tone: Tone = "ok") {
        toast.textContent = text;
        toast.dataset.tone = tone;
        toast.hidden = false;
        clearTimeout(timer);
        timer = setTimeout(() => {
          toast.hidden = true;
        }, 4000);
      },
      hide() {
        toast.hidden = true;
      },
    };
  }

  /** Destructive buttons ask for a second tap instead of a blocking dialog. */
  function createConfirmTap() {
    const armed = new Map<HTMLButtonElement, ReturnType<typeof setTimeout>>();
    function disarm(button: HTMLButtonElement) {
      const timer = armed.get(button);
      if (timer === undefined) return;
      clearTimeout(timer);
      armed.delete(button);
      button.textContent = button.dataset.label ?? button.textContent;
      button.classList.remove("armed");
    }
    /** True on the second tap; the first shows `prompt` on the button for 4 s. */
    function confirmTap(button: HTMLButtonElement, prompt: string): boolean {
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
    return { confirmTap, disarm };
  }

  /** Where the focus goes back when a dialog closes (one for all the page's dialogs). */
  function createFocusReturn() {
    let lastFocus: HTMLElement | null = null;
    return {
      remember() {
        lastFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      },
      restore() {
        lastFocus?.focus();
      },
    };
  }

  return {
    isObj,
    num,
    str,
    isState,
    STATE_LABEL,
    ORDER_STATE_LABEL,
    won,
    fmtTime,
    fmtShort,
    byId,
    el,
    setMsg,
    storage,
    createToast,
    createConfirmTap,
    createFocusReturn,
  };
}

export type CommonLib = ReturnType<typeof commonLib>;
export type Toast = ReturnType<CommonLib["createToast"]>;
export type ConfirmTap = ReturnType<CommonLib["createConfirmTap"]>;
export type FocusReturn = ReturnType<CommonLib["createFocusReturn"]>;
