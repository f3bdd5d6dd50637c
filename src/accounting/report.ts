import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Deps } from "../deps.ts";

export type DayReport = {
  dayId: string;
  storeId: string;
  businessDate: string;
  orderCount: number;
  canceledCount: number;
  grossAmount: number;
  refundAmount: number;
  netAmount: number;
  averageTicket: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  byItem: { name: string; qty: number; amount: number }[];
  byHour: { hour: number; orderCount: number; amount: number }[];
  findings: { orderId: string; kind: string; refunded: number; detail: string }[];
};

const HOUR_MS = 3_600_000;
/** KST is UTC+9 all year (no daylight saving since 1988): arithmetic, not a formatter per order. */
const hourInSeoul = (ms: number) => Math.floor((ms + 9 * HOUR_MS) / HOUR_MS) % 24;

/**
 * The day report, computed from SQLite after reconciliation (so a re-run computes the same):
 * orders = every order that was paid; gross = every captured total (paid orders and captures
 * that never became an order); refunds = canceled orders and refunded stray captures;
 * byItem and byHour count the orders that stayed sold (paid, not canceled).
 */
export async function buildReport(
  deps: Deps,
  day: { id: string; storeId: string; businessDate: string },
): Promise<DayReport> {
  const { accountingFindings, orders } = deps.db.t;
  const paid = await deps.db
    .select()
    .from(orders)
    .where(and(eq(orders.dayId, day.id), isNotNull(orders.paidAt)))
    .orderBy(asc(orders.paidAt));
  const findingRows = await deps.db
    .select()
    .from(accountingFindings)
    .where(eq(accountingFindings.dayId, day.id))
    .orderBy(asc(accountingFindings.orderId), asc(accountingFindings.kind));
  const findings = findingRows.map(({ orderId, kind, refunded, detail }) => ({
    orderId,
    kind,
    refunded,
    detail,
  }));
  const stray = findings
    .filter((f) => f.kind === "captured_without_order")
    .reduce((s, f) => s + f.refunded, 0);
  const canceled = paid.filter((o) => o.status === "CANCELED" || o.status === "CANCELING");
  const sold = paid.filter((o) => !canceled.includes(o));
  const gross = paid.reduce((s, o) => s + o.totalAmount, 0) + stray;
  const refunds = canceled.reduce((s, o) => s + o.totalAmount, 0) + stray;
  const net = gross - refunds;
  return {
    dayId: day.id,
    storeId: day.storeId,
    businessDate: day.businessDate,
    orderCount: paid.length,
    canceledCount: canceled.length,
    grossAmount: gross,
    refundAmount: refunds,
    netAmount: net,
    averageTicket: sold.length ? Math.round(net / sold.length) : 0,
    firstOrderAt: paid[0]?.paidAt ?? null,
    lastOrderAt: paid.at(-1)?.paidAt ?? null,
    byItem: await itemTotals(
      deps,
      sold.map((o) => o.id),
    ),
    byHour: hourTotals(sold),
    findings,
  };
}

async function itemTotals(deps: Deps, orderIds: string[]) {
  const { orderItems } = deps.db.t;
  const totals = new Map<string, { name: string; qty: number; amount: number }>();
  for (let i = 0; i < orderIds.length; i += 500) {
    const lines = await deps.db
      .select({ name: orderItems.name, qty: orderItems.qty, amount: orderItems.amount })
      .from(orderItems)
      .where(inArray(orderItems.orderId, orderIds.slice(i, i + 500)));
    for (const l of lines) {
      const t = totals.get(l.name) ?? { name: l.name, qty: 0, amount: 0 };
      t.qty += l.qty;
      t.amount += l.amount;
      totals.set(l.name, t);
    }
  }
  return [...totals.values()].sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name));
}

function hourTotals(sold: { paidAt: number | null; totalAmount: number }[]) {
  const byHour = new Map<number, { hour: number; orderCount: number; amount: number }>();
  for (const o of sold) {
    const hour = hourInSeoul(o.paidAt!);
    const h = byHour.get(hour) ?? { hour, orderCount: 0, amount: 0 };
    h.orderCount += 1;
    h.amount += o.totalAmount;
    byHour.set(hour, h);
  }
  return [...byHour.values()].sort((a, b) => a.hour - b.hour);
}

/** Writes (or rewrites) the report and the day's settlement row; a paid-out settlement stays. */
export async function saveReport(deps: Deps, report: DayReport) {
  const { dayReports, settlements } = deps.db.t;
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(dayReports)
      .values({ dayId: report.dayId, storeId: report.storeId, report })
      .onConflictDoUpdate({ target: dayReports.dayId, set: { report } });
    await tx
      .insert(settlements)
      .values({
        dayId: report.dayId,
        storeId: report.storeId,
        netAmount: report.netAmount,
        status: "PENDING",
      })
      .onConflictDoUpdate({
        target: settlements.dayId,
        set: { netAmount: report.netAmount },
        setWhere: eq(settlements.status, "PENDING"),
      });
  });
}

export async function loadReport(deps: Deps, dayId: string) {
  const { dayReports } = deps.db.t;
  const [row] = await deps.db.select().from(dayReports).where(eq(dayReports.dayId, dayId));
  return row?.report as DayReport | undefined;
}
