import type { Context } from "hono";
import { z } from "zod";
import { KakaoPayCode, type KakaoPayErrorExtras } from "../payment/kakaopayErrors.ts";

/** A KakaoPay refusal, answered as KakaoPay's error body. */
export class PayRefusal extends Error {
  constructor(
    readonly status: 400 | 401 | 500 | 504,
    readonly code: number,
    message: string,
    readonly extras?: KakaoPayErrorExtras,
  ) {
    super(message);
  }

  body() {
    return { error_code: this.code, error_message: this.message, extras: this.extras };
  }
}

export const badParameter = (message: string) =>
  new PayRefusal(400, KakaoPayCode.invalidParameter, message);

/**
 * KakaoPay's current samples send JSON (with numbers even as strings, e.g. "quantity": "1"); the
 * older kapi.kakao.com samples send form fields. Both are read here.
 */
export async function readParams<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const text = await c.req.text();
  const type = c.req.header("content-type") ?? "";
  const looksJson = type.includes("json") || (!type.includes("form") && /^\s*\{/.test(text));
  const raw = looksJson ? jsonObject(text) : formFields(text);
  if (!raw) throw badParameter("the body must be a JSON object or form fields");
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw badParameter(`${first?.path.join(".") || "body"}: ${first?.message ?? "invalid"}`);
}

function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text || "{}");
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function formFields(text: string): Record<string, string> {
  return Object.fromEntries([...new URLSearchParams(text)].filter(([, v]) => v !== ""));
}

const text = (max: number) =>
  z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(z.string().trim().min(1, "is required").max(max, `must be at most ${max} characters`));
const int = z.union([
  z.int(),
  z
    .string()
    .trim()
    .regex(/^-?\d{1,15}$/, "must be an integer")
    .transform(Number),
]);
const atLeast = (min: number) => int.pipe(z.int().min(min, `must be at least ${min}`));
const url = z
  .string()
  .max(255, "must be at most 255 characters")
  .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }));
const payload = z.string().max(200).optional();

export const readySchema = z
  .object({
    cid: text(20),
    partner_order_id: text(100),
    partner_user_id: text(100),
    item_name: text(100),
    item_code: text(100).optional(),
    quantity: atLeast(1),
    total_amount: atLeast(1),
    tax_free_amount: atLeast(0),
    vat_amount: atLeast(0).optional(),
    green_deposit: atLeast(0).optional(),
    approval_url: url,
    cancel_url: url,
    fail_url: url,
  })
  .refine((b) => b.tax_free_amount <= b.total_amount, {
    path: ["tax_free_amount"],
    message: "must not exceed total_amount",
  });

export const approveSchema = z.object({
  cid: text(20),
  tid: text(20),
  partner_order_id: text(100),
  partner_user_id: text(100),
  pg_token: text(100),
  total_amount: atLeast(1).optional(),
  payload,
});

export const cancelSchema = z
  .object({
    cid: text(20),
    tid: text(20),
    cancel_amount: atLeast(1),
    cancel_tax_free_amount: atLeast(0),
    cancel_vat_amount: atLeast(0).optional(),
    cancel_available_amount: atLeast(0).optional(),
    payload,
  })
  .refine((b) => b.cancel_tax_free_amount <= b.cancel_amount, {
    path: ["cancel_tax_free_amount"],
    message: "must not exceed cancel_amount",
  });

export const orderSchema = z.object({ cid: text(20), tid: text(20) });

export type ReadyParams = z.output<typeof readySchema>;
export type ApproveParams = z.output<typeof approveSchema>;
export type CancelParams = z.output<typeof cancelSchema>;
export type OrderParams = z.output<typeof orderSchema>;
