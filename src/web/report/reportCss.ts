import { staticAsset } from "../staticAsset.ts";
/** The report pages' stylesheet, served at /days/report.css: tablet, phone and A4 print. */
import { DAYS_PATH } from "./format.ts";

const css = /* css */ `
:root {
  --bg: #f4f3ef;
  --panel: #ffffff;
  --ink: #1c1c1e;
  --muted: #6b6b70;
  --line: #e4e2dc;
  --brand: #fee500;
  --blue: #2f6fde;
  --green: #14854a;
  --amber: #b26a00;
  --red: #c62828;
  --radius: 16px;
  color-scheme: light;
  font-family: "Pretendard", "Apple SD Gothic Neo", "Noto Sans KR", "Malgun Gothic",
    "NanumGothic", "Nanum Gothic", system-ui, sans-serif;
  font-size: 17px;
  line-height: 1.45;
  color: var(--ink);
  background: var(--bg);
  -webkit-text-size-adjust: 100%;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; }
body { min-height: 100dvh; word-break: keep-all; overflow-wrap: anywhere; }
a { color: var(--blue); }
:focus-visible { outline: 3px solid var(--blue); outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; }

.topbar {
  display: flex; align-items: center; gap: 12px; flex-wrap: wrap;
  padding: 8px max(16px, env(safe-area-inset-right)) 8px max(16px, env(safe-area-inset-left));
  background: var(--ink); color: #fff; min-height: 60px;
}
.brand { font-weight: 800; color: #fff; text-decoration: none; white-space: nowrap; }
.brand b { color: var(--brand); }
.store-name { flex: 1; min-width: 0; font-weight: 700; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
.nav { display: flex; gap: 8px; }
.nav-link {
  display: inline-flex; align-items: center; min-height: 44px; padding: 0 14px; border-radius: 10px;
  border: 1px solid rgba(255,255,255,.35); color: #fff; text-decoration: none; white-space: nowrap;
}
.nav-link:hover { background: rgba(255,255,255,.1); }

main { max-width: 1080px; margin: 0 auto; padding: 20px 16px 40px; }
.page-head { margin: 4px 4px 16px; }
.page-head h1 { margin: 0; font-size: 1.75rem; letter-spacing: -.02em; }
.lead { margin: 4px 0 0; color: var(--muted); }
.eyebrow { margin: 0 0 2px; color: var(--muted); font-weight: 700; font-size: .9rem; }
.report-head { display: flex; justify-content: space-between; align-items: flex-end; gap: 16px;
  flex-wrap: wrap; }
.print-hint { margin: 0; color: var(--muted); font-size: .85rem; }
kbd { font: inherit; font-size: .8rem; padding: 1px 6px; border: 1px solid var(--line);
  border-bottom-width: 2px; border-radius: 6px; background: #fff; }

.card {
  background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius);
  padding: 18px 20px; margin-bottom: 16px; box-shadow: 0 4px 18px rgba(0,0,0,.04);
}
.card h2 { margin: 0 0 12px; font-size: 1.15rem; }
.empty { color: var(--muted); margin: 0; }
.empty.ok { color: var(--green); font-weight: 600; }
.note, .foot { color: var(--muted); font-size: .85rem; margin: 8px 0 0; }
.foot { margin: 4px 4px 0; }

.chip {
  display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: .85rem;
  font-weight: 700; white-space: nowrap; background: #eeece6; color: var(--muted);
}
.chip[data-tone="done"] { background: #e3f3ea; color: var(--green); }
.chip[data-tone="pending"] { background: #e8effc; color: var(--blue); }
.chip[data-tone="running"] { background: #fff3d6; color: var(--amber); }

/* ---------- day list ---------- */
.days { list-style: none; margin: 0; padding: 0; background: var(--panel);
  border: 1px solid var(--line); border-radius: var(--radius); overflow: hidden; }
.days li + li { border-top: 1px solid var(--line); }
.days-head, .day-row {
  display: grid; grid-template-columns: minmax(11rem, 2fr) 6rem 5rem minmax(8rem, 1.3fr) 8rem;
  gap: 12px 24px; align-items: center; padding: 14px 20px;
}
.days-head { font-size: .85rem; font-weight: 700; color: var(--muted); background: #faf9f6;
  padding-top: 10px; padding-bottom: 10px; }
.day-row { color: inherit; text-decoration: none; min-height: 60px; }
.day-row:hover { background: #faf9f6; }
.day-row .date { font-weight: 700; font-size: 1.05rem; }
.day-row .date::after { content: " ›"; color: var(--muted); font-weight: 400; }
.day-row .net { font-weight: 800; font-size: 1.05rem; }
.day-row .k { display: none; }
.state { font-weight: 600; }
.state[data-state="CLOSED"] { color: var(--muted); }
.state[data-state="OPEN"] { color: var(--green); }
.state[data-state="BREAK"], .state[data-state="CLOSING"] { color: var(--amber); }
.days .chip { justify-self: start; }

/* ---------- report ---------- */
.stats { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 0; }
.stat { background: #faf9f6; border-radius: 12px; padding: 12px 14px; min-width: 0; }
.stat dt { color: var(--muted); font-size: .9rem; font-weight: 600; }
.stat dd { margin: 2px 0 0; font-size: 1.45rem; font-weight: 800; letter-spacing: -.02em;
  font-variant-numeric: tabular-nums; }
.stat dd small { display: block; font-size: .78rem; font-weight: 500; color: var(--muted);
  letter-spacing: 0; }
.stat[data-tone="main"] { background: var(--ink); color: #fff; }
.stat[data-tone="main"] dt, .stat[data-tone="main"] dd small { color: rgba(255,255,255,.7); }
.stat[data-tone="main"] dd { color: var(--brand); }
.stat[data-tone="warn"] dd { color: var(--red); }

.chart-scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
.hour-chart { display: block; width: 100%; height: auto; font-family: inherit; }
.hour-chart-compact { display: none; width: 100%; height: auto; font-family: inherit; }
.hour-chart .bar-group:hover .bar { fill: #1f4fb8; }

.items { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
.items th, .items td { padding: 10px 8px; border-bottom: 1px solid var(--line); text-align: left; }
.items thead th { font-size: .85rem; color: var(--muted); border-bottom: 2px solid var(--line); }
.items tbody th { font-weight: 600; }
.items .num { text-align: right; }
.items tfoot th, .items tfoot td { font-weight: 800; border-bottom: 0; border-top: 2px solid var(--ink); }
.share-col { width: 34%; }
.share { white-space: nowrap; }
.share-bar { width: calc(100% - 4.5em); max-width: 220px; height: 8px; vertical-align: middle;
  margin-right: 8px; }
.share span { display: inline-block; min-width: 3.6em; }

.findings { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--amber); border-radius: 12px;
  padding: 12px 14px; }
.finding-head { display: flex; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
.refund { font-weight: 800; color: var(--red); white-space: nowrap; }
.refund[data-refunded="no"] { color: var(--muted); font-weight: 600; }
.finding p { margin: 4px 0 0; }
.finding .meta { color: var(--muted); font-size: .8rem; }
.finding code { font-size: .78rem; }

.notice { max-width: 560px; margin: 40px auto; text-align: center; padding: 32px 24px; }
.notice h1 { margin: 8px 0 4px; font-size: 1.5rem; }
.button { display: inline-flex; align-items: center; min-height: 48px; padding: 0 20px;
  border-radius: 12px; background: var(--ink); color: #fff; text-decoration: none; font-weight: 700; }
.spinner { width: 44px; height: 44px; margin: 0 auto; border-radius: 50%;
  border: 5px solid #e8effc; border-top-color: var(--blue); animation: spin 1s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }

/* ---------- tablet portrait and phone ---------- */
@media (max-width: 820px) {
  .stats { grid-template-columns: repeat(2, 1fr); }
}
@media (max-width: 640px) {
  main { padding: 14px 10px 32px; }
  .page-head h1 { font-size: 1.45rem; }
  .card { padding: 14px 14px; }
  .store-name { display: none; }
  .nav { margin-left: auto; }
  .nav-link { padding: 0 10px; }
  .print-hint { display: none; }
  .days-head { display: none; }
  .day-row { grid-template-columns: 1fr auto; gap: 4px 12px; padding: 12px 16px; }
  .day-row .date { grid-column: 1; white-space: nowrap; }
  .day-row .date::after { content: none; }
  .day-row .state { grid-column: 2; justify-self: end; font-size: .9rem; }
  .day-row .orders { grid-column: 1; text-align: left; color: var(--muted); font-size: .9rem; }
  .day-row .net { grid-column: 2; grid-row: 2; white-space: nowrap; }
  .day-row .chip { grid-column: 1; }
  .day-row .k { display: inline; font-weight: 400; color: var(--muted); font-size: .85rem; }
  .stat dd { font-size: 1.2rem; }
  .chart-scroll, .hour-chart { display: none; }
  .hour-chart-compact { display: block; }
  .share-col { width: auto; }
  .share-bar { display: none; }
  .items th, .items td { padding: 9px 4px; }
}

/* ---------- print: A4, no navigation, ink-friendly ---------- */
@page { size: A4; margin: 12mm; }
@media print {
  :root { font-size: 10.5pt; line-height: 1.35; background: #fff; }
  body { min-height: 0; }
  .topbar .nav, .print-hint, .nav-link, .button { display: none !important; }
  .topbar { background: none; color: var(--ink); min-height: 0; padding: 0 0 3pt;
    border-bottom: 1.5pt solid var(--ink); }
  .brand, .brand b { color: var(--ink); }
  main { max-width: none; padding: 6pt 0 0; }
  .page-head { margin: 0 0 8pt; }
  .page-head h1 { font-size: 17pt; }
  .card { box-shadow: none; border: 0; border-radius: 0; padding: 0; margin: 0 0 9pt;
    break-inside: avoid; }
  .card h2 { font-size: 11.5pt; margin-bottom: 4pt; border-bottom: .75pt solid var(--line);
    padding-bottom: 2pt; }
  .stats { grid-template-columns: repeat(4, 1fr); gap: 4pt; }
  .stat { border: .75pt solid var(--line); background: none; padding: 4pt 7pt; }
  .stat dd { font-size: 13pt; }
  .stat dd small { font-size: 7.5pt; }
  .stat[data-tone="main"] { background: none; color: var(--ink); border: 1.5pt solid var(--ink); }
  .stat[data-tone="main"] dt, .stat[data-tone="main"] dd small { color: var(--muted); }
  .stat[data-tone="main"] dd { color: var(--ink); }
  .chart-scroll { overflow: visible; }
  .chart-scroll, .hour-chart { display: block; }
  .hour-chart { width: 100%; height: 56mm; }
  .hour-chart-compact { display: none; }
  .note { margin-top: 2pt; }
  .items th, .items td { padding: 3pt 6pt; }
  .items tr { break-inside: avoid; }
  .findings { gap: 4pt; }
  .finding { padding: 5pt 8pt; break-inside: avoid; }
  .chip { border: .75pt solid currentColor; background: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

export const reportCss = staticAsset(`${DAYS_PATH}/report.css`, css, "text/css; charset=utf-8");
