import { type Context, Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../deps.ts";
import { type ApprovalOutcome, queueApproval } from "../infra/queues.ts";
import { failOrder } from "../ordering/orderStatus.ts";
import { findOrder, paymentOf } from "../ordering/pendingOrder.ts";
import { findStore } from "../store/admin.ts";
import { ApprovalPage, type ApprovalView } from "./approvalPage.tsx";

const WAIT_MS = 4000;
/**
 * Looks at the job's state between wake-ups, in case the news of its end was missed (a pub/sub
 * message is lost when a connection drops): soon at first, then less often, so that a queue
 * slowed by a rush is not also asked about every waiting page four times a second.
 */
const POLLS_MS = [250, 500, 1000];
const pgTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);
const orderIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);

const failureText: Record<string, [string, string]> = {
  store_not_open: ["주문이 취소됐어요", "가게가 지금 주문을 받지 않아 결제하지 않았어요."],
  customer_canceled: ["결제를 취소했어요", "결제가 취소되어 주문이 접수되지 않았어요."],
  payment_failed: ["결제에 실패했어요", "카카오페이 결제가 완료되지 않았어요."],
  payment_declined: ["결제가 거절됐어요", "카카오페이에서 결제를 승인하지 않았어요."],
  payment_unavailable: ["결제를 시작하지 못했어요", "잠시 후 다시 주문해 주세요."],
  day_closed_refunded: ["주문이 취소됐어요", "가게 영업이 끝나 결제를 바로 취소(환불)했어요."],
  invalid_request: [
    "결제를 확인하지 못했어요",
    "결제 링크가 올바르지 않아요. 카카오톡에서 다시 시도해 주세요.",
  ],
};

/** What the customer sees for an order right now. */
async function viewOf(
  deps: Deps,
  orderId: string,
  lastOutcome?: ApprovalOutcome,
): Promise<ApprovalView> {
  const order = await findOrder(deps, orderId);
  if (!order) return { kind: "not_found" };
  if (order.pickupNumber !== null && order.status !== "PENDING_PAYMENT") {
    return paidView(deps, order, order.pickupNumber);
  }
  const reason =
    order.status === "PENDING_PAYMENT"
      ? lastOutcome?.outcome === "failed"
        ? lastOutcome.reason
        : null
      : (order.failureReason ?? "payment_failed");
  if (!reason) return { kind: "processing", refreshUrl: "" };
  const [title, detail] = failureText[reason] ?? failureText.payment_failed!;
  return { kind: "failed", title, detail };
}

type Order = NonNullable<Awaited<ReturnType<typeof findOrder>>>;

async function paidView(deps: Deps, order: Order, pickupNumber: number): Promise<ApprovalView> {
  return {
    kind: "paid",
    storeName: (await findStore(deps.db, order.storeId))?.name ?? "",
    pickupNumber,
    summary: order.itemSummary,
    total: order.totalAmount,
  };
}

/** KakaoPay's approval_url, cancel_url and fail_url. */
export function approvalRoutes(deps: Deps) {
  const app = new Hono();

  app.get("/:orderId/approve", async (c) => {
    const { order } = (await sentToPay(deps, c)) ?? {};
    if (!order) return c.html(<ApprovalPage view={{ kind: "not_found" }} />, 404);
    const pgToken = pgTokenSchema.safeParse(c.req.query("pg_token"));
    if (!pgToken.success) {
      const [title, detail] = failureText.invalid_request!;
      return c.html(<ApprovalPage view={{ kind: "failed", title, detail }} />, 400);
    }
    const pending = order.status === "PENDING_PAYMENT";
    const outcome = await approveAndWait(deps, order.id, pgToken.data, pending);
    // Paid: the job's pickup number and the order read above say it all (items and total
    // never change), so the order is not read again.
    const view =
      outcome?.outcome === "paid"
        ? await paidView(deps, order, outcome.pickupNumber)
        : await viewOf(deps, order.id, outcome);
    if (view.kind === "processing") view.refreshUrl = c.req.url;
    return c.html(<ApprovalPage view={view} />, view.kind === "failed" ? 409 : 200);
  });

  app.get("/:orderId/cancel", (c) => stopped(deps, c, "QUIT_PAYMENT", "customer_canceled"));
  app.get("/:orderId/fail", (c) => stopped(deps, c, "FAIL_PAYMENT", "payment_failed"));

  return app;
}

/** The URL's order, if it exists and was sent to KakaoPay (it has a tid). */
async function sentToPay(deps: Deps, c: Context) {
  const orderId = orderIdSchema.safeParse(c.req.param("orderId"));
  const order = orderId.success ? await findOrder(deps, orderId.data) : undefined;
  const tid = order && (await paymentOf(deps, order.id))?.tid;
  return order && tid ? { order, tid } : null;
}

/** cancel_url / fail_url: the customer left KakaoPay's page, or the payment failed there. */
async function stopped(
  deps: Deps,
  c: Context,
  status: "QUIT_PAYMENT" | "FAIL_PAYMENT",
  reason: "customer_canceled" | "payment_failed",
) {
  const { order, tid } = (await sentToPay(deps, c)) ?? {};
  if (!order || !tid) return c.html(<ApprovalPage view={{ kind: "not_found" }} />, 404);
  // The URL alone proves nothing: KakaoPay's own status decides (the sweep settles the rest).
  const known = await deps.kakaopay.order(tid).catch(() => null);
  if (order.status === "PENDING_PAYMENT" && known?.status === status) {
    await failOrder(deps, order.id, reason);
  }
  const view = await viewOf(deps, order.id);
  const [title, detail] = failureText[reason]!;
  return c.html(
    <ApprovalPage view={view.kind === "processing" ? { kind: "failed", title, detail } : view} />,
  );
}

/**
 * Queues the approval (one job per order and pg_token: repeated or concurrent requests share it)
 * and waits a few seconds for its outcome. A pending order's job was most likely just queued, so
 * the first look at its state (a few Redis commands) waits for the first poll: a worker in this
 * process wakes the page sooner, and one that ended before the page listened is seen by that look.
 */
async function approveAndWait(deps: Deps, orderId: string, pgToken: string, pending: boolean) {
  const { job, id } = await queueApproval(deps, { orderId, pgToken });
  const deadline = Date.now() + WAIT_MS;
  let look = !pending;
  for (let round = 0; Date.now() < deadline; round++) {
    const poll = POLLS_MS[Math.min(round, POLLS_MS.length - 1)]!;
    // Listen before looking, so a job that ends in between is not missed.
    const local = deps.approvals.next(id, Math.min(poll, deadline - Date.now()));
    const state = look ? await job.getState() : "unknown";
    look = true;
    if (state === "completed") {
      local.cancel();
      const done = await deps.queues.payment.getJob(id);
      return done?.returnvalue;
    }
    if (state === "failed") {
      local.cancel();
      return undefined;
    }
    const outcome = await local.promise;
    if (outcome) return outcome;
  }
  return undefined;
}
