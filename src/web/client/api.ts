import { storeApi } from "../../shared/apiPaths.ts";
import { type ErrorCode, isErrorCode } from "../../shared/errors.ts";
import { isObj, type Json, num, ORDER_STATE_LABEL, STATE_LABEL, str } from "./common.ts";

/**
 * The store API as the counter screen calls it: one function per request (each answers the raw
 * Response; the caller decides what a 401 or an error means), the server's clock, and the Korean
 * messages for the API's error codes.
 */

export const MSG_EXPIRED = "로그인이 끝났습니다. 다시 로그인해 주세요.";
export const MSG_REPLACED =
  "다른 기기에서 로그인해 이 화면은 닫혔습니다. 여기서 다시 로그인하면 그 기기의 화면이 닫힙니다.";
export const MSG_NETWORK = "서버에 연결할 수 없습니다. 인터넷 연결을 확인해 주세요.";
const ACCEPT = { accept: "application/json" };
const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };

let skew = 0; // the server's clock minus this device's, from a Date header (±1 s)
let endedBy: ErrorCode | null = null; // the last 401's error code: why the session ended

/** Every request goes here, so whichever part meets the 401 first, the screen knows why. */
async function call(path: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(path, init);
  if (res.status === 401) endedBy = errorCode(await errorBody(res.clone()));
  return res;
}
const get = (path: string) => call(path, { headers: ACCEPT });
const post = (path: string, body?: unknown) =>
  call(path, {
    method: "POST",
    headers: JSON_HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** The server's clock from an answer's Date header (whole seconds: the middle of it). */
function learnSkew(res: Response, sentAt: number) {
  const date = Date.parse(res.headers.get("date") ?? "");
  if (Number.isFinite(date)) skew = date + 500 - (sentAt + Date.now()) / 2;
}

export const serverNow = () => Date.now() + skew;
/** GET /store/day, learning the server's clock from the answer. */
export async function day(): Promise<Response> {
  const sentAt = Date.now();
  const res = await get(storeApi.day);
  learnSkew(res, sentAt);
  return res;
}
/** GET /store/day only to learn whether the session is still valid. */
export const probe = () => get(storeApi.day);
export const dayAction = (action: string, lastEventId: string | null) =>
  post(storeApi.dayAction(action), action === "close" ? { lastEventId } : undefined);
export const orders = () => get(storeApi.orders);
export const moveOrder = (id: string, op: string) => post(storeApi.orderMove(id, op));
export const cancelOrder = (id: string, reason: string) =>
  post(storeApi.orderMove(id, "cancel"), { reason });
export const menu = () => get(storeApi.menu);
export const createItem = (payload: Json) => post(storeApi.menuItems, payload);
export const patchItem = (id: string, payload: Json) =>
  call(storeApi.menuItem(id), {
    method: "PATCH",
    headers: JSON_HEADERS,
    body: JSON.stringify(payload),
  });
export const deleteItem = (id: string) => call(storeApi.menuItem(id), { method: "DELETE" });
export async function login(body: Json): Promise<Response> {
  const res = await post(storeApi.login, body);
  if (res.ok) endedBy = null;
  return res;
}
export const logout = () => call(storeApi.logout, { method: "POST" });
/** What to tell the staff when a request met a 401: another login, or just the end. */
export const endedMessage = () => (endedBy === "session_replaced" ? MSG_REPLACED : MSG_EXPIRED);
/** POST /store/menu/order: `{categories}` and/or `{items}` in their new order. */
export const menuOrder = (payload: Json) => post(storeApi.menuOrder, payload);

/** An error answer's JSON body, or {} when it has none. */
export async function errorBody(res: Response): Promise<Json> {
  try {
    const v: unknown = await res.json();
    return isObj(v) ? v : {};
  } catch {
    return {};
  }
}

/** An error body's code, typed by the shared catalogue (null when it names none we know). */
export const errorCode = (e: Json): ErrorCode | null => (isErrorCode(e.error) ? e.error : null);

/** A failed day transition (POST /store/day/:action). */
export function dayError(status: number, e: Json): string {
  switch (errorCode(e)) {
    case "invalid_transition":
      return `지금 상태(${STATE_LABEL[str(e.state) || "NONE"] ?? str(e.state)})에서는 할 수 없습니다. 화면을 최신 상태로 맞췄습니다.`;
    case "client_behind":
      return `이 화면이 아직 받지 못한 알림이 ${num(e.missed) ?? "몇"}건 있습니다. 목록이 갱신된 뒤 다시 눌러 주세요.`;
    case "orders_open": {
      const ns = Array.isArray(e.pickupNumbers) ? e.pickupNumbers.map(str).filter(Boolean) : [];
      const which = ns.length ? ` (${ns.map((n) => `${n}번`).join(", ")})` : "";
      return `아직 끝나지 않은 주문이 있습니다${which}. 픽업 완료 또는 취소한 뒤 영업을 종료해 주세요.`;
    }
    case "invalid_last_event_id":
      return "실시간 목록이 아직 준비되지 않았습니다. 잠시 후 다시 시도해 주세요.";
    case "conflict":
      return "다른 요청과 겹쳤습니다. 다시 시도해 주세요.";
    default:
      return str(e.message) || `요청을 처리하지 못했습니다 (${status}).`;
  }
}

/** A failed order move or cancel; `which` names the order ("7번", or "이"). */
export function orderError(which: string, status: number, e: Json): string {
  switch (errorCode(e)) {
    case "invalid_transition":
      return `${which} 주문은 이미 ‘${ORDER_STATE_LABEL[str(e.state)] ?? str(e.state)}’ 상태입니다. 화면을 최신 상태로 맞췄습니다.`;
    case "not_found":
      return `${which} 주문을 찾을 수 없습니다. 화면을 새로 맞췄습니다.`;
    case "payment_provider":
      return "카카오페이가 환불을 확인해 주지 않아 주문은 그대로입니다. 잠시 후 다시 시도해 주세요.";
    case "cancel_in_progress":
      return `${which} 주문은 지금 취소가 진행 중입니다. 잠시 후 확인해 주세요.`;
    case "invalid_input":
      return "취소 사유를 200자 이내로 적어 주세요.";
    default:
      return str(e.message) || `요청을 처리하지 못했습니다 (${status}).`;
  }
}

/** How many more wrong PINs the lockout allows, as the wrong-PIN message ends. */
function attemptsNote(left: number | null): string {
  if (left === null) return "";
  if (left <= 0)
    return " 로그인 실패가 5번이라 10분 동안 잠겼습니다. 10분 후에 다시 시도해 주세요.";
  return ` 남은 시도 ${left}번: 모두 틀리면 10분 동안 잠깁니다.`;
}

/** A failed login; `tokenSaved`: the device token came from this device, not the form. */
export function loginError(status: number, e: Json, tokenSaved: boolean): string {
  switch (errorCode(e)) {
    case "invalid_credentials":
      return (
        (tokenSaved
          ? "PIN 또는 기기 정보가 맞지 않습니다. 기기가 바뀌었다면 ‘기기 변경’을 눌러 기기 토큰을 다시 입력해 주세요."
          : "PIN 또는 기기 토큰이 맞지 않습니다.") + attemptsNote(num(e.attemptsLeft))
      );
    case "too_far": {
      const d = num(e.distanceM);
      const r = num(e.radiusM);
      const dist = d === null ? "" : d >= 1000 ? `${(d / 1000).toFixed(1)}km` : `${Math.round(d)}m`;
      return `매장에서${dist ? ` 약 ${dist}` : ""} 떨어져 있습니다. 매장${r === null ? " 근처" : ` ${r}m 안`}에서 로그인해 주세요.`;
    }
    case "session_active":
      return "다른 기기에서 이 매장에 이미 로그인되어 있습니다. 그 기기에서 로그아웃한 뒤 다시 시도해 주세요.";
    case "too_many_attempts": {
      const s = num(e.retryAfterSeconds);
      const min = s === null ? 10 : Math.max(1, Math.ceil(s / 60));
      return `로그인 실패가 너무 많아 잠시 잠겼습니다. ${min}분 후에 다시 시도해 주세요.`;
    }
    case "invalid_input":
      return `입력한 값을 확인해 주세요. (${str(e.message)})`;
    default:
      return str(e.message) || `로그인하지 못했습니다 (${status}).`;
  }
}
