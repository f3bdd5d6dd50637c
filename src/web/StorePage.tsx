import { assets } from "./assets.ts";

/** What the server knows when it renders `/`: the logged-in store, if the cookie is live. */
export type PageSession = {
  storeId: string;
  storeName: string;
  /** The live day's state, or null when no day is live. */
  state: "READY" | "OPEN" | "BREAK" | "CLOSING" | null;
} | null;

const STATE_LABEL = {
  NONE: "영업 전",
  READY: "준비",
  OPEN: "영업 중",
  BREAK: "휴식 중",
  CLOSING: "마감 중",
} as const;

const ACTIONS = [
  { action: "ready", label: "영업 준비" },
  { action: "open", label: "영업 시작" },
  { action: "break", label: "휴식" },
  { action: "reopen", label: "영업 재개" },
  { action: "closing", label: "마감 준비" },
  { action: "close", label: "영업 종료" },
] as const;

/** The counter screen: login view and day view, both rendered; the client script toggles. */
export function StorePage({ session }: { session: PageSession }) {
  const loggedIn = session !== null;
  const state = session?.state ?? "NONE";
  return (
    <html lang="ko">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#1c1c1e" />
        <meta name="referrer" content="no-referrer" />
        <title>심플오더 · 매장 화면</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={assets["store.css"].path} />
        <script src={assets["store.js"].path} defer />
      </head>
      <body
        data-view={loggedIn ? "day" : "login"}
        data-store-id={session?.storeId ?? ""}
        data-store-name={session?.storeName ?? ""}
      >
        <header class="topbar">
          <div class="brand">
            <b>심플</b>오더
          </div>
          <div id="store-name" class="store-name">
            {session?.storeName ?? ""}
          </div>
          <span id="conn" class="conn" data-mode="connecting" role="status" hidden={!loggedIn}>
            연결 중…
          </span>
          <button id="logout" type="button" class="ghost" hidden={!loggedIn}>
            로그아웃
          </button>
        </header>

        <main>
          <noscript>
            <p class="msg">이 화면은 JavaScript가 필요합니다. 브라우저 설정에서 켜 주세요.</p>
          </noscript>

          <section id="login-view" class="login" hidden={loggedIn} aria-labelledby="login-title">
            <form id="login-form" class="card" novalidate autocomplete="on">
              <h1 id="login-title">매장 로그인</h1>
              <p class="lead">매장 안에서 로그인해 주세요. 현재 위치를 확인합니다.</p>

              <div class="field">
                <label for="store-id">매장 ID</label>
                <input
                  id="store-id"
                  name="storeId"
                  type="text"
                  autocomplete="username"
                  autocapitalize="off"
                  spellcheck={false}
                  required
                />
              </div>

              <div class="field">
                <label for="pin">PIN</label>
                <input
                  id="pin"
                  name="pin"
                  type="password"
                  inputmode="numeric"
                  pattern="[0-9]*"
                  maxlength={20}
                  autocomplete="current-password"
                  required
                />
              </div>

              <div id="device-field" class="field">
                <label for="device-token">기기 토큰</label>
                <input
                  id="device-token"
                  name="deviceToken"
                  type="text"
                  autocomplete="off"
                  autocapitalize="off"
                  spellcheck={false}
                />
                <small>처음 한 번만 입력하면 이 기기에 저장됩니다.</small>
              </div>

              <div id="device-saved" class="saved-device" hidden>
                <span id="device-hint">등록된 기기</span>
                <button id="device-change" type="button" class="link">
                  기기 변경
                </button>
              </div>

              <button id="login-submit" type="submit" class="primary">
                로그인
              </button>
              <p id="login-msg" class="msg" role="alert" hidden />
              <p class="hint">로그인하려면 위치 권한이 필요합니다.</p>
            </form>
          </section>

          <section id="day-view" class="day" hidden={!loggedIn}>
            <div class="panel controls">
              <h2>오늘의 영업</h2>
              <div id="state-badge" class="badge" data-state={state} aria-live="polite">
                {STATE_LABEL[state]}
              </div>
              <p id="day-summary" class="summary" />
              <div class="actions">
                {ACTIONS.map((a) => (
                  <button type="button" class="action" data-action={a.action} hidden>
                    {a.label}
                  </button>
                ))}
              </div>
              <p id="day-msg" class="msg" role="alert" hidden />
            </div>

            <div class="panel feed">
              <h2>실시간 알림</h2>
              <ol id="feed-list" class="feed-list" aria-live="polite" />
              <p id="feed-empty" class="empty">
                아직 알림이 없습니다.
              </p>
            </div>
          </section>

          <div
            id="replaced"
            class="overlay"
            role="alertdialog"
            aria-labelledby="replaced-title"
            hidden
          >
            <div class="card">
              <h2 id="replaced-title">다른 화면에서 이 매장을 열었습니다</h2>
              <p>이 화면은 더 이상 실시간으로 갱신되지 않습니다.</p>
              <button id="reconnect" type="button" class="primary">
                이 화면에서 다시 연결
              </button>
            </div>
          </div>
        </main>
      </body>
    </html>
  );
}
