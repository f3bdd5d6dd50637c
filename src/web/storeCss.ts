/** The store client's stylesheet, served at /assets/store.css. Tablet landscape and phone. */
export const storeCss = /* css */ `
:root {
  --bg: #f4f3ef;
  --panel: #ffffff;
  --ink: #1c1c1e;
  --muted: #6b6b70;
  --line: #e4e2dc;
  --brand: #fee500;
  --brand-ink: #191600;
  --ready: #2f6fde;
  --open: #14854a;
  --break: #c77700;
  --closing: #c2410c;
  --none: #6b6b70;
  --danger: #c62828;
  --radius: 16px;
  color-scheme: light;
  font-family: "Pretendard", "Apple SD Gothic Neo", "Noto Sans KR", "Malgun Gothic",
    "NanumGothic", "Nanum Gothic", "NanumSquareRound", system-ui, sans-serif;
  font-size: 17px;
  line-height: 1.45;
  color: var(--ink);
  background: var(--bg);
  -webkit-text-size-adjust: 100%;
  -webkit-tap-highlight-color: transparent;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; min-height: 100%; }
body { min-height: 100dvh; display: flex; flex-direction: column; word-break: keep-all; }
button, input { font: inherit; color: inherit; }
button { cursor: pointer; touch-action: manipulation; }
button:disabled { cursor: default; opacity: .55; }
:focus-visible { outline: 3px solid var(--ready); outline-offset: 2px; }

.topbar {
  display: flex; align-items: center; gap: 12px;
  padding: 10px max(16px, env(safe-area-inset-right)) 10px max(16px, env(safe-area-inset-left));
  background: var(--ink); color: #fff; min-height: 60px;
}
.brand { font-weight: 800; letter-spacing: -.01em; white-space: nowrap; }
.brand b { color: var(--brand); }
.store-name { flex: 1; min-width: 0; font-weight: 700; font-size: 1.1rem;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.conn { display: inline-flex; align-items: center; gap: 6px; font-size: .9rem; white-space: nowrap; }
.conn::before { content: ""; width: 10px; height: 10px; border-radius: 50%; background: #9a9aa0; }
.conn[data-mode="live"]::before { background: #34c759; }
.conn[data-mode="retry"]::before, .conn[data-mode="connecting"]::before { background: #ffb020; }
.conn[data-mode="down"]::before { background: #ff453a; }
.ghost {
  min-height: 44px; padding: 0 16px; border-radius: 10px;
  border: 1px solid rgba(255,255,255,.35); background: transparent; color: #fff; white-space: nowrap;
}
.ghost.armed { background: var(--danger); border-color: var(--danger); }

main { flex: 1; display: flex; flex-direction: column; padding: 16px; min-height: 0; }

/* ---------- login ---------- */
.login { flex: 1; display: flex; align-items: center; justify-content: center; }
.card {
  width: 100%; max-width: 440px; background: var(--panel); border-radius: var(--radius);
  padding: 28px 24px; box-shadow: 0 8px 30px rgba(0,0,0,.06); border: 1px solid var(--line);
}
.card h1 { margin: 0 0 4px; font-size: 1.6rem; letter-spacing: -.02em; }
.card .lead { margin: 0 0 20px; color: var(--muted); }
.field { display: flex; flex-direction: column; gap: 6px; margin-bottom: 16px; }
.field label { font-weight: 700; }
.field input {
  min-height: 56px; padding: 0 16px; font-size: 1.15rem; border-radius: 12px;
  border: 1.5px solid var(--line); background: #fbfbf9;
}
.field input:focus { border-color: var(--ink); background: #fff; outline: none; }
.field small { color: var(--muted); }
.saved-device {
  display: flex; align-items: center; justify-content: space-between; gap: 12px;
  margin-bottom: 16px; padding: 12px 14px; background: #f6f6f2; border-radius: 12px; color: var(--muted);
}
.link { background: none; border: 0; padding: 8px 4px; color: var(--ready); font-weight: 700;
  text-decoration: underline; min-height: 44px; white-space: nowrap; }
.primary {
  width: 100%; min-height: 60px; border: 0; border-radius: 14px; font-size: 1.2rem; font-weight: 800;
  background: var(--brand); color: var(--brand-ink);
}
.msg { margin: 14px 0 0; padding: 12px 14px; border-radius: 12px; background: #fdecea; color: #8a1c1c;
  font-weight: 600; }
.msg[data-tone="ok"] { background: #e8f5ec; color: #14532d; }
.hint { margin: 16px 0 0; color: var(--muted); font-size: .9rem; }

/* ---------- day ---------- */
.day { flex: 1; display: grid; gap: 16px; grid-template-columns: 1fr; align-content: start; min-height: 0; }
.panel { background: var(--panel); border-radius: var(--radius); border: 1px solid var(--line); padding: 20px; }
.panel h2 { margin: 0 0 12px; font-size: 1rem; color: var(--muted); font-weight: 700; }
.badge {
  display: flex; align-items: center; justify-content: center; min-height: 96px; border-radius: 14px;
  font-size: 2.4rem; font-weight: 800; letter-spacing: -.02em; color: #fff; background: var(--none);
}
.badge[data-state="READY"] { background: var(--ready); }
.badge[data-state="OPEN"] { background: var(--open); }
.badge[data-state="BREAK"] { background: var(--break); }
.badge[data-state="CLOSING"] { background: var(--closing); }
.summary { margin: 12px 0 0; color: var(--muted); text-align: center; }
.actions { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 18px; }
.action {
  flex: 1 1 40%; min-height: 72px; border-radius: 14px; border: 2px solid var(--ink); background: #fff;
  font-size: 1.25rem; font-weight: 800; padding: 8px 12px;
}
.action[data-action="ready"], .action[data-action="open"], .action[data-action="reopen"] {
  background: var(--brand); border-color: var(--brand); color: var(--brand-ink);
}
.action[data-action="close"] { background: var(--ink); color: #fff; }
.action.armed { background: var(--danger); border-color: var(--danger); color: #fff; }

.feed { display: flex; flex-direction: column; min-height: 0; }
.feed-list { list-style: none; margin: 0; padding: 0; overflow-y: auto; flex: 1; min-height: 0;
  -webkit-overflow-scrolling: touch; }
.row {
  display: grid; grid-template-columns: 7.2em 1fr; gap: 12px; align-items: baseline;
  padding: 12px 12px 12px 14px; border-left: 5px solid var(--none); border-bottom: 1px solid var(--line);
}
.row time { color: var(--muted); font-variant-numeric: tabular-nums; font-size: .92rem; white-space: nowrap; }
.row-text { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.row-text strong { font-size: 1.1rem; }
.row-text span { color: var(--muted); overflow-wrap: anywhere; }
.tone-day { border-left-color: var(--ready); }
.tone-open { border-left-color: var(--open); }
.tone-break { border-left-color: var(--break); }
.tone-closing, .tone-closed { border-left-color: var(--closing); }
.tone-order { border-left-color: #d4b800; background: #fffbe0; }
.tone-progress { border-left-color: var(--ready); }
.tone-done { border-left-color: var(--open); }
.tone-canceled { border-left-color: var(--danger); }
.empty { color: var(--muted); text-align: center; padding: 32px 0; margin: 0; }

/* ---------- taken over by another screen ---------- */
.overlay {
  position: fixed; inset: 0; background: rgba(20,20,22,.55); display: flex;
  align-items: center; justify-content: center; padding: 20px; z-index: 10;
}
.overlay .card { text-align: center; }
.overlay h2 { margin: 0 0 8px; font-size: 1.35rem; }
.overlay p { margin: 0 0 20px; color: var(--muted); }

/* Tablet (landscape) and wider: controls left, live list right, each filling the height. */
@media (min-width: 820px) {
  body[data-view="day"] { height: 100dvh; }
  main { padding: 20px 24px; }
  .day { grid-template-columns: minmax(340px, 2fr) 3fr; grid-template-rows: minmax(0, 1fr);
    align-content: stretch; }
  .day > .panel { min-height: 0; }
  .badge { min-height: 140px; font-size: 3rem; }
  .controls { align-self: start; }
}
@media (max-width: 819px) {
  .feed-list { max-height: none; }
  body[data-view="day"] .brand { display: none; }
}
@media (max-width: 420px) {
  :root { font-size: 16px; }
  main { padding: 12px; }
  .row { grid-template-columns: 1fr; gap: 2px; }
  .action { min-height: 64px; font-size: 1.15rem; }
}
`;
