/** The chat simulator's stylesheet, served at /dev/chat/assets/chat.css. A phone-sized chat room. */
export const chatCss = /* css */ `
:root {
  --room: #b2c7da;
  --room-top: #a7bccf;
  --ink: #191919;
  --muted: #5d6670;
  --bubble: #ffffff;
  --me: #fee500;
  --line: #e5e5e5;
  --btn: #f2f2f2;
  --danger: #b42318;
  color-scheme: light;
  font-family: "Pretendard", "Apple SD Gothic Neo", "Noto Sans KR", "Malgun Gothic",
    "NanumBarunGothic", "NanumGothic", "Nanum Gothic", system-ui, sans-serif;
  font-size: 15px;
  line-height: 1.45;
  color: var(--ink);
  -webkit-text-size-adjust: 100%;
  -webkit-tap-highlight-color: transparent;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; height: 100%; background: #8fa3b5; }
button, input { font: inherit; color: inherit; }
button { cursor: pointer; }
button:disabled { cursor: default; opacity: .55; }
:focus-visible { outline: 3px solid #2f6fde; outline-offset: 2px; }

.app {
  position: relative;
  display: flex;
  flex-direction: column;
  height: 100vh;
  height: 100dvh;
  max-width: 480px;
  margin: 0 auto;
  background: var(--room);
  box-shadow: 0 0 40px rgb(0 0 0 / .18);
}

/* ---------- header ---------- */
.top {
  background: var(--room-top);
  padding: calc(8px + env(safe-area-inset-top)) 12px 8px;
  border-bottom: 1px solid rgb(0 0 0 / .06);
}
.room { display: flex; align-items: center; gap: 10px; }
.room-title { flex: 1; min-width: 0; }
.room-title h1 { margin: 0; font-size: 17px; font-weight: 700; }
.room-title p { margin: 0; font-size: 12px; color: var(--muted); }
.reset {
  border: 0; border-radius: 999px; padding: 7px 12px;
  background: rgb(255 255 255 / .75); font-size: 13px; font-weight: 600;
}
.entries { display: flex; gap: 6px; margin-top: 8px; overflow-x: auto; scrollbar-width: none; }
.entries::-webkit-scrollbar { display: none; }
.entry {
  flex: none; border: 0; border-radius: 999px; padding: 6px 12px;
  background: #fff; font-size: 13px; font-weight: 600;
  box-shadow: 0 1px 1px rgb(0 0 0 / .08);
}
.devbar {
  display: flex; justify-content: space-between; align-items: center; gap: 8px;
  padding: 4px 12px; font-size: 11px; color: #3c4650; background: rgb(255 255 255 / .35);
}
.devbar code { font-size: 11px; }
.devbar-actions { display: flex; gap: 10px; }
.link { border: 0; background: none; padding: 2px 0; font-size: 12px; text-decoration: underline; color: #23405c; }

/* ---------- the conversation ---------- */
.log {
  flex: 1;
  overflow-y: auto;
  overscroll-behavior: contain;
  padding: 12px 10px 16px;
  display: flex;
  flex-direction: column;
  gap: 10px;
}
/* a scrolling column: its rows keep their height (the chips' overflow-x would let them shrink) */
.log > * { flex-shrink: 0; }
.day-note, .note {
  align-self: center; margin: 2px 0; padding: 4px 12px; max-width: 92%;
  border-radius: 999px; background: rgb(0 0 0 / .14); color: #fff;
  font-size: 12px; text-align: center;
}
.note { border-radius: 12px; background: rgb(40 52 64 / .55); white-space: pre-wrap; }
.note.error { background: rgb(180 35 24 / .88); }

.row { display: flex; gap: 8px; align-items: flex-start; max-width: 100%; }
.row.me { justify-content: flex-end; align-items: flex-end; }
.row.me .bubble { background: var(--me); border-top-right-radius: 4px; max-width: 76%; }
.avatar {
  flex: none; width: 38px; height: 38px; border-radius: 14px;
  background: #fee500; color: #3b1e1e; display: grid; place-items: center;
  font-weight: 800; font-size: 16px;
}
.avatar.big { width: 40px; height: 40px; border-radius: 15px; }
.stack { display: flex; flex-direction: column; gap: 6px; min-width: 0; flex: 1; align-items: flex-start; }
.name { font-size: 12px; color: #39434d; margin-bottom: -2px; }
.time { font-size: 10px; color: #4c5966; white-space: nowrap; }
.bubble {
  background: var(--bubble); border-radius: 14px; border-top-left-radius: 4px;
  padding: 8px 11px; max-width: 86%; white-space: pre-wrap; overflow-wrap: anywhere;
  box-shadow: 0 1px 1px rgb(0 0 0 / .06);
}
.bubble.image { padding: 0; overflow: hidden; width: 240px; }

/* typing indicator */
.bubble.typing { display: flex; gap: 4px; padding: 12px 14px; }
.bubble.typing i {
  width: 7px; height: 7px; border-radius: 50%; background: #9aa3ab;
  animation: blink 1.2s infinite ease-in-out;
}
.bubble.typing i:nth-child(2) { animation-delay: .2s; }
.bubble.typing i:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .3; transform: translateY(0); } 40% { opacity: 1; transform: translateY(-3px); } }

/* ---------- images ---------- */
.thumb {
  position: relative; display: block; overflow: hidden;
  background: linear-gradient(135deg, #eef1f4, #dde3e9);
}
.thumb img { display: block; width: 100%; height: 100%; object-fit: cover; }
.thumb.wide { aspect-ratio: 2 / 1; width: 100%; }
.thumb.square { aspect-ratio: 1 / 1; width: 100%; }
.thumb.cover { aspect-ratio: 1 / 1; width: 100%; }
.thumb.natural { width: 100%; min-height: 80px; }
.thumb.natural img { height: auto; }
.thumb.small { width: 40px; height: 40px; border-radius: 8px; flex: none; }
.thumb.missing::after {
  content: attr(data-alt); position: absolute; inset: 0; display: grid; place-items: center;
  padding: 8px; color: #7b8792; font-size: 12px; text-align: center;
}
.thumb.small.missing::after { content: ""; }
.thumb-link { display: block; }

/* ---------- cards ---------- */
.card {
  background: #fff; border-radius: 14px; overflow: hidden; width: 100%; max-width: 290px;
  box-shadow: 0 1px 1px rgb(0 0 0 / .06);
}
.card-body { padding: 11px 13px 4px; display: flex; flex-direction: column; gap: 3px; }
.card-title { font-size: 15px; font-weight: 700; }
.card-desc { margin: 0; color: #4a4a4a; font-size: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.textCard .card-body { padding-top: 13px; }
.card-hint { margin: 0; padding: 0 13px 11px; font-size: 11.5px; color: #6a7480; }
.buttons { display: flex; flex-direction: column; gap: 6px; padding: 8px 10px 10px; }
.buttons:empty { display: none; }
.buttons.horizontal { flex-direction: row; }
.buttons.horizontal .btn { flex: 1; }
.btn {
  display: block; border: 0; border-radius: 8px; padding: 9px 8px; background: var(--btn);
  font-size: 14px; text-align: center; text-decoration: none; color: var(--ink);
}
.btn:active, .chip:active, .list-tap:active { filter: brightness(.94); }
.btn.web::after {
  content: ""; display: inline-block; width: 12px; height: 12px; margin-left: 5px; vertical-align: -1px;
  background: url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 12 12' fill='none' stroke='%237b8792' stroke-width='1.6' stroke-linecap='round' stroke-linejoin='round'%3E%3Cpath d='M5 2H2v8h8V7M7 2h3v3M10 2 5.5 6.5'/%3E%3C/svg%3E") no-repeat center / contain;
}

/* commerce */
.profile { display: flex; align-items: center; gap: 6px; font-size: 12px; color: #555; margin-bottom: 2px; }
.profile .thumb.natural { width: 100%; min-height: 80px; }
.thumb.natural img { height: auto; }
.thumb.small { width: 20px; height: 20px; border-radius: 50%; }
.price { display: flex; align-items: baseline; gap: 6px; flex-wrap: wrap; margin-top: 2px; }
.price .rate { color: #e0421b; font-weight: 800; }
.price .final { font-size: 16px; }
.price .was { color: #999; font-size: 13px; }

/* list */
.list-header { padding: 11px 13px; font-weight: 700; border-bottom: 1px solid var(--line); }
.list-items { list-style: none; margin: 0; padding: 0; }
.list-item + .list-item { border-top: 1px solid #f1f1f1; }
.list-item > .list-tap, .list-item > .list-text { width: 100%; }
.list-tap, .list-item {
  display: flex; align-items: center; gap: 10px; text-align: left;
  border: 0; background: none; color: inherit; text-decoration: none;
}
.list-item > .list-text, .list-tap { padding: 9px 13px; }
.list-text { flex: 1; min-width: 0; display: flex; flex-direction: column; }
.list-text strong { font-size: 14px; font-weight: 600; }
.list-text span { font-size: 12.5px; color: #666; }

/* carousel */
.carousel { width: calc(100% + 10px); margin-right: -10px; }
.track {
  display: flex; gap: 8px; overflow-x: auto; scroll-snap-type: x mandatory;
  padding: 0 10px 4px 0; scrollbar-width: thin;
}
.track > .card { flex: none; width: 236px; scroll-snap-align: start; }
.carousel-header { position: relative; }
.cover-text {
  position: absolute; inset: auto 0 0 0; padding: 12px; color: #fff;
  background: linear-gradient(transparent, rgb(0 0 0 / .55));
}
.cover-text strong { font-size: 16px; }
.cover-text p { margin: 2px 0 0; font-size: 13px; }

/* quick replies */
.quick {
  display: flex; gap: 6px; overflow-x: auto; padding: 2px 0 4px 46px; scrollbar-width: none;
}
.quick::-webkit-scrollbar { display: none; }
.chip {
  flex: none; border: 1px solid rgb(0 0 0 / .08); border-radius: 999px; padding: 7px 13px;
  background: #fff; font-size: 13.5px; text-decoration: none; color: var(--ink);
}

/* ---------- JSON panel ---------- */
.json {
  position: absolute; left: 0; right: 0; bottom: 56px; max-height: 60%;
  overflow: auto; background: #1f2429; color: #d8dee4; padding: 10px 12px; z-index: 5;
  font-size: 12px; box-shadow: 0 -6px 20px rgb(0 0 0 / .25);
}
.json-head { display: flex; justify-content: space-between; align-items: center; }
.json .link { color: #9cc3ff; }
.json-url { margin: 6px 0; color: #9aa4ad; word-break: break-all; }
.json pre { margin: 0 0 8px; white-space: pre-wrap; word-break: break-all; font-size: 11px; }

/* ---------- composer ---------- */
.composer {
  display: flex; gap: 8px; padding: 8px 10px calc(8px + env(safe-area-inset-bottom));
  background: #fff; border-top: 1px solid var(--line);
}
.composer input {
  flex: 1; min-width: 0; border: 0; border-radius: 18px; padding: 9px 14px; background: #f2f3f5;
}
.send {
  border: 0; border-radius: 18px; padding: 0 16px; background: var(--me); font-weight: 700;
}
body.busy .btn, body.busy .chip, body.busy .entry, body.busy .list-tap { pointer-events: none; opacity: .7; }
`;
