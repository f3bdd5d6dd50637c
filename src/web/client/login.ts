import { storePageIds as ids } from "../../shared/storePageIds.ts";
import type { Api, ApiLib } from "./api.ts";
import type { CommonLib } from "./common.ts";

type Location = { lat: number; lng: number; accuracy: number };

/**
 * The login view: store id, PIN and this device's token (kept on the device after the first
 * login), the location check, and the Korean messages for what can go wrong.
 */
export function loginLib(c: CommonLib, apiLib: ApiLib) {
  const KEY_STORE = "so:storeId";
  const KEY_DEVICE = "so:deviceToken";
  const KEY_NAME = "so:storeName";

  /** Why the location could not be read; `code` is the GeolocationPositionError's. */
  function geoMessage(code: number | null, secure: boolean): string {
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

  type LoginDeps = {
    api: Api;
    /** logged in: open the store's day view */
    onLogin: (storeId: string, storeName: string) => void;
  };

  function createLogin(d: LoginDeps) {
    const loginView = c.byId(ids.loginView);
    const loginForm = c.byId<HTMLFormElement>(ids.loginForm);
    const storeIdInput = c.byId<HTMLInputElement>(ids.storeId);
    const pinInput = c.byId<HTMLInputElement>(ids.pin);
    const tokenInput = c.byId<HTMLInputElement>(ids.deviceToken);
    const tokenField = c.byId(ids.deviceField);
    const tokenSaved = c.byId(ids.deviceSaved);
    const tokenHint = c.byId(ids.deviceHint);
    const tokenChange = c.byId<HTMLButtonElement>(ids.deviceChange);
    const loginButton = c.byId<HTMLButtonElement>(ids.loginSubmit);
    const loginMsg = c.byId(ids.loginMsg);

    function showMsg(text: string, tone: "error" | "ok" = "error") {
      c.setMsg(loginMsg, text, tone);
    }

    /** The store id and the device token this device remembers. */
    function prefill() {
      const sid = c.storage.get(KEY_STORE);
      if (sid && !storeIdInput.value) storeIdInput.value = sid;
      const token = c.storage.get(KEY_DEVICE);
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
      const deviceToken = tokenInput.value.trim() || c.storage.get(KEY_DEVICE) || "";
      if (!storeId) return showMsg("매장 ID를 입력해 주세요.");
      if (!pin) return showMsg("PIN을 입력해 주세요.");
      if (!deviceToken) return showMsg("기기 토큰을 입력해 주세요.");
      showMsg("");
      loginButton.disabled = true;
      try {
        loginButton.textContent = "위치 확인 중…";
        let location: Location;
        try {
          location = await locate();
        } catch (err) {
          return showMsg(geoMessage(c.isObj(err) ? c.num(err.code) : null, window.isSecureContext));
        }
        loginButton.textContent = "로그인 중…";
        let res: Response;
        try {
          res = await d.api.login({ storeId, pin, deviceToken, location });
        } catch {
          return showMsg(apiLib.MSG_NETWORK);
        }
        if (!res.ok) {
          const e = await apiLib.errorBody(res);
          return showMsg(apiLib.loginError(res.status, e, tokenField.hidden));
        }
        const ok = (await res.json()) as { storeId: string; storeName: string };
        c.storage.set(KEY_STORE, ok.storeId);
        c.storage.set(KEY_DEVICE, deviceToken);
        c.storage.set(KEY_NAME, ok.storeName);
        pinInput.value = "";
        d.onLogin(ok.storeId, ok.storeName);
      } finally {
        loginButton.disabled = false;
        loginButton.textContent = "로그인";
      }
    }

    loginForm.addEventListener("submit", (ev) => void onSubmit(ev as SubmitEvent));
    tokenChange.addEventListener("click", () => {
      tokenSaved.hidden = true;
      tokenField.hidden = false;
      tokenInput.required = true;
      tokenInput.focus();
    });

    return {
      prefill,
      /** Shows or hides the login view (with its message). */
      show(shown: boolean) {
        loginView.hidden = !shown;
      },
      showMsg,
      /** The store this device last logged in to, and its name. */
      remembered: () => ({
        storeId: c.storage.get(KEY_STORE),
        name: c.storage.get(KEY_NAME) ?? "",
      }),
    };
  }

  return { geoMessage, createLogin };
}

export type LoginLib = ReturnType<typeof loginLib>;
export type Login = ReturnType<LoginLib["createLogin"]>;
