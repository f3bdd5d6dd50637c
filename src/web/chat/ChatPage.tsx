import { blocks } from "../../kakao/blocks.ts";
import { chatPageIds as ids } from "../../shared/chatPageIds.ts";
import { chatAssets } from "./assets.ts";

/** The header's quick entries: what a KakaoTalk channel shows as its bot menu. */
const ENTRIES = [blocks.stores, blocks.cart, blocks.orders].map((b) => b.utterance);

/**
 * The chat window's shell; `chat.js` fills the conversation. `base` is where the page is
 * mounted (e.g. /dev/chat): the script calls `{base}/route`, `{base}/skill/…`, `{base}/samples`.
 */
export function ChatPage({ base }: { base: string }) {
  return (
    <html lang="ko">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#b2c7da" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
        <title>심플오더 · 채팅 시뮬레이터</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={`${base}${chatAssets["chat.css"].path}`} />
        <script src={`${base}${chatAssets["chat.js"].path}`} defer />
      </head>
      <body data-base={base}>
        <div class="app">
          <header class="top">
            <div class="room">
              <div class="avatar big" aria-hidden="true">
                심
              </div>
              <div class="room-title">
                <h1>심플오더</h1>
                <p>카카오톡 챗봇 시뮬레이터</p>
              </div>
              <button
                id={ids.reset}
                type="button"
                class="reset"
                title="새 사용자로 대화를 처음부터"
              >
                새 대화
              </button>
            </div>
            <nav class="entries" aria-label="바로가기">
              {ENTRIES.map((utterance) => (
                <button type="button" class="entry" data-utterance={utterance}>
                  {utterance}
                </button>
              ))}
            </nav>
          </header>

          <div class="devbar">
            <span>
              개발용 · 사용자 <code id={ids.userKey}>…</code>
            </span>
            <span class="devbar-actions">
              <button id={ids.samples} type="button" class="link">
                말풍선 샘플
              </button>
              <button id={ids.jsonToggle} type="button" class="link" aria-expanded="false">
                JSON
              </button>
            </span>
          </div>

          <main id={ids.log} class="log" aria-label="대화" aria-live="polite">
            <noscript>
              <p class="note">이 화면은 JavaScript가 필요합니다.</p>
            </noscript>
          </main>

          <section id={ids.jsonPanel} class="json" aria-label="마지막 스킬 요청과 응답" hidden>
            <div class="json-head">
              <strong>마지막 스킬 요청 · 응답</strong>
              <button id={ids.jsonClose} type="button" class="link">
                닫기
              </button>
            </div>
            <p id={ids.jsonUrl} class="json-url" />
            <pre id={ids.jsonReq} />
            <pre id={ids.jsonRes} />
          </section>

          <form id={ids.composer} class="composer" autocomplete="off">
            <input
              id={ids.text}
              name="text"
              type="text"
              placeholder="메시지 입력 (예: 가게 이름)"
              maxlength={200}
              enterkeyhint="send"
              aria-label="메시지"
            />
            <button id={ids.send} type="submit" class="send">
              전송
            </button>
          </form>
        </div>
      </body>
    </html>
  );
}
