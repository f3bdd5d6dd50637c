import {
  and,
  asc,
  count,
  eq,
  inArray,
  isNotNull,
  max,
  min,
  not,
  notExists,
  sql,
  sum,
} from "drizzle-orm";
import type { Deps } from "../deps.ts";
import { nextTurn } from "./phases.ts";
import { paidStatuses } from "./reconcile.ts";

/**
 * How the day's payments were checked against KakaoPay: `asked` orders had their status asked of
 * KakaoPay's order API; `approvalRecorded` paid orders agreed in SQLite, the day stream and
 * KakaoPay's own approve answer recorded on the payment (amount and time) — with
 * ACCOUNTING_ASK_KAKAOPAY=in-question those are not asked again (reconcile.ts `asksKakaoPay`).
 * Absent from reports written before it was counted.
 */
export type KakaoPayChecks = { asked: number; approvalRecorded: number };

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
  kakaoPay?: KakaoPayChecks;
};

const num = (v: unknown) => Number(v ?? 0);

/**
 * The day report, computed from SQLite after reconciliation (so a re-run computes the same):
 * orders = every order that was paid; gross = every captured total (paid orders and captures
 * that never became an order); refunds = canceled orders and refunded stray captures;
 * byItem and byHour count the orders that stayed sold (paid, not canceled). Sums and groups are
 * the database's (one row per item name or hour comes back, not one per order).
 */
export async function buildReport(
  deps: Deps,
  day: { id: string; storeId: string; businessDate: string },
): Promise<DayReport> {
  // One query a turn of the event loop: SQLite answers synchronously, and the API may share it.
  const paid = await paidTotals(deps, day.id);
  const findings = await dayFindings(deps, day.id);
  await nextTurn();
  const byItem = await itemTotals(deps, day.id);
  await nextTurn();
  const byHour = await hourTotals(deps, day.id);
  await nextTurn();
  const kakaoPay = await kakaoPayChecks(deps, day.id);
  const stray = findings
    .filter((f) => f.kind === "captured_without_order")
    .reduce((s, f) => s + f.refunded, 0);
  const gross = paid.amount + stray;
  const refunds = paid.canceledAmount + stray;
  const net = gross - refunds;
  const soldCount = paid.count - paid.canceledCount;
  return {
    dayId: day.id,
    storeId: day.storeId,
    businessDate: day.businessDate,
    orderCount: paid.count,
    canceledCount: paid.canceledCount,
    grossAmount: gross,
    refundAmount: refunds,
    netAmount: net,
    averageTicket: soldCount ? Math.round(net / soldCount) : 0,
    firstOrderAt: paid.first,
    lastOrderAt: paid.last,
    byItem,
    byHour,
    findings,
    kakaoPay,
  };
}

function canceled(deps: Deps) {
  return inArray(deps.db.t.orders.status, ["CANCELED", "CANCELING"]);
}

/** Orders that were paid (canceled ones included) and the canceled part of them. */
async function paidTotals(deps: Deps, dayId: string) {
  const { orders } = deps.db.t;
  const isCanceled = canceled(deps);
  const [row] = await deps.db
    .select({
      count: count(),
      amount: sum(orders.totalAmount),
      canceledCount: sql`sum(case when ${isCanceled} then 1 else 0 end)`,
      canceledAmount: sql`sum(case when ${isCanceled} then ${orders.totalAmount} else 0 end)`,
      first: min(orders.paidAt),
      last: max(orders.paidAt),
    })
    .from(orders)
    .where(and(eq(orders.dayId, dayId), isNotNull(orders.paidAt)));
  return {
    count: num(row?.count),
    amount: num(row?.amount),
    canceledCount: num(row?.canceledCount),
    canceledAmount: num(row?.canceledAmount),
    first: row?.first == null ? null : Number(row.first),
    last: row?.last == null ? null : Number(row.last),
  };
}

async function dayFindings(deps: Deps, dayId: string) {
  const { accountingFindings } = deps.db.t;
  const rows = await deps.db
    .select()
    .from(accountingFindings)
    .where(eq(accountingFindings.dayId, dayId))
    .orderBy(asc(accountingFindings.orderId), asc(accountingFindings.kind));
  return rows.map(({ orderId, kind, refunded, detail }) => ({ orderId, kind, refunded, detail }));
}

function sold(deps: Deps, dayId: string) {
  const { orders } = deps.db.t;
  return and(eq(orders.dayId, dayId), isNotNull(orders.paidAt), not(canceled(deps)));
}

async function itemTotals(deps: Deps, dayId: string) {
  const { orderItems, orders } = deps.db.t;
  const rows = await deps.db
    .select({ name: orderItems.name, qty: sum(orderItems.qty), amount: sum(orderItems.amount) })
    .from(orderItems)
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(sold(deps, dayId))
    .groupBy(orderItems.name);
  return rows
    .map((r) => ({ name: r.name, qty: num(r.qty), amount: num(r.amount) }))
    .sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name));
}

/** The Seoul hour of the payment: KST is UTC+9 all year (no daylight saving since 1988). */
async function hourTotals(deps: Deps, dayId: string) {
  const { orders } = deps.db.t;
  // Literal numbers, not parameters: PostgreSQL matches the GROUP BY expression to the select's.
  const hour = sql`((${orders.paidAt} + 32400000) / 3600000) % 24`;
  const rows = await deps.db
    .select({ hour, orderCount: count(), amount: sum(orders.totalAmount) })
    .from(orders)
    .where(sold(deps, dayId))
    .groupBy(hour);
  return rows
    .map((r) => ({ hour: num(r.hour), orderCount: num(r.orderCount), amount: num(r.amount) }))
    .sort((a, b) => a.hour - b.hour);
}

/** `KakaoPayChecks` from SQLite: the rule of reconcile.ts `approvalRecorded`, in SQL. */
async function kakaoPayChecks(deps: Deps, dayId: string): Promise<KakaoPayChecks> {
  const { accountingFindings, orders, payments } = deps.db.t;
  const missingFromStream = deps.db
    .select({ one: sql`1` })
    .from(accountingFindings)
    .where(
      and(
        eq(accountingFindings.dayId, dayId),
        eq(accountingFindings.orderId, orders.id),
        eq(accountingFindings.kind, "paid_missing_from_stream"),
      ),
    );
  const approvalRecordedSql = and(
    inArray(orders.status, paidStatuses),
    eq(payments.status, "APPROVED"),
    eq(payments.amount, orders.totalAmount),
    isNotNull(payments.approvedAt),
    notExists(missingFromStream),
  );
  const [row] = await deps.db
    .select({
      withTid: count(),
      approvalRecorded: sql`sum(case when ${approvalRecordedSql} then 1 else 0 end)`,
    })
    .from(orders)
    .innerJoin(payments, eq(payments.orderId, orders.id))
    .where(and(eq(orders.dayId, dayId), isNotNull(payments.tid)));
  const approvalRecorded = num(row?.approvalRecorded);
  const withTid = num(row?.withTid);
  const everyOne = deps.config.accountingAskKakaoPay === "every";
  return { asked: everyOne ? withTid : withTid - approvalRecorded, approvalRecorded };
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
