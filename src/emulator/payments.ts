import { randomBytes } from "node:crypto";
import { AppError, notFound } from "../infra/errors.ts";
import type { KakaoPayStatus } from "../payment/kakaopay.ts";
import { KakaoPayCode } from "../payment/kakaopayErrors.ts";
import {
  type ApproveParams,
  type CancelParams,
  type OrderParams,
  PayRefusal,
  type ReadyParams,
} from "./params.ts";
import {
  type Amount,
  type EmulatorState,
  kst,
  newKakaoId,
  type Payment,
  zeroAmount,
} from "./state.ts";

const CAPTURED: KakaoPayStatus[] = ["SUCCESS_PAYMENT", "PART_CANCEL_PAYMENT", "CANCEL_PAYMENT"];
/** Statuses in which the customer is still on the payment page. */
const OPEN: KakaoPayStatus[] = ["READY", "AUTH_PASSWORD"];

const refuse = (code: number, message: string) => new PayRefusal(400, code, message);

/** VAT when not given, as KakaoPay documents: (total - tax free) / 11, rounded. */
const vatOf = (total: number, taxFree: number) => Math.round((total - taxFree) / 11);

export function readyPayment(state: EmulatorState, p: ReadyParams) {
  checkCid(state, p.cid);
  const now = state.now();
  const tid = newKakaoId("T", now);
  state.payments.set(tid, {
    tid,
    cid: p.cid,
    partner_order_id: p.partner_order_id,
    partner_user_id: p.partner_user_id,
    item_name: p.item_name,
    item_code: p.item_code ?? null,
    quantity: p.quantity,
    amount: {
      ...zeroAmount(),
      total: p.total_amount,
      tax_free: p.tax_free_amount,
      vat: p.vat_amount ?? vatOf(p.total_amount, p.tax_free_amount),
      green_deposit: p.green_deposit ?? 0,
    },
    canceled: zeroAmount(),
    approval_url: p.approval_url,
    cancel_url: p.cancel_url,
    fail_url: p.fail_url,
    status: "READY",
    pg_token: null,
    created_at: kst(now),
    approved_at: null,
    canceled_at: null,
    approve_count: 0,
    capture_count: 0,
    cancel_count: 0,
    cancel_call_count: 0,
    actions: [],
  });
  const page = `${state.config.publicUrl}/_emulator/pay/${tid}`;
  return {
    tid,
    next_redirect_app_url: page,
    next_redirect_mobile_url: page,
    next_redirect_pc_url: page,
    android_app_scheme: `kakaotalk://kakaopay/pg?url=${encodeURIComponent(page)}`,
    ios_app_scheme: `kakaotalk://kakaopay/pg?url=${encodeURIComponent(page)}`,
    created_at: kst(now),
  };
}

/** Capture once: every check runs synchronously after the body is read, so no two can race. */
export function approvePayment(state: EmulatorState, p: ApproveParams, decline: boolean) {
  const pay = paymentFor(state, p.cid, p.tid);
  pay.approve_count++;
  if (CAPTURED.includes(pay.status)) {
    throw refuse(
      KakaoPayCode.alreadyApproved,
      "payment is already approved (결제 완료된 건입니다)",
    );
  }
  if (pay.status === "READY") {
    throw refuse(KakaoPayCode.notAuthenticated, "the customer has not approved this payment yet");
  }
  if (pay.status !== "AUTH_PASSWORD") {
    throw refuse(KakaoPayCode.notApprovable, `payment is ${pay.status} and cannot be approved`);
  }
  checkMatches(pay, p);
  if (decline) {
    pay.status = "FAIL_PAYMENT";
    throw new PayRefusal(400, KakaoPayCode.approvalFailure, "approval failure!", {
      method_result_code: "EMULATED_DECLINE",
      method_result_message: "결제 수단 승인이 거절되었습니다 (에뮬레이터).",
    });
  }
  const now = state.now();
  const aid = newKakaoId("A", now);
  pay.status = "SUCCESS_PAYMENT";
  pay.capture_count++;
  pay.approved_at = kst(now);
  pay.actions.push(action(aid, now, pay.amount.total, "PAYMENT", p.payload));
  return {
    aid,
    tid: pay.tid,
    cid: pay.cid,
    partner_order_id: pay.partner_order_id,
    partner_user_id: pay.partner_user_id,
    payment_method_type: "MONEY",
    item_name: pay.item_name,
    item_code: pay.item_code ?? undefined,
    quantity: pay.quantity,
    amount: pay.amount,
    created_at: pay.created_at,
    approved_at: pay.approved_at,
    payload: p.payload,
  };
}

function checkMatches(pay: Payment, p: ApproveParams) {
  const mismatch = (what: string) =>
    refuse(KakaoPayCode.requestMismatch, `${what} does not match the payment's ready request`);
  if (p.partner_order_id !== pay.partner_order_id) throw mismatch("partner_order_id");
  if (p.partner_user_id !== pay.partner_user_id) throw mismatch("partner_user_id");
  if (p.total_amount !== undefined && p.total_amount !== pay.amount.total) {
    throw mismatch("total_amount");
  }
  if (p.pg_token !== pay.pg_token) {
    throw refuse(KakaoPayCode.requestMismatch, "pg_token is not the one issued for this payment");
  }
}

export function cancelPayment(state: EmulatorState, p: CancelParams, decline: boolean) {
  const pay = paymentFor(state, p.cid, p.tid);
  pay.cancel_call_count++;
  if (!CAPTURED.includes(pay.status)) {
    throw refuse(KakaoPayCode.cancelFailure, `payment is ${pay.status}; only approved ones cancel`);
  }
  const available = remaining(pay);
  if (p.cancel_available_amount !== undefined && p.cancel_available_amount !== available.total) {
    throw refuse(
      KakaoPayCode.requestMismatch,
      `cancel_available_amount ${p.cancel_available_amount} is not ${available.total}`,
    );
  }
  if (p.cancel_amount > available.total || p.cancel_tax_free_amount > available.tax_free) {
    throw refuse(
      KakaoPayCode.cancelExceedsAvailable,
      `cancel_amount ${p.cancel_amount} exceeds cancel_available_amount ${available.total}`,
    );
  }
  if (decline) throw refuse(KakaoPayCode.cancelFailure, "cancel failure!");
  const part = cancelAmount(p, available);
  const aid = applyCancel(state, pay, part, p.payload);
  return { aid, ...orderOf(state, pay), approved_cancel_amount: part };
}

function applyCancel(state: EmulatorState, pay: Payment, part: Amount, payload?: string) {
  const now = state.now();
  const aid = newKakaoId("A", now);
  for (const key of Object.keys(part) as (keyof Amount)[]) pay.canceled[key] += part[key];
  pay.cancel_count++;
  pay.canceled_at = kst(now);
  pay.status = remaining(pay).total === 0 ? "CANCEL_PAYMENT" : "PART_CANCEL_PAYMENT";
  pay.actions.push(action(aid, now, part.total, "CANCEL", payload));
  return aid;
}

/** A cancel of everything left takes the VAT left, so rounding never strands a won. */
function cancelAmount(p: CancelParams, available: Amount): Amount {
  const all = p.cancel_amount === available.total;
  const vat =
    p.cancel_vat_amount ?? (all ? available.vat : vatOf(p.cancel_amount, p.cancel_tax_free_amount));
  return { ...zeroAmount(), total: p.cancel_amount, tax_free: p.cancel_tax_free_amount, vat };
}

export function orderOf(state: EmulatorState, p: OrderParams) {
  const pay = paymentFor(state, p.cid, p.tid);
  return {
    tid: pay.tid,
    cid: pay.cid,
    status: pay.status,
    partner_order_id: pay.partner_order_id,
    partner_user_id: pay.partner_user_id,
    payment_method_type: pay.capture_count > 0 ? "MONEY" : null,
    item_name: pay.item_name,
    item_code: pay.item_code,
    quantity: pay.quantity,
    amount: pay.amount,
    canceled_amount: pay.canceled,
    cancel_available_amount: remaining(pay),
    created_at: pay.created_at,
    approved_at: pay.approved_at,
    canceled_at: pay.canceled_at,
    payment_action_details: pay.actions,
  };
}

/** The customer's button on the payment page; returns where KakaoPay sends the browser. */
export function customerAction(state: EmulatorState, tid: string, act: string): string {
  const pay = state.payments.get(tid);
  if (!pay) throw notFound("payment");
  if (!OPEN.includes(pay.status)) {
    throw new AppError(409, "invalid_state", `The payment is ${pay.status}; the page is closed.`, {
      status: pay.status,
    });
  }
  if (act === "cancel") {
    pay.status = "QUIT_PAYMENT";
    return pay.cancel_url;
  }
  if (act === "fail") {
    pay.status = "FAIL_PAYMENT";
    return pay.fail_url;
  }
  // A repeated click gets the same token, as a browser retry would.
  pay.pg_token ??= randomBytes(10).toString("hex");
  pay.status = "AUTH_PASSWORD";
  const url = new URL(pay.approval_url);
  url.searchParams.set("pg_token", pay.pg_token);
  return url.toString();
}

/** What tests and the demo inspect: counts that prove "captured at most once". */
export function controlView(pay: Payment) {
  return {
    tid: pay.tid,
    cid: pay.cid,
    partner_order_id: pay.partner_order_id,
    partner_user_id: pay.partner_user_id,
    status: pay.status,
    item_name: pay.item_name,
    quantity: pay.quantity,
    total_amount: pay.amount.total,
    tax_free_amount: pay.amount.tax_free,
    approve_count: pay.approve_count,
    capture_count: pay.capture_count,
    cancel_count: pay.cancel_count,
    cancel_call_count: pay.cancel_call_count,
    canceled_amount: pay.canceled.total,
    cancel_available_amount: remaining(pay).total,
    pg_token: pay.pg_token ?? undefined,
    approval_url: pay.approval_url,
    cancel_url: pay.cancel_url,
    fail_url: pay.fail_url,
    created_at: pay.created_at,
    approved_at: pay.approved_at,
    canceled_at: pay.canceled_at,
  };
}

function remaining(pay: Payment): Amount {
  if (!CAPTURED.includes(pay.status)) return zeroAmount();
  const left = zeroAmount();
  for (const key of Object.keys(left) as (keyof Amount)[]) {
    left[key] = pay.amount[key] - pay.canceled[key];
  }
  return left;
}

function checkCid(state: EmulatorState, cid: string) {
  if (!state.cids.has(cid)) throw refuse(KakaoPayCode.invalidCid, `unknown cid ${cid}`);
}

function paymentFor(state: EmulatorState, cid: string, tid: string): Payment {
  checkCid(state, cid);
  const pay = state.payments.get(tid);
  // Another merchant's tid does not exist for this one.
  if (!pay || pay.cid !== cid) throw refuse(KakaoPayCode.invalidTid, `invalid tid ${tid}`);
  return pay;
}

function action(
  aid: string,
  now: number,
  amount: number,
  type: "PAYMENT" | "CANCEL",
  payload: string | undefined,
) {
  return {
    aid,
    approved_at: kst(now),
    amount,
    point_amount: 0,
    discount_amount: 0,
    green_deposit: 0,
    payment_action_type: type,
    payload: payload ?? null,
  };
}
