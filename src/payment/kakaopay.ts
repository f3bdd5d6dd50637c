import { z } from "zod";
import { KakaoPayError, type KakaoPayOp, KakaoPayUnavailable } from "./kakaopayErrors.ts";
import { createGuard, type GuardOptions } from "./kakaopayGuard.ts";

export { KakaoPayCode, KakaoPayError, KakaoPayUnavailable } from "./kakaopayErrors.ts";

/** The order-status values of KakaoPay's `order` API. */
export const KAKAOPAY_STATUSES = [
  "READY",
  "SEND_TMS",
  "OPEN_PAYMENT",
  "SELECT_METHOD",
  "ARS_WAITING",
  "AUTH_PASSWORD",
  "ISSUED_SID",
  "SUCCESS_PAYMENT",
  "PART_CANCEL_PAYMENT",
  "CANCEL_PAYMENT",
  "FAIL_AUTH_PASSWORD",
  "QUIT_PAYMENT",
  "FAIL_PAYMENT",
] as const;
export type KakaoPayStatus = (typeof KAKAOPAY_STATUSES)[number];

const amount = z.object({
  total: z.number(),
  tax_free: z.number().optional(),
  vat: z.number().optional(),
  point: z.number().optional(),
  discount: z.number().optional(),
  green_deposit: z.number().optional(),
});

const readyOut = z.object({
  tid: z.string(),
  next_redirect_app_url: z.string(),
  next_redirect_mobile_url: z.string(),
  next_redirect_pc_url: z.string(),
  android_app_scheme: z.string().optional(),
  ios_app_scheme: z.string().optional(),
  created_at: z.string(),
});

const approveOut = z.object({
  aid: z.string(),
  tid: z.string(),
  cid: z.string(),
  partner_order_id: z.string(),
  partner_user_id: z.string(),
  payment_method_type: z.string(),
  amount,
  item_name: z.string(),
  quantity: z.number(),
  created_at: z.string(),
  approved_at: z.string(),
});

const cancelOut = z.object({
  aid: z.string(),
  tid: z.string(),
  cid: z.string(),
  status: z.enum(KAKAOPAY_STATUSES),
  partner_order_id: z.string(),
  partner_user_id: z.string(),
  amount,
  canceled_amount: amount,
  cancel_available_amount: amount,
  canceled_at: z.string(),
});

const actionOut = z.object({
  aid: z.string(),
  approved_at: z.string(),
  amount: z.number(),
  payment_action_type: z.string(),
});

const orderOut = z.object({
  tid: z.string(),
  cid: z.string(),
  status: z.enum(KAKAOPAY_STATUSES),
  partner_order_id: z.string(),
  partner_user_id: z.string(),
  payment_method_type: z.string().nullish(),
  amount,
  canceled_amount: amount.nullish(),
  cancel_available_amount: amount.nullish(),
  item_name: z.string(),
  quantity: z.number(),
  created_at: z.string(),
  approved_at: z.string().nullish(),
  canceled_at: z.string().nullish(),
  payment_action_details: z.array(actionOut).nullish(),
});

const errorBody = z.object({
  error_code: z.number(),
  error_message: z.string(),
  extras: z
    .object({ method_result_code: z.string(), method_result_message: z.string() })
    .partial()
    .nullish(),
});

export type ReadyInput = {
  partnerOrderId: string;
  partnerUserId: string;
  itemName: string;
  quantity: number;
  totalAmount: number;
  taxFreeAmount?: number;
  approvalUrl: string;
  cancelUrl: string;
  failUrl: string;
};
export type ApproveInput = {
  tid: string;
  partnerOrderId: string;
  partnerUserId: string;
  pgToken: string;
  /** When given KakaoPay checks it equals the ready total. */
  totalAmount?: number;
};
export type CancelInput = {
  tid: string;
  cancelAmount: number;
  cancelTaxFreeAmount?: number;
  /** When given KakaoPay refuses unless it equals what is still cancelable (a concurrency guard). */
  cancelAvailableAmount?: number;
};
export type KakaoPayReady = z.output<typeof readyOut>;
export type KakaoPayApproval = z.output<typeof approveOut>;
export type KakaoPayCancel = z.output<typeof cancelOut>;
export type KakaoPayOrder = z.output<typeof orderOut>;

export type KakaoPayOptions = GuardOptions & {
  baseUrl: string;
  secretKey: string;
  cid: string;
  fetch?: typeof fetch;
};

/**
 * KakaoPay online single payment (`/online/v1/payment/*`, JSON, `SECRET_KEY` auth). Every call
 * goes through the guard: bounded calls in flight, a timeout, a circuit breaker (kakaopayGuard).
 */
export function createKakaoPay(opts: KakaoPayOptions) {
  const guard = createGuard(opts);
  const send = poster(opts);
  const post = <T>(op: KakaoPayOp, schema: z.ZodType<T>, body: Record<string, unknown>) =>
    guard.run(op, (timeoutMs) => send(op, schema, body, timeoutMs));
  return {
    guard: guard.view,
    ready: (i: ReadyInput): Promise<KakaoPayReady> =>
      post("ready", readyOut, {
        partner_order_id: i.partnerOrderId,
        partner_user_id: i.partnerUserId,
        item_name: i.itemName,
        quantity: i.quantity,
        total_amount: i.totalAmount,
        tax_free_amount: i.taxFreeAmount ?? 0,
        approval_url: i.approvalUrl,
        cancel_url: i.cancelUrl,
        fail_url: i.failUrl,
      }),
    approve: (i: ApproveInput): Promise<KakaoPayApproval> =>
      post("approve", approveOut, {
        tid: i.tid,
        partner_order_id: i.partnerOrderId,
        partner_user_id: i.partnerUserId,
        pg_token: i.pgToken,
        total_amount: i.totalAmount,
      }),
    cancel: (i: CancelInput): Promise<KakaoPayCancel> =>
      post("cancel", cancelOut, {
        tid: i.tid,
        cancel_amount: i.cancelAmount,
        cancel_tax_free_amount: i.cancelTaxFreeAmount ?? 0,
        cancel_available_amount: i.cancelAvailableAmount,
      }),
    order: (tid: string): Promise<KakaoPayOrder> => post("order", orderOut, { tid }),
  };
}

export type KakaoPay = ReturnType<typeof createKakaoPay>;

function poster(opts: KakaoPayOptions) {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.baseUrl.replace(/\/+$/, "");

  return async <T>(
    op: KakaoPayOp,
    schema: z.ZodType<T>,
    body: Record<string, unknown>,
    timeoutMs: number,
  ) => {
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base}/online/v1/payment/${op}`, {
        method: "POST",
        headers: {
          Authorization: `SECRET_KEY ${opts.secretKey}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify({ cid: opts.cid, ...body }),
        redirect: "manual",
        signal,
      });
      text = await res.text();
    } catch (err) {
      if (signal.aborted) {
        throw new KakaoPayUnavailable(
          op,
          "timeout",
          `KakaoPay ${op} timed out after ${timeoutMs} ms`,
        );
      }
      const why = err instanceof Error ? err.message : String(err);
      throw new KakaoPayUnavailable(op, "network", `KakaoPay ${op} unreachable: ${why}`);
    }
    return interpret(op, res.status, text, schema);
  };
}

function interpret<T>(op: KakaoPayOp, status: number, text: string, schema: z.ZodType<T>): T {
  const json = parseJson(text);
  if (status >= 200 && status < 300) {
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join(".")}: ${first.message}` : "unreadable";
    throw new KakaoPayUnavailable(op, "bad_response", `KakaoPay ${op} answer (${where})`, status);
  }
  // 408/429 are "try again later", not a refusal of this payment.
  if (status >= 500 || status === 408 || status === 429) {
    throw new KakaoPayUnavailable(
      op,
      "server_error",
      `KakaoPay ${op} failed: HTTP ${status}`,
      status,
    );
  }
  if (status >= 400) throw refusal(op, status, json);
  throw new KakaoPayUnavailable(op, "bad_response", `KakaoPay ${op}: unexpected HTTP ${status}`);
}

function refusal(op: KakaoPayOp, status: number, json: unknown) {
  const body = errorBody.safeParse(json);
  if (!body.success) {
    return new KakaoPayError(
      op,
      status,
      0,
      `KakaoPay ${op} refused: HTTP ${status} without an error body`,
    );
  }
  const { error_code, error_message, extras } = body.data;
  return new KakaoPayError(op, status, error_code, error_message, extras ?? undefined);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
