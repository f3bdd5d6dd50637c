import type { Clock } from "../infra/clock.ts";
import type { KakaoPayStatus } from "../payment/kakaopay.ts";

export type Amount = {
  total: number;
  tax_free: number;
  vat: number;
  point: number;
  discount: number;
  green_deposit: number;
};

export type PaymentAction = {
  aid: string;
  approved_at: string;
  amount: number;
  point_amount: number;
  discount_amount: number;
  green_deposit: number;
  payment_action_type: "PAYMENT" | "CANCEL";
  payload: string | null;
};

export type Payment = {
  tid: string;
  cid: string;
  partner_order_id: string;
  partner_user_id: string;
  item_name: string;
  item_code: string | null;
  quantity: number;
  amount: Amount;
  canceled: Amount;
  approval_url: string;
  cancel_url: string;
  fail_url: string;
  status: KakaoPayStatus;
  pg_token: string | null;
  created_at: string;
  approved_at: string | null;
  canceled_at: string | null;
  /** Every approve API call that named this tid, refused or not. */
  approve_count: number;
  /** Successful approvals, i.e. money taken: must never exceed 1. */
  capture_count: number;
  /** Successful cancels (refunds). */
  cancel_count: number;
  /** Every cancel API call that named this tid. */
  cancel_call_count: number;
  actions: PaymentAction[];
};

export type EventUser = { type: string; id: string; properties?: Record<string, unknown> };

export type EventRecord = {
  at: string;
  taskId: string;
  botId: string;
  event: { name: string; data?: Record<string, unknown> };
  user: EventUser[];
  params?: Record<string, unknown>;
};

export const FAULT_MODES = ["5xx", "slow", "decline", "timeout"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];
export type Fault = { path: string; mode: FaultMode; remaining: number; delayMs: number };

export type EmulatorConfig = {
  publicUrl: string;
  secretKey: string;
  restApiKey: string;
  /** When set, only this bot id is served by the Event API. */
  botId?: string;
  /** Merchant codes accepted; KakaoPay's test code by default. */
  cids?: string[];
  clock?: Clock;
};

/** Everything the emulator remembers, in memory; `reset` forgets it. */
export function createState(config: EmulatorConfig) {
  const state = {
    config: { ...config, publicUrl: config.publicUrl.replace(/\/+$/, "") },
    cids: new Set(config.cids ?? ["TC0ONETIME"]),
    now: () => (config.clock ?? Date).now(),
    payments: new Map<string, Payment>(),
    events: [] as EventRecord[],
    faults: new Map<string, Fault>(),
    /** Requests held by a `timeout`/`slow` fault; released on stop so nothing outlives the server. */
    holds: new Set<() => void>(),
    reset() {
      state.payments.clear();
      state.events.length = 0;
      state.faults.clear();
      state.releaseHolds();
    },
    releaseHolds() {
      for (const release of [...state.holds]) release();
    },
  };
  return state;
}

export type EmulatorState = ReturnType<typeof createState>;

let seq = 0;

/** KakaoPay's ids are 20 characters: a letter and 19 digits (e.g. T1234567890123456789). */
export function newKakaoId(prefix: "T" | "A", now: number): string {
  seq = (seq + 1) % 1_000_000;
  return `${prefix}${String(now).padStart(13, "0").slice(-13)}${String(seq).padStart(6, "0")}`;
}

/** KakaoPay writes times in Korean local time without a zone: 2023-07-15T21:18:22. */
export function kst(ms: number): string {
  return new Date(ms + 9 * 3600_000).toISOString().slice(0, 19);
}

export const zeroAmount = (): Amount => ({
  total: 0,
  tax_free: 0,
  vat: 0,
  point: 0,
  discount: 0,
  green_deposit: 0,
});
