import { columnIds, storePageIds as ids } from "../shared/storePageIds.ts";
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

const COLUMNS = [
  { status: "PAID", title: "신규 주문", empty: "새 주문을 기다리는 중" },
  { status: "ACCEPTED", title: "준비 중", empty: "준비 중인 주문 없음" },
  { status: "READY", title: "픽업 대기", empty: "픽업 대기 없음" },
] as const;

const CANCEL_REASONS = ["재료 소진", "손님 요청", "매장 사정", "주문 실수"] as const;

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
        data-tab="board"
        data-store-id={session?.storeId ?? ""}
        data-store-name={session?.storeName ?? ""}
      >
        <header class="topbar">
          <div class="brand">
            <b>심플</b>오더
          </div>
          <div id={ids.storeName} class="store-name">
            {session?.storeName ?? ""}
          </div>
          <nav id={ids.tabs} class="tabs" aria-label="화면" hidden={!loggedIn}>
            <button type="button" class="tab" data-tab="board" aria-pressed="true">
              주문판
            </button>
            <button type="button" class="tab" data-tab="menu" aria-pressed="false">
              메뉴·품절
            </button>
            <a id={ids.daysLink} class="tab" href="/days">
              지난 영업일
            </a>
          </nav>
          <button
            id={ids.sound}
            type="button"
            class="sound"
            aria-pressed="true"
            data-locked="true"
            hidden={!loggedIn}
          >
            알림음
          </button>
          <span id={ids.conn} class="conn" data-mode="connecting" role="status" hidden={!loggedIn}>
            연결 중…
          </span>
          <button id={ids.logout} type="button" class="ghost" hidden={!loggedIn}>
            로그아웃
          </button>
        </header>

        <main>
          <noscript>
            <p class="msg">이 화면은 JavaScript가 필요합니다. 브라우저 설정에서 켜 주세요.</p>
          </noscript>

          <section
            id={ids.loginView}
            class="login"
            hidden={loggedIn}
            aria-labelledby={ids.loginTitle}
          >
            <form id={ids.loginForm} class="card" novalidate autocomplete="on">
              <h1 id={ids.loginTitle}>매장 로그인</h1>
              <p class="lead">매장 안에서 로그인해 주세요. 현재 위치를 확인합니다.</p>

              <div class="field">
                <label for={ids.storeId}>매장 ID</label>
                <input
                  id={ids.storeId}
                  name="storeId"
                  type="text"
                  autocomplete="username"
                  autocapitalize="off"
                  spellcheck={false}
                  required
                />
              </div>

              <div class="field">
                <label for={ids.pin}>PIN</label>
                <input
                  id={ids.pin}
                  name="pin"
                  type="password"
                  inputmode="numeric"
                  pattern="[0-9]*"
                  maxlength={20}
                  autocomplete="current-password"
                  required
                />
              </div>

              <div id={ids.deviceField} class="field">
                <label for={ids.deviceToken}>기기 토큰</label>
                <input
                  id={ids.deviceToken}
                  name="deviceToken"
                  type="text"
                  autocomplete="off"
                  autocapitalize="off"
                  spellcheck={false}
                />
                <small>처음 한 번만 입력하면 이 기기에 저장됩니다.</small>
              </div>

              <div id={ids.deviceSaved} class="saved-device" hidden>
                <span id={ids.deviceHint}>등록된 기기</span>
                <button id={ids.deviceChange} type="button" class="link">
                  기기 변경
                </button>
              </div>

              <button id={ids.loginSubmit} type="submit" class="primary">
                로그인
              </button>
              <p id={ids.loginMsg} class="msg" role="alert" hidden />
              <p class="hint">로그인하려면 위치 권한이 필요합니다.</p>
            </form>
          </section>

          <section id={ids.dayView} class="day" hidden={!loggedIn}>
            <section class="panel controls daybar" aria-label="오늘의 영업">
              <div id={ids.stateBadge} class="badge" data-state={state} aria-live="polite">
                {STATE_LABEL[state]}
              </div>
              <div id={ids.daySummary} class="stats" hidden={state === "NONE"}>
                <span class="stat">
                  <small>주문</small>
                  <b id={ids.statOrders}>–</b>
                </span>
                <span class="stat">
                  <small>매출</small>
                  <b id={ids.statSales}>–</b>
                </span>
                <span id={ids.statCancel} class="stat-sub" hidden />
              </div>
              <div class="actions">
                {ACTIONS.map((a) => (
                  <button type="button" class="action" data-action={a.action} hidden>
                    {a.label}
                  </button>
                ))}
              </div>
              <div class="day-tools">
                <button
                  id={ids.doneToggle}
                  type="button"
                  class="tool"
                  aria-controls={ids.donePanel}
                  aria-expanded="false"
                >
                  완료 <b id={ids.doneCount}>0</b>
                </button>
                <button
                  id={ids.logToggle}
                  type="button"
                  class="tool"
                  aria-controls={ids.logPanel}
                  aria-expanded="false"
                >
                  기록
                </button>
              </div>
            </section>
            <p id={ids.dayMsg} class="msg" role="alert" hidden />
            <p id={ids.connBanner} class="banner" role="status" hidden>
              연결이 끊겼습니다. 다시 연결하는 중이며, 연결되면 빠진 주문을 이어서 받습니다.
            </p>
            <p id={ids.boardNote} class="note" hidden />

            <section id={ids.board} class="board" aria-label="주문판">
              {COLUMNS.map((col) => (
                <section
                  class="col"
                  data-col={col.status}
                  aria-labelledby={columnIds(col.status).title}
                >
                  <header class="col-head">
                    <h2 id={columnIds(col.status).title}>{col.title}</h2>
                    <span id={columnIds(col.status).count} class="col-count">
                      0
                    </span>
                  </header>
                  <ol id={columnIds(col.status).list} class="cards" aria-live="polite" />
                  <p class="col-empty">{col.empty}</p>
                </section>
              ))}
            </section>

            <section id={ids.menuView} class="menu-view" hidden aria-labelledby={ids.menuTitle}>
              <div class="menu-head">
                <h2 id={ids.menuTitle}>메뉴 관리</h2>
                <p class="menu-lead">품절을 누르면 카카오톡 주문에서 바로 막힙니다.</p>
                <button id={ids.menuAdd} type="button" class="add">
                  + 메뉴 추가
                </button>
              </div>
              <p id={ids.menuMsg} class="msg" role="alert" hidden />
              <div id={ids.menuList} class="menu-list" />
              <p id={ids.menuEmpty} class="empty" hidden>
                아직 메뉴가 없습니다. ‘메뉴 추가’로 첫 메뉴를 등록하세요.
              </p>
            </section>

            <aside id={ids.donePanel} class="drawer" hidden aria-labelledby={ids.doneTitle}>
              <header class="drawer-head">
                <h2 id={ids.doneTitle}>완료 · 취소</h2>
                <button type="button" class="close" data-close="done-panel" aria-label="닫기">
                  닫기
                </button>
              </header>
              <p id={ids.doneSummary} class="drawer-sub" />
              <ol id={ids.doneList} class="done-list" />
              <p id={ids.doneEmpty} class="empty">
                아직 끝난 주문이 없습니다.
              </p>
            </aside>

            <aside id={ids.logPanel} class="drawer feed" hidden aria-labelledby={ids.logTitle}>
              <header class="drawer-head">
                <h2 id={ids.logTitle}>기록</h2>
                <button type="button" class="close" data-close="log-panel" aria-label="닫기">
                  닫기
                </button>
              </header>
              <ol id={ids.feedList} class="feed-list" />
              <p id={ids.feedEmpty} class="empty">
                아직 알림이 없습니다.
              </p>
            </aside>
          </section>

          <div
            id={ids.cancelDialog}
            class="overlay"
            role="dialog"
            aria-modal="true"
            aria-labelledby={ids.cancelTitle}
            hidden
          >
            <form id={ids.cancelForm} class="card sheet" novalidate>
              <h2 id={ids.cancelTitle}>주문을 취소할까요?</h2>
              <p id={ids.cancelSummary} class="sheet-sub" />
              <fieldset class="reasons">
                <legend class="sr-only">자주 쓰는 사유</legend>
                {CANCEL_REASONS.map((r) => (
                  <button type="button" class="chip" data-reason={r} aria-pressed="false">
                    {r}
                  </button>
                ))}
              </fieldset>
              <div class="field">
                <label for={ids.cancelReason}>취소 사유</label>
                <textarea id={ids.cancelReason} name="reason" maxlength={200} rows={2} required />
                <small>손님께 카카오톡으로 사유와 전액 환불이 안내됩니다.</small>
              </div>
              <p id={ids.cancelMsg} class="msg" role="alert" hidden />
              <div class="sheet-actions">
                <button id={ids.cancelBack} type="button" class="secondary">
                  돌아가기
                </button>
                <button id={ids.cancelConfirm} type="submit" class="danger">
                  취소하고 환불
                </button>
              </div>
            </form>
          </div>

          <div
            id={ids.itemDialog}
            class="overlay"
            role="dialog"
            aria-modal="true"
            aria-labelledby={ids.itemTitle}
            hidden
          >
            <form id={ids.itemForm} class="card sheet item-sheet" novalidate>
              <h2 id={ids.itemTitle}>메뉴 추가</h2>
              <div class="field">
                <label for={ids.itemName}>이름</label>
                <input id={ids.itemName} name="name" type="text" maxlength={50} required />
                <p class="field-error" data-field="name" hidden />
              </div>
              <div class="field-row">
                <div class="field">
                  <label for={ids.itemPrice}>가격 (원)</label>
                  <input
                    id={ids.itemPrice}
                    name="price"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    placeholder="4500"
                    required
                  />
                  <p class="field-error" data-field="price" hidden />
                </div>
                <div class="field">
                  <label for={ids.itemCategory}>분류</label>
                  <input
                    id={ids.itemCategory}
                    name="category"
                    type="text"
                    maxlength={30}
                    list={ids.itemCategories}
                    placeholder="메뉴"
                  />
                  <datalist id={ids.itemCategories} />
                  <p class="field-error" data-field="category" hidden />
                </div>
              </div>
              <div class="field">
                <label for={ids.itemDescription}>설명 (선택)</label>
                <textarea id={ids.itemDescription} name="description" maxlength={230} rows={2} />
                <p class="field-error" data-field="description" hidden />
              </div>
              <div class="field">
                <label for={ids.itemOptions}>옵션 (선택)</label>
                <textarea
                  id={ids.itemOptions}
                  name="options"
                  rows={3}
                  placeholder={"온도(필수): 핫, 아이스\n사이즈: 레귤러, 라지 +500"}
                />
                <small>
                  한 줄에 옵션 하나: ‘이름: 선택지, 선택지 +500’. 꼭 골라야 하면 이름 뒤에 (필수).
                </small>
                <p class="field-error" data-field="optionGroups" hidden />
              </div>
              <div class="field-row">
                <div class="field">
                  <label for={ids.itemImage}>이미지 주소 (선택)</label>
                  <input
                    id={ids.itemImage}
                    name="imageUrl"
                    type="url"
                    inputmode="url"
                    autocomplete="off"
                    placeholder="https://"
                  />
                  <p class="field-error" data-field="imageUrl" hidden />
                </div>
                <label class="check">
                  <input id={ids.itemSoldout} name="soldOut" type="checkbox" /> 품절로 등록
                </label>
              </div>
              <p id={ids.itemMsg} class="msg" role="alert" hidden />
              <div class="sheet-actions">
                <button id={ids.itemDelete} type="button" class="secondary danger-text" hidden>
                  삭제
                </button>
                <button id={ids.itemCancel} type="button" class="secondary">
                  닫기
                </button>
                <button id={ids.itemSave} type="submit" class="primary">
                  저장
                </button>
              </div>
            </form>
          </div>

          <div
            id={ids.replaced}
            class="overlay"
            role="alertdialog"
            aria-labelledby={ids.replacedTitle}
            hidden
          >
            <div class="card">
              <h2 id={ids.replacedTitle}>다른 화면에서 이 매장을 열었습니다</h2>
              <p>이 화면은 더 이상 실시간으로 갱신되지 않습니다.</p>
              <button id={ids.reconnect} type="button" class="primary">
                이 화면에서 다시 연결
              </button>
            </div>
          </div>
          <div id={ids.toast} class="toast" role="status" aria-live="polite" hidden />
        </main>
      </body>
    </html>
  );
}
