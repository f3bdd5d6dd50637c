import type { RedisClient } from "../../infra/redisClient.ts";
import appendPaidLua from "./appendPaid.lua" with { type: "text" };
import cancelBeginLua from "./cancelBegin.lua" with { type: "text" };
import cancelEndLua from "./cancelEnd.lua" with { type: "text" };
import cartSaveLua from "./cartSave.lua" with { type: "text" };
import { luaCommand, stateOrNone } from "./command.ts";
import dayCloseLua from "./dayClose.lua" with { type: "text" };
import dayMoveLua from "./dayMove.lua" with { type: "text" };
import dayReadyLua from "./dayReady.lua" with { type: "text" };
import dayRestoreLua from "./dayRestore.lua" with { type: "text" };
import healMoveLua from "./healMove.lua" with { type: "text" };
import orderMoveLua from "./orderMove.lua" with { type: "text" };
import pickupFloorLua from "./pickupFloor.lua" with { type: "text" };
import storeLoginLua from "./storeLogin.lua" with { type: "text" };
import storeLogoutLua from "./storeLogout.lua" with { type: "text" };

/*
 * One typed function per Lua script: keys by name, arguments by name, and the reply parsed into
 * a union on `outcome`. The scripts' own comments say what each step does atomically.
 */

type DayKeys = { day: string; stream: string };
type OrderKeys = { order: string; stream: string; day: string };
type DayStartKeys = DayKeys & { lastDay: string; control: string };
type SessionKeys = { storeSession: string; session: string; control: string };

const orderKeyNames = ["order", "stream", "day"] as const;
const dayStartKeyNames = ["day", "stream", "lastDay", "control"] as const;
const sessionKeyNames = ["storeSession", "session", "control"] as const;

const appendPaidCmd = luaCommand("appendPaid", appendPaidLua, ["day", "stream", "memo", "order"]);
export type AppendPaid =
  | { outcome: "ok" | "dup"; entryId: string; pickupNumber: number }
  | { outcome: "closed" };
/**
 * `order.paid` once per order (the memo): "ok" appended now, "dup" appended before (same entry
 * and number), "closed" the day is no longer live. `keepPickup` re-appends under a given number.
 */
export async function appendPaid(
  redis: RedisClient,
  keys: { day: string; stream: string; memo: string; order: string },
  args: {
    dayId: string;
    payload: string;
    amount: number;
    keepPickup?: number;
    tid: string;
    botUserKey: string;
  },
): Promise<AppendPaid> {
  const [outcome, entryId, pickup] = await appendPaidCmd(redis, keys, [
    args.dayId,
    args.payload,
    args.amount,
    args.keepPickup ?? "",
    args.tid,
    args.botUserKey,
  ]);
  if (outcome === "closed") return { outcome };
  return {
    outcome: outcome === "dup" ? "dup" : "ok",
    entryId: String(entryId),
    pickupNumber: Number(pickup),
  };
}

const cancelBeginCmd = luaCommand("cancelBegin", cancelBeginLua, ["order"]);
export type CancelBegin =
  | { outcome: "begun"; priorStatus: string }
  | { outcome: "refused"; status: string }
  | { outcome: "done" }
  | { outcome: "busy" }
  | { outcome: "missing" };
/** Marks the order CANCELING (or takes over a crashed cancel after `leaseMs`). */
export async function cancelBegin(
  redis: RedisClient,
  keys: { order: string },
  args: { now: number; reason: string; leaseMs: number },
): Promise<CancelBegin> {
  const [outcome, value] = await cancelBeginCmd(redis, keys, [args.now, args.reason, args.leaseMs]);
  if (outcome === "begun") return { outcome, priorStatus: String(value) };
  if (outcome === "refused") return { outcome, status: String(value) };
  if (outcome === "done") return { outcome };
  if (outcome === "busy") return { outcome };
  return { outcome: "missing" };
}

const cancelEndCmd = luaCommand("cancelEnd", cancelEndLua, orderKeyNames);
export type CancelEnd =
  | { outcome: "ok"; value: string }
  | { outcome: "same" }
  | { outcome: "refused"; status: string };
/** Ends a CANCELING order: `abort` restores its prior status; `finish` appends `order.canceled`. */
export async function cancelEnd(
  redis: RedisClient,
  keys: OrderKeys,
  args: { end: "abort" } | { end: "finish"; data: string; refunded: number },
): Promise<CancelEnd> {
  const argv = args.end === "abort" ? ["abort", "{}", 0] : ["finish", args.data, args.refunded];
  const [outcome, value] = await cancelEndCmd(redis, keys, argv);
  if (outcome === "ok") return { outcome, value: String(value) };
  if (outcome === "same") return { outcome };
  return { outcome: "refused", status: String(value) };
}

const cartSaveCmd = luaCommand("cartSave", cartSaveLua, ["cart"]);
export type CartSave =
  | { outcome: "ok"; version: number; cartId: string }
  | { outcome: "conflict"; version: number };
/** Saves the cart if it is still at `readVersion` (optimistic); `replace` takes a new cart id. */
export async function cartSave(
  redis: RedisClient,
  keys: { cart: string },
  args: { readVersion: number; body: string; ttlS: number; newCartId: string; replace: boolean },
): Promise<CartSave> {
  const [outcome, version, cartId] = await cartSaveCmd(redis, keys, [
    String(args.readVersion),
    args.body,
    args.ttlS,
    args.newCartId,
    args.replace ? "1" : "0",
  ]);
  if (outcome === "ok") return { outcome, version: Number(version), cartId: String(cartId) };
  return { outcome: "conflict", version: Number(version) };
}

/** A day step's refusal: `state` null when there is no live day. */
export type DayRefused = { outcome: "refused"; state: string | null };
type DayStale = { outcome: "stale"; state: string | null };

const dayReadyCmd = luaCommand("dayReady", dayReadyLua, dayStartKeyNames);
/** A new live day in READY with its stream's first entry, unless a day is live. */
export async function dayReady(
  redis: RedisClient,
  keys: DayStartKeys,
  args: { dayId: string; now: number; businessDate: string; data: string },
): Promise<{ outcome: "ok"; entryId: string } | DayRefused> {
  const [outcome, value] = await dayReadyCmd(redis, keys, [
    args.dayId,
    args.now,
    args.businessDate,
    args.data,
  ]);
  if (outcome === "ok") return { outcome, entryId: String(value) };
  return { outcome: "refused", state: stateOrNone(value) };
}

const dayMoveCmd = luaCommand("dayMove", dayMoveLua, ["day", "stream"]);
/** open · break · reopen · closing: from one of `from` to `to`, stamping `stamp` once. */
export async function dayMove(
  redis: RedisClient,
  keys: DayKeys,
  args: {
    dayId: string;
    now: number;
    from: readonly string[];
    to: string;
    data: string;
    stamp: string;
  },
): Promise<{ outcome: "ok"; entryId: string } | DayStale | DayRefused> {
  const [outcome, value] = await dayMoveCmd(redis, keys, [
    args.dayId,
    args.now,
    args.from.join(","),
    args.to,
    args.data,
    args.stamp,
  ]);
  if (outcome === "ok") return { outcome, entryId: String(value) };
  return { outcome: outcome === "stale" ? "stale" : "refused", state: stateOrNone(value) };
}

const dayCloseCmd = luaCommand("dayClose", dayCloseLua, ["day", "stream"]);
/**
 * Closes the live day if the client has seen its last entry (`seenEntry`); otherwise "behind"
 * with how many entries it missed.
 */
export async function dayClose(
  redis: RedisClient,
  keys: DayKeys,
  args: { dayId: string; seenEntry: string; data: string },
): Promise<
  { outcome: "ok"; entryId: string } | { outcome: "behind"; missed: number } | DayStale | DayRefused
> {
  const [outcome, value] = await dayCloseCmd(redis, keys, [args.dayId, args.seenEntry, args.data]);
  if (outcome === "ok") return { outcome, entryId: String(value) };
  if (outcome === "behind") return { outcome, missed: Number(value) };
  return { outcome: outcome === "stale" ? "stale" : "refused", state: stateOrNone(value) };
}

const dayRestoreCmd = luaCommand("dayRestore", dayRestoreLua, dayStartKeyNames);
/** The live day written again from its SQLite record (Redis lost it, or lost its last move). */
export async function dayRestore(
  redis: RedisClient,
  keys: DayStartKeys,
  args: {
    dayId: string;
    state: string;
    readyAt: number;
    businessDate: string;
    openedAt: number | null;
    closingAt: number | null;
    readyData: string;
    stateData: string;
  },
): Promise<{ outcome: "ok" } | { outcome: "same" } | { outcome: "other_day"; dayId: string }> {
  const [outcome, value] = await dayRestoreCmd(redis, keys, [
    args.dayId,
    args.state,
    args.readyAt,
    args.businessDate,
    args.openedAt ?? "",
    args.closingAt ?? "",
    args.readyData,
    args.stateData,
  ]);
  if (outcome === "ok" || outcome === "same") return { outcome };
  return { outcome: "other_day", dayId: String(value) };
}

const orderMoveCmd = luaCommand("orderMove", orderMoveLua, orderKeyNames);
/** accept · ready · pickup: from one of `from` to `to`, appending `event`, while the day is live. */
export async function orderMove(
  redis: RedisClient,
  keys: OrderKeys,
  args: { dayId: string; from: readonly string[]; to: string; event: string; data: string },
): Promise<
  | { outcome: "ok"; entryId: string }
  | { outcome: "same" }
  | { outcome: "missing" }
  | { outcome: "refused"; status: string }
> {
  const [outcome, value] = await orderMoveCmd(redis, keys, [
    args.dayId,
    args.from.join(","),
    args.to,
    args.event,
    args.data,
  ]);
  if (outcome === "ok") return { outcome, entryId: String(value) };
  if (outcome === "same") return { outcome };
  if (outcome === "missing") return { outcome };
  return { outcome: "refused", status: String(value) };
}

const healMoveCmd = luaCommand("healMove", healMoveLua, orderKeyNames);
/** Healing: a move SQLite kept and the stream lost, appended again (while the day is live). */
export async function healMove(
  redis: RedisClient,
  keys: OrderKeys,
  args: { dayId: string; status: string; event: string; data: string; refunded: number },
): Promise<{ outcome: "ok"; entryId: string } | { outcome: "same" | "closed" }> {
  const [outcome, value] = await healMoveCmd(redis, keys, [
    args.dayId,
    args.status,
    args.event,
    args.data,
    args.refunded,
  ]);
  if (outcome === "ok") return { outcome, entryId: String(value) };
  return { outcome: outcome === "same" ? "same" : "closed" };
}

const pickupFloorCmd = luaCommand("pickupFloor", pickupFloorLua, ["day"]);
/** Healing: the day's next pickup number raised to at least `floor` (never lowered). */
export async function pickupFloor(
  redis: RedisClient,
  keys: { day: string },
  args: { dayId: string; floor: number },
): Promise<{ outcome: "raised" | "same"; nextPickup: number } | { outcome: "closed" }> {
  const [outcome, value] = await pickupFloorCmd(redis, keys, [args.dayId, args.floor]);
  if (outcome === "closed") return { outcome };
  return { outcome: outcome === "raised" ? "raised" : "same", nextPickup: Number(value) };
}

const storeLoginCmd = luaCommand("storeLogin", storeLoginLua, sessionKeyNames);
/** The store's one session: "conflict" while another device holds a live one. */
export async function storeLogin(
  redis: RedisClient,
  keys: SessionKeys,
  args: { sid: string; deviceId: string; ttlS: number; now: number; sessionPrefix: string },
): Promise<{ outcome: "ok"; replacedSid: string | null } | { outcome: "conflict" }> {
  const [outcome, replaced] = await storeLoginCmd(redis, keys, [
    args.sid,
    args.deviceId,
    args.ttlS,
    args.now,
    args.sessionPrefix,
  ]);
  if (outcome === "conflict") return { outcome };
  return { outcome: "ok", replacedSid: replaced ? String(replaced) : null };
}

const storeLogoutCmd = luaCommand("storeLogout", storeLogoutLua, sessionKeyNames);
/** Ends the session; its feeds are told on the control stream. */
export async function storeLogout(redis: RedisClient, keys: SessionKeys, args: { sid: string }) {
  await storeLogoutCmd(redis, keys, [args.sid]);
}
