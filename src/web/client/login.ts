import { storePageIds as ids } from "../../shared/storePageIds.ts";
import * as api from "./api.ts";
import { byId, isObj, num, setMsg, storage } from "./common.ts";

type Location = { lat: number; lng: number; accuracy: number };

/**
 * The login view: store id, PIN and this device's token (kept on the device after the first
 * login), the location check, and the Korean messages for what can go wrong.
 */

const KEY_STORE = "so:storeId";
const KEY_DEVICE = "so:deviceToken";
const KEY_NAME = "so:storeName";

/** Why the location could not be read; `code` is the GeolocationPositionError's. */
export function geoMessage(code: number | null, secure: boolean): string {
  if (!secure)
    return "위치 권한이 필요합니다. 위치 확인은 보안 연결(https://)에서만 동작하니 https 주소로 접속해 주세요.";
  if (code === 1)
    return "위치 권한이 필요합니다. 브라우저(또는 기기) 설정에서 이 사이트의 위치 접근을 허용한 뒤 다시 로그인해 주세요.";
  if (code === 2)
    return "위치 권한은 있지만 현재 위치를 확인할 수 없습니다. GPS와 Wi-Fi를 켜고 다시 시도해 주세요.";
  if (code === 3)
    return "위치 확인 시간이 초과되었습니다. 신호가 잘 잡히는 곳에서 다시 시도해 주세요.";
  return "위치 권한이 필요합니다. 이 브라우저에서는 위치를 확인할 수 없습니다.";
}

function locate(): Promise<Location> {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) {
      reject(new Error("unsupported"));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy }),
      reject,
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
    );
  });
}

let onLogin: (storeId: string, storeName: string) => void;
let loginView: HTMLElement;
let loginForm: HTMLFormElement;
let storeIdInput: HTMLInputElement;
let pinInput: HTMLInputElement;
let tokenInput: HTMLInputElement;
let tokenField: HTMLElement;
let tokenSaved: HTMLElement;
let tokenHint: HTMLElement;
let tokenChange: HTMLButtonElement;
let loginButton: HTMLButtonElement;
let loginMsg: HTMLElement;

export function showLoginMsg(text: string, tone: "error" | "ok" = "error") {
  setMsg(loginMsg, text, tone);
}

/** The store id and the device token this device remembers. */
export function prefill() {
  const sid = storage.get(KEY_STORE);
  if (sid && !storeIdInput.value) storeIdInput.value = sid;
  const token = storage.get(KEY_DEVICE);
  const hasToken = Boolean(token);
  tokenField.hidden = hasToken;
  tokenSaved.hidden = !hasToken;
  tokenInput.required = !hasToken;
  tokenInput.value = "";
  if (token) tokenHint.textContent = `등록된 기기 · 끝자리 ${token.slice(-4)}`;
}

async function onSubmit(ev: SubmitEvent) {
  ev.preventDefault();
  const storeId = storeIdInput.value.trim();
  const pin = pinInput.value.trim();
  const deviceToken = tokenInput.value.trim() || storage.get(KEY_DEVICE) || "";
  if (!storeId) return showLoginMsg("매장 ID를 입력해 주세요.");
  if (!pin) return showLoginMsg("PIN을 입력해 주세요.");
  if (!deviceToken) return showLoginMsg("기기 토큰을 입력해 주세요.");
  showLoginMsg("");
  loginButton.disabled = true;
  try {
    loginButton.textContent = "위치 확인 중…";
    let location: Location;
    try {
      location = await locate();
    } catch (err) {
      return showLoginMsg(geoMessage(isObj(err) ? num(err.code) : null, window.isSecureContext));
    }
    loginButton.textContent = "로그인 중…";
    let res: Response;
    try {
      res = await api.login({ storeId, pin, deviceToken, location });
    } catch {
      return showLoginMsg(api.MSG_NETWORK);
    }
    if (!res.ok) {
      const e = await api.errorBody(res);
      return showLoginMsg(api.loginError(res.status, e, tokenField.hidden));
    }
    const ok = (await res.json()) as { storeId: string; storeName: string };
    storage.set(KEY_STORE, ok.storeId);
    storage.set(KEY_DEVICE, deviceToken);
    storage.set(KEY_NAME, ok.storeName);
    pinInput.value = "";
    onLogin(ok.storeId, ok.storeName);
  } finally {
    loginButton.disabled = false;
    loginButton.textContent = "로그인";
  }
}

/** Finds the login form and listens to it (once, at page start); `whenLoggedIn` opens the store. */
export function startLogin(whenLoggedIn: (storeId: string, storeName: string) => void) {
  onLogin = whenLoggedIn;
  loginView = byId(ids.loginView);
  loginForm = byId<HTMLFormElement>(ids.loginForm);
  storeIdInput = byId<HTMLInputElement>(ids.storeId);
  pinInput = byId<HTMLInputElement>(ids.pin);
  tokenInput = byId<HTMLInputElement>(ids.deviceToken);
  tokenField = byId(ids.deviceField);
  tokenSaved = byId(ids.deviceSaved);
  tokenHint = byId(ids.deviceHint);
  tokenChange = byId<HTMLButtonElement>(ids.deviceChange);
  loginButton = byId<HTMLButtonElement>(ids.loginSubmit);
  loginMsg = byId(ids.loginMsg);
  loginForm.addEventListener("submit", (ev) => void onSubmit(ev as SubmitEvent));
  tokenChange.addEventListener("click", () => {
    tokenSaved.hidden = true;
    tokenField.hidden = false;
    tokenInput.required = true;
    tokenInput.focus();
  });
}

/** Shows or hides the login view (with its message). */
export function showLoginView(shown: boolean) {
  loginView.hidden = !shown;
}

/** The store this device last logged in to, and its name. */
export const remembered = () => ({
  storeId: storage.get(KEY_STORE),
  name: storage.get(KEY_NAME) ?? "",
});
