import type { DayState } from "../../../db/model.ts";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../infra/errors.ts";

/** The live (not CLOSED) day business of a store, as Redis holds it. */
export type LiveDay = {
  dayId: string;
  state: DayState;
  lastEntryId: string;
  readyAt: number;
  businessDate: string;
  openedAt: number | null;
  closingAt: number | null;
  orderCount: number;
  grossAmount: number;
  canceledCount: number;
  refundAmount: number;
};

const num = (v: string | undefined) => (v === undefined || v === "" ? null : Number(v));

export async function readLiveDay(deps: Pick<Deps, "redis" | "keys">, storeId: string) {
  const h = await deps.redis.hgetall(deps.keys.day(storeId));
  if (!h.dayId || !h.state) return null;
  return {
    dayId: h.dayId,
    state: h.state as DayState,
    lastEntryId: h.lastEntryId ?? "0-0",
    readyAt: num(h.readyAt) ?? 0,
    businessDate: h.businessDate ?? "",
    openedAt: num(h.openedAt),
    closingAt: num(h.closingAt),
    orderCount: num(h.orderCount) ?? 0,
    grossAmount: num(h.grossAmount) ?? 0,
    canceledCount: num(h.canceledCount) ?? 0,
    refundAmount: num(h.refundAmount) ?? 0,
  } satisfies LiveDay;
}

export const invalidTransition = (state: string | null, action: string) =>
  new AppError(
    409,
    "invalid_transition",
    state
      ? `The day business is ${state}; "${action}" is not allowed now.`
      : `No day business is live; "${action}" is not allowed now.`,
    { state },
  );

/** The shop's calendar date (Korea time) of an instant. */
export function businessDateOf(ms: number): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Seoul" }).format(new Date(ms));
}
