import type { DayReport } from "../../accounting/report.ts";
import { hourLabel, won, wonShort } from "./format.ts";

type Hour = DayReport["byHour"][number];

/** The smallest 1/2/5 × 10^k step that splits `max` into at most 5 parts, and the axis top. */
function axis(max: number) {
  const raw = Math.max(max, 1) / 5;
  const exp = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * exp >= raw) ?? 10) * exp;
  const top = Math.max(step, Math.ceil(max / step) * step);
  return { step, top };
}

/** Rough text width in SVG units: Hangul is about 1em wide, digits and commas about 0.6em. */
const textWidth = (s: string, size: number) =>
  [...s].reduce((w, ch) => w + (/[\u3131-\uD79D]/.test(ch) ? 1 : 0.6) * size, 0);

/** Every hour from the first to the last sale, each with its sales (or none). */
function slots(byHour: Hour[]) {
  const first = Math.min(...byHour.map((h) => h.hour));
  const last = Math.max(...byHour.map((h) => h.hour));
  const map = new Map(byHour.map((h) => [h.hour, h]));
  const peak = byHour.reduce((a, b) => (b.amount > a.amount ? b : a));
  const total = byHour.reduce((s, h) => s + h.amount, 0);
  const hours = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const summary =
    `${hourLabel(first)}부터 ${hourLabel(last)}까지 시간대별 매출, 합계 ${won(total)}. ` +
    `가장 많이 판 시간은 ${hourLabel(peak.hour)} (${won(peak.amount)}, 주문 ${peak.orderCount}건).`;
  return { hours, map, peak, summary };
}

const BAR = "#5b8def";
const PEAK = "#1f4fb8";
const INK = "#1c1c1e";
const MUTED = "#6b6b70";

/**
 * Sales per hour as inline SVG bar charts (no script, no style attributes: CSP-safe).
 * `HourChart` has the hours on the x axis (tablet, desktop, print); every hour from the first
 * to the last sale gets a slot, each hour in `byHour` one `.bar` with its amount above it and a
 * <title> (hover and screen readers). `HourChartCompact` is the same data as horizontal bars
 * for phones; the stylesheet shows one or the other.
 */
export function HourChart({ byHour }: { byHour: Hour[] }) {
  if (byHour.length === 0) {
    return <p class="empty">판매된 주문이 없어 시간대별 매출이 없습니다.</p>;
  }
  const { hours, map, peak, summary } = slots(byHour);
  const LEFT = 74;
  const RIGHT = 16;
  const TOP = 40;
  const PLOT = 240;
  const BOTTOM = 62;
  // A fixed width, so the labels keep their size on screen however many hours the day had.
  const width = 960;
  const slot = (width - LEFT - RIGHT) / hours.length;
  const valueFont = slot < 70 ? 13 : 15;
  const height = TOP + PLOT + BOTTOM;
  const { step, top } = axis(peak.amount);
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const y = (amount: number) => TOP + PLOT - (amount / top) * PLOT;
  const barWidth = Math.min(52, slot * 0.62);

  return (
    <svg
      class="hour-chart"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-labelledby="hour-chart-title hour-chart-desc"
    >
      <title id="hour-chart-title">시간대별 매출</title>
      <desc id="hour-chart-desc">{summary}</desc>
      <g class="grid">
        {ticks.map((v) => (
          <g>
            <line
              x1={LEFT}
              x2={width - RIGHT}
              y1={y(v)}
              y2={y(v)}
              stroke={v === 0 ? "#8e8e93" : "#e4e2dc"}
              stroke-width={v === 0 ? 1.5 : 1}
            />
            <text x={LEFT - 10} y={y(v) + 5} text-anchor="end" font-size="13" fill={MUTED}>
              {v === 0 ? "0" : wonShort(v)}
            </text>
          </g>
        ))}
      </g>
      {hours.map((hour, i) => {
        const cx = LEFT + slot * i + slot / 2;
        const h = map.get(hour);
        const full = h ? won(h.amount) : "";
        const short = h ? wonShort(h.amount) : "";
        const label =
          textWidth(full, valueFont) <= slot - 4
            ? full
            : textWidth(short, valueFont) <= slot - 2
              ? short
              : short.replace(/원$/, "");
        return (
          <g class="slot">
            {h ? (
              <g class={h === peak ? "bar-group peak" : "bar-group"}>
                <title>{`${hourLabel(hour)}: 주문 ${h.orderCount}건, ${won(h.amount)}`}</title>
                <rect
                  class="bar"
                  data-hour={hour}
                  x={cx - barWidth / 2}
                  y={y(h.amount)}
                  width={barWidth}
                  height={Math.max(1, TOP + PLOT - y(h.amount))}
                  rx="6"
                  fill={h === peak ? PEAK : BAR}
                />
                <text
                  x={cx}
                  y={y(h.amount) - 9}
                  text-anchor="middle"
                  font-size={valueFont}
                  font-weight="700"
                  fill={INK}
                >
                  {label}
                </text>
              </g>
            ) : null}
            <text
              x={cx}
              y={TOP + PLOT + 24}
              text-anchor="middle"
              font-size={slot < 50 ? 13 : 16}
              font-weight="700"
              fill={h ? INK : "#a1a1a6"}
            >
              {hourLabel(hour)}
            </text>
            <text x={cx} y={TOP + PLOT + 45} text-anchor="middle" font-size="13" fill={MUTED}>
              {h ? `${h.orderCount}건` : "–"}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** The phone version: one row per hour, bars growing to the right, amount and count beside. */
export function HourChartCompact({ byHour }: { byHour: Hour[] }) {
  if (byHour.length === 0) return null;
  const { hours, map, peak, summary } = slots(byHour);
  const WIDTH = 360;
  const ROW = 34;
  const LABEL = 44;
  const VALUE = 118;
  const span = WIDTH - LABEL - VALUE - 8;
  const height = hours.length * ROW + 4;
  return (
    <svg
      class="hour-chart-compact"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${WIDTH} ${height}`}
      width={WIDTH}
      height={height}
      role="img"
      aria-labelledby="hour-compact-title hour-compact-desc"
    >
      <title id="hour-compact-title">시간대별 매출</title>
      <desc id="hour-compact-desc">{summary}</desc>
      <line x1={LABEL} x2={LABEL} y1="0" y2={height} stroke="#8e8e93" stroke-width="1.5" />
      {hours.map((hour, i) => {
        const h = map.get(hour);
        const mid = i * ROW + ROW / 2 + 2;
        const w = h ? Math.max(2, (h.amount / peak.amount) * span) : 0;
        return (
          <g>
            {h ? (
              <title>{`${hourLabel(hour)}: 주문 ${h.orderCount}건, ${won(h.amount)}`}</title>
            ) : null}
            <text
              x={LABEL - 8}
              y={mid + 5}
              text-anchor="end"
              font-size="14"
              font-weight="700"
              fill={h ? INK : "#a1a1a6"}
            >
              {hourLabel(hour)}
            </text>
            {h ? (
              <rect
                class="hbar"
                x={LABEL}
                y={mid - 10}
                width={w}
                height="20"
                rx="4"
                fill={h === peak ? PEAK : BAR}
              />
            ) : null}
            <text x={LABEL + w + 8} y={mid + 5} font-size="14" fill={INK}>
              <tspan font-weight="700">{h ? won(h.amount) : "–"}</tspan>
              {h ? (
                <tspan fill={MUTED} font-size="12">
                  {` · ${h.orderCount}건`}
                </tspan>
              ) : null}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
