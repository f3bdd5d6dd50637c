import type { Child } from "hono/jsx";

const STYLE = `
body{margin:0;font-family:system-ui,-apple-system,"Apple SD Gothic Neo","Noto Sans KR","NanumGothic",sans-serif;background:#f6f4ef;color:#222}
main{max-width:420px;margin:0 auto;padding:40px 24px;text-align:center}
.pickup{font-size:88px;font-weight:800;margin:8px 0 0;letter-spacing:-2px}
.label{color:#777;font-size:15px;margin:24px 0 0}
h1{font-size:22px;margin:16px 0 8px}p{font-size:16px;line-height:1.5;margin:8px 0}
.store{font-weight:600}.total{font-size:18px;font-weight:700}
.muted{color:#888;font-size:14px}.icon{width:56px;height:56px;margin:0 auto}`;

export type ApprovalView =
  | { kind: "paid"; storeName: string; pickupNumber: number; summary: string; total: number }
  | { kind: "processing"; refreshUrl: string }
  | { kind: "failed"; title: string; detail: string }
  | { kind: "not_found" };

const won = (n: number) => `${n.toLocaleString("ko-KR")}원`;

/** Drawn, not emoji: a phone without an emoji font would show empty boxes. */
function Icon({ kind }: { kind: "paid" | "wait" | "warn" | "missing" }) {
  const color = { paid: "#1e8e3e", wait: "#8a6d00", warn: "#c62828", missing: "#666" }[kind];
  const mark = {
    paid: "M17 29l7 7 15-15",
    wait: "M28 16v13l8 5",
    warn: "M28 16v15M28 38v1",
    missing: "M24 24a4 4 0 1 1 6 3.5c-2 1-2 2.5-2 4.5M28 38v1",
  }[kind];
  return (
    <svg class="icon" viewBox="0 0 56 56" role="img" aria-hidden="true">
      <circle cx="28" cy="28" r="26" fill="none" stroke={color} stroke-width="4" />
      <path
        d={mark}
        fill="none"
        stroke={color}
        stroke-width="5"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}

function Shell(props: { title: string; refreshUrl?: string; children: Child }) {
  return (
    <html lang="ko">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {props.refreshUrl ? (
          <meta http-equiv="refresh" content={`2;url=${props.refreshUrl}`} />
        ) : null}
        <title>{props.title}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** The small mobile page the customer lands on after KakaoPay. */
export function ApprovalPage({ view }: { view: ApprovalView }) {
  switch (view.kind) {
    case "paid":
      return (
        <Shell title={`결제 완료 · 픽업 번호 ${view.pickupNumber}`}>
          <Icon kind="paid" />
          <h1>결제가 완료됐어요</h1>
          <p class="store">{view.storeName}</p>
          <p class="label">픽업 번호</p>
          <p class="pickup">{view.pickupNumber}</p>
          <p>{view.summary}</p>
          <p class="total">{won(view.total)}</p>
          <p class="muted">준비되면 카카오톡으로 알려 드릴게요. 이 창은 닫으셔도 돼요.</p>
        </Shell>
      );
    case "processing":
      return (
        <Shell title="결제 확인 중" refreshUrl={view.refreshUrl}>
          <Icon kind="wait" />
          <h1>결제를 확인하고 있어요</h1>
          <p>잠시만 기다려 주세요. 화면이 자동으로 새로고침됩니다.</p>
        </Shell>
      );
    case "failed":
      return (
        <Shell title={view.title}>
          <Icon kind="warn" />
          <h1>{view.title}</h1>
          <p>{view.detail}</p>
          <p class="muted">카카오톡으로 돌아가 다시 주문해 주세요. 결제된 금액은 없어요.</p>
        </Shell>
      );
    default:
      return (
        <Shell title="주문을 찾을 수 없어요">
          <Icon kind="missing" />
          <h1>주문을 찾을 수 없어요</h1>
          <p>링크가 올바르지 않거나 오래된 주문이에요. 카카오톡에서 다시 주문해 주세요.</p>
        </Shell>
      );
  }
}
