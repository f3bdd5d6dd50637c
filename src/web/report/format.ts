/** Korean (ko-KR, Asia/Seoul) formatting for the report pages. */

/** Where the lead mounts `reportRoutes` (src/app.ts). */
export const DAYS_PATH = "/days";

const WEEKDAYS = ["일", "월", "화", "수", "목", "금", "토"] as const;

/** 12500 → "12,500원" */
export const won = (n: number) => `${n.toLocaleString("ko-KR")}원`;

/** A short amount for narrow chart labels: 12500 → "1.3만원", 8000 → "8,000원". */
export function wonShort(n: number) {
  if (Math.abs(n) < 10_000) return won(n);
  const man = n / 10_000;
  const digits = Math.abs(man) < 100 ? 1 : 0;
  return `${Number(man.toFixed(digits)).toLocaleString("ko-KR")}만원`;
}

/** A business date "2026-11-25" → "2026년 11월 25일 (수)". */
export function koDate(businessDate: string) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(businessDate);
  if (!m) return businessDate;
  const [, y, mo, d] = m;
  const weekday = WEEKDAYS[new Date(`${businessDate}T00:00:00Z`).getUTCDay()] ?? "";
  return `${Number(y)}년 ${Number(mo)}월 ${Number(d)}일 (${weekday})`;
}

const timeFormat = new Intl.DateTimeFormat("ko-KR", {
  timeZone: "Asia/Seoul",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** An instant as the Korean wall-clock time "09:05", or "—". */
export const koTime = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? "—" : timeFormat.format(new Date(ms));

/** 9 → "9시" */
export const hourLabel = (hour: number) => `${hour}시`;

/** 0.4234 → "42.3%" */
export const percent = (part: number, whole: number) =>
  whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : "—";

export const DAY_STATE_LABEL: Record<string, string> = {
  READY: "준비",
  OPEN: "영업 중",
  BREAK: "휴식 중",
  CLOSING: "마감 중",
  CLOSED: "마감",
};

/** The settlement column: paid out, waiting for payout, accounting still running, or live. */
export function settlementLabel(state: string, settlement: string | null) {
  if (settlement === "PAID_OUT") return { text: "지급 완료", tone: "done" };
  if (settlement === "PENDING") return { text: "지급 대기", tone: "pending" };
  if (state === "CLOSED") return { text: "정산 중", tone: "running" };
  return { text: "마감 후 정산", tone: "none" };
}

export const FINDING_LABEL: Record<string, { title: string; explain: string }> = {
  captured_without_order: {
    title: "승인 누락 결제 환불",
    explain: "카카오페이에서 결제됐지만 승인이 주문에 전달되지 않아 자동으로 환불했습니다.",
  },
  canceled_but_captured: {
    title: "취소 후 미환불 결제 환불",
    explain: "취소된 주문의 결제가 남아 있어 자동으로 환불했습니다.",
  },
  paid_missing_from_stream: {
    title: "화면에 전달되지 않은 결제",
    explain: "결제된 주문이 매장 화면 알림에 빠져 있었습니다. 매출에는 포함됩니다.",
  },
  paid_not_captured: {
    title: "결제 확인 안 된 주문",
    explain: "결제됨으로 기록됐지만 카카오페이에서 결제가 확인되지 않은 주문입니다.",
  },
  status_repaired: {
    title: "상태 복구",
    explain: "주문 상태가 기록과 달라 바로잡았습니다.",
  },
};
