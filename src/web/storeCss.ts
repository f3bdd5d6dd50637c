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

/* ---------- top bar: tabs, sound ---------- */
.tabs { display: flex; gap: 6px; padding: 4px; border-radius: 12px; background: rgba(255,255,255,.08); }
.tab {
  min-height: 44px; padding: 0 16px; border-radius: 9px; border: 0; background: transparent;
  color: #d9d9de; font-weight: 700; white-space: nowrap;
}
.tab[aria-pressed="true"] { background: #fff; color: var(--ink); }
a.tab { display: inline-flex; align-items: center; justify-content: center; text-decoration: none; }
.sound {
  min-height: 44px; width: 8.2em; padding: 0 8px 0 30px; text-align: left; border-radius: 10px; white-space: nowrap; position: relative;
  border: 1px solid rgba(255,255,255,.35); background: transparent; color: #fff; font-weight: 700;
}
.sound::before {
  content: ""; position: absolute; left: 13px; top: 50%; width: 12px; height: 12px; margin-top: -6px;
  border-radius: 50%; background: #34c759; box-shadow: 0 0 0 3px rgba(52,199,89,.25);
}
.sound[aria-pressed="false"] { color: #a7a7ad; }
.sound[aria-pressed="false"]::before { background: #6b6b70; box-shadow: none; }
.sound[data-locked="true"] { background: #ffb020; border-color: #ffb020; color: #2a1a00; }
.sound[data-locked="true"]::before { background: #2a1a00; box-shadow: none; animation: blink 1s steps(2) infinite; }

/* ---------- day ---------- */
.day { flex: 1; display: flex; flex-direction: column; gap: 12px; min-height: 0; }
.panel { background: var(--panel); border-radius: var(--radius); border: 1px solid var(--line); padding: 20px; }
.panel h2 { margin: 0 0 12px; font-size: 1rem; color: var(--muted); font-weight: 700; }
.daybar { display: flex; flex-wrap: wrap; align-items: center; gap: 12px 18px; padding: 12px 14px; }
.badge {
  display: flex; align-items: center; justify-content: center; min-height: 60px; padding: 0 22px;
  border-radius: 12px; font-size: 1.6rem; font-weight: 800; letter-spacing: -.02em; color: #fff;
  background: var(--none); white-space: nowrap;
}
.badge[data-state="READY"] { background: var(--ready); }
.badge[data-state="OPEN"] { background: var(--open); }
.badge[data-state="BREAK"] { background: var(--break); }
.badge[data-state="CLOSING"] { background: var(--closing); }
.stats { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 20px; min-width: 0; }
.stat { display: flex; align-items: baseline; gap: 6px; white-space: nowrap; }
.stat small { color: var(--muted); font-size: .95rem; font-weight: 700; }
.stat b { font-size: 1.55rem; font-weight: 800; letter-spacing: -.02em; font-variant-numeric: tabular-nums; }
.stat-sub { color: var(--danger); font-weight: 700; font-size: .95rem; white-space: nowrap; }
.actions { display: flex; flex-wrap: wrap; gap: 10px; margin-left: auto; }
.action {
  min-height: 60px; border-radius: 12px; border: 2px solid var(--ink); background: #fff;
  font-size: 1.2rem; font-weight: 800; padding: 6px 22px; white-space: nowrap;
}
.action[data-action="ready"], .action[data-action="open"], .action[data-action="reopen"] {
  background: var(--brand); border-color: var(--brand); color: var(--brand-ink);
}
.action[data-action="close"] { background: var(--ink); color: #fff; }
.action.armed { background: var(--danger); border-color: var(--danger); color: #fff; }
.day-tools { display: flex; gap: 8px; }
.tool {
  min-height: 60px; padding: 0 16px; border-radius: 12px; border: 1.5px solid var(--line);
  background: #f6f5f1; font-weight: 700; white-space: nowrap;
}
.tool[aria-expanded="true"] { background: var(--ink); border-color: var(--ink); color: #fff; }
.day > .msg { margin: 0; }
.banner, .note { margin: 0; padding: 12px 16px; border-radius: 12px; font-weight: 700; }
.banner { background: #fff1d6; color: #7a4b00; border: 1.5px solid #ffb020; }
.note { background: #eceae4; color: #3a3a3e; }
.note[data-state="BREAK"] { background: #fff1d6; color: #7a4b00; }
.note[data-state="CLOSING"] { background: #fde8dc; color: #8a2e07; }

/* ---------- the order board ---------- */
.board { flex: 1; min-height: 0; display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; }
.col {
  display: flex; flex-direction: column; min-height: 0; border-radius: var(--radius);
  background: #ebe9e3; border-top: 6px solid var(--col);
}
.col[data-col="PAID"] { --col: #f59e0b; --col-ink: #7a4b00; background: #f7efdc; }
.col[data-col="ACCEPTED"] { --col: var(--ready); --col-ink: #17407f; background: #e6ecf7; }
.col[data-col="READY"] { --col: var(--open); --col-ink: #0c4a29; background: #e3f1e8; }
.col-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 10px 14px 6px; }
.col-head h2 { margin: 0; font-size: 1.25rem; font-weight: 800; color: var(--col-ink); }
.col-count {
  min-width: 2.2em; padding: 2px 10px; border-radius: 999px; text-align: center; font-weight: 800;
  font-size: 1.15rem; background: var(--col); color: #fff; font-variant-numeric: tabular-nums;
}
.cards {
  list-style: none; margin: 0; padding: 6px 10px 12px; display: flex; flex-direction: column; gap: 10px;
  overflow-y: auto; flex: 1; min-height: 0; -webkit-overflow-scrolling: touch;
}
.col-empty { margin: 0; padding: 28px 12px; text-align: center; color: var(--muted); font-weight: 600; }
.col:not(.is-empty) .col-empty { display: none; }
.col.is-empty .cards { flex: 0; padding: 0; }

.order {
  background: #fff; border-radius: 14px; border: 2px solid transparent; padding: 10px 14px 12px;
  box-shadow: 0 1px 2px rgba(0,0,0,.06), 0 4px 14px rgba(0,0,0,.05); flex: none;
}
.order.fresh[data-status="PAID"] { border-color: #f59e0b; animation: pulse 1.4s ease-in-out 8; }
.order.canceling { opacity: .6; }
.order[aria-busy="true"] { opacity: .7; }
.o-head { display: flex; align-items: center; gap: 14px; }
.o-num {
  font-size: 5rem; line-height: 1; font-weight: 900; letter-spacing: -.04em; color: var(--ink);
  font-variant-numeric: tabular-nums; min-width: 1.2em;
}
.o-meta { display: flex; flex-direction: column; gap: 2px; min-width: 0; margin-left: auto; text-align: right; }
.o-ago { color: var(--muted); font-weight: 700; white-space: nowrap; }
.order.late .o-ago { color: var(--danger); }
.o-name { color: var(--muted); font-size: .92rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.o-items { list-style: none; margin: 8px 0 0; padding: 8px 0 0; border-top: 1px dashed var(--line);
  display: flex; flex-direction: column; gap: 6px; }
.o-line { display: flex; align-items: baseline; justify-content: space-between; gap: 10px; }
.o-item { font-size: 1.22rem; font-weight: 800; overflow-wrap: anywhere; }
.o-qty { font-size: 1.22rem; font-weight: 900; white-space: nowrap; }
.o-opts { display: block; color: #4b4b50; font-size: 1rem; font-weight: 600; }
.o-loading { color: var(--muted); }
.o-foot { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-top: 8px; }
.o-total { font-size: 1.15rem; font-weight: 800; font-variant-numeric: tabular-nums; }
.o-flag { color: var(--danger); font-weight: 800; }
.o-actions { display: flex; gap: 8px; margin-top: 10px; }
.o-next {
  flex: 1; min-height: 60px; border: 0; border-radius: 12px; font-size: 1.3rem; font-weight: 900;
}
.op-accept { background: var(--brand); color: var(--brand-ink); }
.op-ready { background: var(--ready); color: #fff; }
.op-pickup { background: var(--open); color: #fff; }
.o-cancel {
  min-height: 60px; padding: 0 16px; border-radius: 12px; border: 1.5px solid #e7c2c2; background: #fff;
  color: var(--danger); font-weight: 800;
}
@keyframes pulse { 50% { box-shadow: 0 0 0 6px rgba(245,158,11,.45), 0 4px 14px rgba(0,0,0,.05); } }
@keyframes blink { 50% { opacity: 0; } }

/* ---------- drawers: finished orders, log ---------- */
.drawer {
  position: fixed; top: 0; right: 0; bottom: 0; width: min(440px, 100%); z-index: 20;
  background: var(--panel); box-shadow: -12px 0 40px rgba(0,0,0,.18); display: flex; flex-direction: column;
  padding: 0 0 env(safe-area-inset-bottom);
}
.drawer-head { display: flex; align-items: center; justify-content: space-between; gap: 12px;
  padding: 12px 16px; border-bottom: 1px solid var(--line); }
.drawer-head h2 { margin: 0; font-size: 1.25rem; }
.close { min-height: 48px; padding: 0 18px; border-radius: 12px; border: 1.5px solid var(--line); background: #fff;
  font-weight: 700; }
.drawer-sub { margin: 0; padding: 10px 16px 0; color: var(--muted); font-weight: 700; }
.done-list, .feed-list { list-style: none; margin: 0; padding: 4px 16px 16px; overflow-y: auto; flex: 1;
  min-height: 0; -webkit-overflow-scrolling: touch; }
.done-item { display: flex; gap: 14px; align-items: center; padding: 12px 0; border-bottom: 1px solid var(--line); }
.done-num { font-size: 1.8rem; font-weight: 900; min-width: 2.2em; text-align: center; font-variant-numeric: tabular-nums; }
.done-canceled .done-num { color: var(--danger); }
.done-text { display: flex; flex-direction: column; min-width: 0; }
.done-text span { color: var(--muted); overflow-wrap: anywhere; }
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

/* ---------- menu editor ---------- */
.menu-view { flex: 1; min-height: 0; overflow-y: auto; -webkit-overflow-scrolling: touch; }
.menu-head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; margin-bottom: 12px; }
.menu-head h2 { margin: 0; font-size: 1.4rem; }
.menu-lead { margin: 0; color: var(--muted); flex: 1; min-width: 200px; }
.add { min-height: 56px; padding: 0 22px; border: 0; border-radius: 12px; background: var(--brand);
  color: var(--brand-ink); font-weight: 800; font-size: 1.1rem; }
.menu-view > .msg { margin: 0 0 12px; }
.menu-group-head { display: flex; align-items: center; gap: 8px; margin: 16px 0 8px; }
.menu-group:first-child .menu-group-head { margin-top: 0; }
.menu-group h3 { margin: 0; font-size: 1.05rem; color: var(--muted); flex: 1; }
.mv { min-width: 44px; min-height: 44px; border-radius: 10px; border: 1.5px solid var(--line);
  background: #fff; color: var(--ink); font-size: .9rem; }
.mv:disabled { opacity: .35; }
.mv-pair { display: flex; flex-direction: column; gap: 4px; }
.mv-pair .mv { min-height: 26px; min-width: 40px; }
.menu-items { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 360px), 1fr)); }
.mi { display: flex; align-items: center; gap: 10px; background: #fff; border: 1px solid var(--line);
  border-radius: 14px; padding: 10px 12px 10px 16px; }
.mi-main { flex: 1; min-width: 0; display: flex; flex-direction: column; }
.mi-name { font-size: 1.15rem; overflow-wrap: anywhere; }
.mi-price { font-weight: 700; font-variant-numeric: tabular-nums; }
.mi-opts { color: var(--muted); overflow-wrap: anywhere; }
.mi[data-sold-out="true"] { background: #faf4f4; }
.mi[data-sold-out="true"] .mi-name { color: var(--muted); text-decoration: line-through; }
.so-toggle {
  min-width: 104px; min-height: 52px; padding: 0 14px 0 34px; border-radius: 999px; position: relative;
  border: 1.5px solid #b7dcc5; background: #e8f5ec; color: #14532d; font-weight: 800; white-space: nowrap;
}
.so-toggle::before { content: ""; position: absolute; left: 14px; top: 50%; width: 12px; height: 12px;
  margin-top: -6px; border-radius: 50%; background: var(--open); }
.so-toggle[aria-checked="true"] { background: var(--danger); border-color: var(--danger); color: #fff; }
.so-toggle[aria-checked="true"]::before { background: #fff; }
.mi-edit { min-height: 52px; padding: 0 16px; border-radius: 12px; border: 1.5px solid var(--line);
  background: #fff; font-weight: 700; }

/* ---------- dialogs (cancel, menu item), toast ---------- */
.overlay {
  position: fixed; inset: 0; background: rgba(20,20,22,.55); display: flex;
  align-items: center; justify-content: center; padding: 20px; z-index: 30;
}
.overlay .card { text-align: center; }
.overlay h2 { margin: 0 0 8px; font-size: 1.35rem; }
.overlay p { margin: 0 0 20px; color: var(--muted); }
.overlay .sheet { text-align: left; max-width: 560px; max-height: calc(100dvh - 40px); overflow-y: auto; padding: 22px; }
.sheet h2 { font-size: 1.5rem; letter-spacing: -.02em; }
.overlay .sheet-sub { margin: 0 0 14px; color: var(--ink); font-weight: 600; }
.overlay .sheet .msg { margin: 10px 0 0; color: #8a1c1c; }
.reasons { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 14px; padding: 0; border: 0; min-width: 0; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.chip { min-height: 48px; padding: 0 16px; border-radius: 999px; border: 1.5px solid var(--line);
  background: #faf9f6; font-weight: 700; }
.chip[aria-pressed="true"] { background: var(--ink); border-color: var(--ink); color: #fff; }
.sheet .field { margin-bottom: 10px; gap: 4px; }
.item-sheet { max-width: 640px; }
.item-sheet h2 { margin-bottom: 12px; }
.field-row > .check { align-self: end; min-height: 52px; margin-bottom: 10px; }
.sheet .field input { min-height: 52px; }
.field textarea {
  padding: 12px 16px; font-size: 1.1rem; border-radius: 12px; border: 1.5px solid var(--line);
  background: #fbfbf9; resize: vertical; font: inherit; line-height: 1.4;
}
.field textarea:focus { border-color: var(--ink); background: #fff; outline: none; }
.field.invalid input, .field.invalid textarea { border-color: var(--danger); background: #fff7f7; }
.overlay .field-error, .field-error { margin: 0; color: var(--danger); font-weight: 700; }
.field-row { display: grid; grid-template-columns: 1fr 1fr; gap: 0 12px; }
.check { display: flex; align-items: center; gap: 10px; min-height: 48px; font-weight: 700; }
.check input { width: 24px; height: 24px; }
.sheet-actions { display: flex; gap: 10px; margin-top: 16px; }
.sheet-actions > button { flex: 1; min-height: 60px; width: auto; }
.secondary { border: 1.5px solid var(--line); background: #fff; border-radius: 14px; font-weight: 700; font-size: 1.1rem; }
.danger { border: 0; background: var(--danger); color: #fff; border-radius: 14px; font-weight: 800; font-size: 1.15rem; }
.danger-text { color: var(--danger); }
.secondary.armed { background: var(--danger); border-color: var(--danger); color: #fff; }
.toast {
  position: fixed; left: 50%; bottom: max(20px, env(safe-area-inset-bottom)); transform: translateX(-50%);
  z-index: 25; width: max-content; max-width: min(560px, calc(100vw - 32px)); pointer-events: none; padding: 14px 20px; border-radius: 14px;
  background: var(--ink); color: #fff; font-weight: 700; box-shadow: 0 10px 30px rgba(0,0,0,.25);
}
.toast[data-tone="error"] { background: var(--danger); }

/* Tablet (landscape) and wider: everything fits the screen; the columns scroll on their own. */
@media (min-width: 820px) {
  body[data-view="day"] { height: 100dvh; }
  body[data-view="day"] main { min-height: 0; }
  main { padding: 14px 18px; }
}
@media (max-width: 819px) {
  .topbar { flex-wrap: wrap; row-gap: 8px; }
  body[data-view="day"] .brand { display: none; }
  .tabs { order: 10; flex: 1; }
  .tab { flex: 1; }
  .sound { order: 11; }
  main { padding: 12px; }
  .daybar { gap: 10px 14px; }
  .badge { min-height: 52px; font-size: 1.35rem; padding: 0 16px; }
  .stat b { font-size: 1.3rem; }
  .actions { margin-left: 0; width: 100%; }
  .action { flex: 1 1 40%; min-height: 60px; }
  .day-tools { width: 100%; }
  .tool { flex: 1; min-height: 52px; }
  .board { display: flex; flex-direction: column; gap: 12px; }
  .cards { overflow: visible; }
  .o-num { font-size: 4rem; }
  .field-row { grid-template-columns: 1fr; }
  .field-row > .check { align-self: start; }
  .menu-head h2 { flex: 1; }
  .menu-lead { order: 3; flex-basis: 100%; }
}
@media (max-width: 420px) {
  :root { font-size: 16px; }
  .row { grid-template-columns: 1fr; gap: 2px; }
  .sound { padding-right: 10px; }
  .so-toggle { min-width: 92px; }
  .overlay { padding: 10px; align-items: flex-end; }
  .overlay .sheet { max-height: calc(100dvh - 20px); padding: 18px 16px; }
  .sheet-actions { flex-direction: column-reverse; }
  .sheet-actions > button { flex: none; }
}
`;
