import type { Child } from "hono/jsx";
import type { DayReport } from "../../accounting/report.ts";
import {
  DAY_STATE_LABEL,
  DAYS_PATH,
  FINDING_LABEL,
  koDate,
  koTime,
  percent,
  settlementLabel,
  won,
} from "./format.ts";
import { HourChart, HourChartCompact } from "./HourChart.tsx";
import type { DayRow } from "./queries.ts";
import { reportCss } from "./reportCss.ts";

/** The page frame: top bar with the way back to the counter screen; no script at all. */
function Shell(props: {
  title: string;
  storeName?: string;
  refreshSeconds?: number;
  back?: { href: string; label: string };
  children: Child;
}) {
  return (
    <html lang="ko">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#1c1c1e" />
        <meta name="referrer" content="no-referrer" />
        {props.refreshSeconds ? (
          <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
        ) : null}
        <title>{`${props.title} · 심플오더`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={reportCss.path} />
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/">
            <b>심플</b>오더
          </a>
          <span class="store-name">{props.storeName ?? ""}</span>
          <nav class="nav" aria-label="이동">
            {props.back ? (
              <a class="nav-link" href={props.back.href}>
                ← {props.back.label}
              </a>
            ) : null}
            <a class="nav-link" href="/">
              매장 화면
            </a>
          </nav>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** GET /days: the store's day businesses, newest first, each linking to its report. */
export function DaysPage({ storeName, days }: { storeName: string; days: DayRow[] }) {
  return (
    <Shell title="지난 영업일" storeName={storeName}>
      <div class="page-head">
        <h1>지난 영업일</h1>
        <p class="lead">날짜를 누르면 그날의 매출 보고서를 볼 수 있습니다.</p>
      </div>
      {days.length === 0 ? (
        <p class="empty card">
          아직 기록된 영업일이 없습니다. 영업을 마감하면 여기에 보고서가 생깁니다.
        </p>
      ) : (
        <ul class="days">
          <li class="days-head" aria-hidden="true">
            <span>영업일</span>
            <span>상태</span>
            <span class="num">주문</span>
            <span class="num">순매출</span>
            <span>정산</span>
          </li>
          {days.map((d) => {
            const s = settlementLabel(d.state, d.settlement);
            return (
              <li>
                <a class="day-row" href={`${DAYS_PATH}/${d.id}`} data-day-id={d.id}>
                  <span class="date">{koDate(d.businessDate)}</span>
                  <span class="state" data-state={d.state}>
                    {DAY_STATE_LABEL[d.state] ?? d.state}
                  </span>
                  <span class="num orders">
                    <span class="k">주문 </span>
                    {d.orderCount.toLocaleString("ko-KR")}건
                  </span>
                  <span class="num net">
                    <span class="k">순매출 </span>
                    {d.netAmount === null ? "—" : won(d.netAmount)}
                  </span>
                  <span class="chip" data-tone={s.tone}>
                    {s.text}
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </Shell>
  );
}

type Day = {
  id: string;
  businessDate: string;
  state: string;
  openedAt: number | null;
  closedAt: number | null;
  settlement: string | null;
};

function Stat(props: { label: string; value: string; note?: string; tone?: string }) {
  return (
    <div class="stat" data-tone={props.tone ?? ""}>
      <dt>{props.label}</dt>
      <dd>
        {props.value}
        {props.note ? <small>{props.note}</small> : null}
      </dd>
    </div>
  );
}

/** GET /days/:id: one day's accounting report, readable on a tablet, a phone and on A4. */
export function ReportPage(props: {
  storeName: string;
  day: Day;
  report: DayReport;
  pickups: Map<string, number>;
}) {
  const { day, report: r } = props;
  const itemTotal = r.byItem.reduce((s, i) => s + i.amount, 0);
  const itemQty = r.byItem.reduce((s, i) => s + i.qty, 0);
  const sold = r.orderCount - r.canceledCount;
  const s = settlementLabel(day.state, day.settlement);
  return (
    <Shell
      title={`${koDate(r.businessDate)} 매출 보고서`}
      storeName={props.storeName}
      back={{ href: DAYS_PATH, label: "영업일 목록" }}
    >
      <div class="page-head report-head">
        <div>
          <p class="eyebrow">{props.storeName} · 일일 매출 보고서</p>
          <h1>{koDate(r.businessDate)}</h1>
          <p class="lead">
            영업 {koTime(day.openedAt)} ~ {koTime(day.closedAt)} · 정산{" "}
            <span class="chip" data-tone={s.tone}>
              {s.text}
            </span>
          </p>
        </div>
        <p class="print-hint">
          인쇄: <kbd>Ctrl</kbd>+<kbd>P</kbd> (Mac은 <kbd>⌘</kbd>+<kbd>P</kbd>) — A4 한 장에 맞춰
          인쇄됩니다.
        </p>
      </div>

      <section class="card headline" aria-labelledby="sum-title">
        <h2 id="sum-title" class="sr-only">
          요약
        </h2>
        <dl class="stats">
          <Stat label="순매출" value={won(r.netAmount)} note="총매출 − 환불" tone="main" />
          <Stat label="총매출" value={won(r.grossAmount)} note="결제된 모든 금액" />
          <Stat label="환불" value={won(r.refundAmount)} tone={r.refundAmount > 0 ? "warn" : ""} />
          <Stat label="객단가" value={won(r.averageTicket)} note={`판매 ${sold}건 기준`} />
          <Stat label="주문 수" value={`${r.orderCount.toLocaleString("ko-KR")}건`} />
          <Stat
            label="취소"
            value={`${r.canceledCount.toLocaleString("ko-KR")}건`}
            tone={r.canceledCount > 0 ? "warn" : ""}
          />
          <Stat label="첫 주문" value={koTime(r.firstOrderAt)} />
          <Stat label="마지막 주문" value={koTime(r.lastOrderAt)} />
        </dl>
      </section>

      <section class="card" aria-labelledby="hour-title">
        <h2 id="hour-title">시간대별 매출</h2>
        <div class="chart-scroll">
          <HourChart byHour={r.byHour} />
        </div>
        <HourChartCompact byHour={r.byHour} />
        <p class="note">취소된 주문은 빼고, 결제 시각(한국 시간) 기준으로 묶었습니다.</p>
      </section>

      <section class="card" aria-labelledby="item-title">
        <h2 id="item-title">메뉴별 판매</h2>
        {r.byItem.length === 0 ? (
          <p class="empty">판매된 메뉴가 없습니다.</p>
        ) : (
          <table class="items">
            <thead>
              <tr>
                <th scope="col">메뉴</th>
                <th scope="col" class="num">
                  수량
                </th>
                <th scope="col" class="num">
                  매출
                </th>
                <th scope="col" class="num share-col">
                  비중
                </th>
              </tr>
            </thead>
            <tbody>
              {r.byItem.map((i) => {
                const share = itemTotal > 0 ? i.amount / itemTotal : 0;
                return (
                  <tr class="item-row">
                    <th scope="row">{i.name}</th>
                    <td class="num">{i.qty.toLocaleString("ko-KR")}</td>
                    <td class="num">{won(i.amount)}</td>
                    <td class="num share">
                      <svg class="share-bar" viewBox="0 0 100 8" aria-hidden="true">
                        <rect width="100" height="8" rx="4" fill="#eeece6" />
                        <rect width={Math.max(share * 100, 1)} height="8" rx="4" fill="#5b8def" />
                      </svg>
                      <span>{percent(i.amount, itemTotal)}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">합계</th>
                <td class="num">{itemQty.toLocaleString("ko-KR")}</td>
                <td class="num">{won(itemTotal)}</td>
                <td class="num share">
                  <span>100%</span>
                </td>
              </tr>
            </tfoot>
          </table>
        )}
      </section>

      <section class="card" aria-labelledby="finding-title">
        <h2 id="finding-title">정산 확인 사항</h2>
        {r.findings.length === 0 ? (
          <p class="empty ok">특이 사항이 없습니다. 결제와 주문 기록이 모두 일치합니다.</p>
        ) : (
          <ul class="findings">
            {r.findings.map((f) => {
              const label = FINDING_LABEL[f.kind];
              const pickup = props.pickups.get(f.orderId);
              return (
                <li class="finding" data-kind={f.kind}>
                  <div class="finding-head">
                    <strong>{label?.title ?? f.kind}</strong>
                    <span class="refund" data-refunded={f.refunded > 0 ? "yes" : "no"}>
                      {f.refunded > 0 ? `환불 ${won(f.refunded)}` : "환불 없음"}
                    </span>
                  </div>
                  {label ? <p>{label.explain}</p> : null}
                  <p class="meta">
                    {pickup !== undefined ? `픽업 번호 ${pickup} · ` : ""}주문{" "}
                    <code>{f.orderId}</code> · {f.detail}
                  </p>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <p class="foot">
        객단가 = 순매출 ÷ 판매 주문 수(취소 제외). 금액은 모두 원(KRW), 시각은 한국 시간입니다.
      </p>
    </Shell>
  );
}

/** The day is closed but its accounting has not written the report yet: refresh every 3 s. */
export function PendingPage(props: { storeName: string; businessDate: string; closed: boolean }) {
  return (
    <Shell
      title={props.closed ? "정산 중" : "영업 중"}
      storeName={props.storeName}
      refreshSeconds={props.closed ? 3 : undefined}
      back={{ href: DAYS_PATH, label: "영업일 목록" }}
    >
      <section class="card notice" aria-live="polite">
        <div class="spinner" aria-hidden="true" hidden={!props.closed} />
        <h1>{props.closed ? "정산 중입니다" : "아직 마감되지 않은 영업일입니다"}</h1>
        <p class="lead">{koDate(props.businessDate)}</p>
        <p>
          {props.closed
            ? "주문과 결제를 맞춰 보고 있습니다. 보통 1분 안에 끝나며, 이 화면은 3초마다 저절로 새로고침됩니다."
            : "영업을 마감하면 정산이 시작되고, 끝나면 이 화면에서 보고서를 볼 수 있습니다."}
        </p>
      </section>
    </Shell>
  );
}

/** An unknown day, or another store's day: the same page either way. */
export function NotFoundPage({ storeName }: { storeName?: string }) {
  return (
    <Shell
      title="찾을 수 없음"
      storeName={storeName}
      back={{ href: DAYS_PATH, label: "영업일 목록" }}
    >
      <section class="card notice">
        <h1>영업일을 찾을 수 없습니다</h1>
        <p>주소가 올바르지 않거나 이 매장의 영업일이 아닙니다.</p>
        <p>
          <a class="button" href={DAYS_PATH}>
            영업일 목록으로
          </a>
        </p>
      </section>
    </Shell>
  );
}
