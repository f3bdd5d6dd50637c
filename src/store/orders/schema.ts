import { z } from "zod";
import { orderStatuses } from "../../../db/model.ts";
import { idParams } from "../../infra/idSchema.ts";

export const orderParams = idParams("order");

export const ordersQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",").map((x) => x.trim()) : undefined))
    .pipe(z.array(z.enum(orderStatuses)).optional())
    .describe("comma-separated statuses; default: every status the board shows"),
});

export const cancelBody = z.object({
  reason: z.string().trim().min(1, "a reason is required").max(200),
});

const orderLine = z.object({
  name: z.string(),
  qty: z.number().int(),
  unitPrice: z.number().int(),
  options: z.unknown(),
  amount: z.number().int(),
});

const at = z.number().int().nullable();

export const orderList = z.object({
  dayId: z.string().nullable(),
  orders: z.array(
    z.object({
      id: z.string(),
      pickupNumber: z.number().int().nullable(),
      status: z.enum(orderStatuses),
      totalAmount: z.number().int(),
      customerName: z.string().nullable(),
      itemSummary: z.string(),
      items: z.array(orderLine),
      createdAt: z.number().int(),
      paidAt: at,
      acceptedAt: at,
      readyAt: at,
      pickedUpAt: at,
      canceledAt: at,
      cancelReason: z.string().nullable(),
    }),
  ),
});

export const orderMoved = z.object({
  orderId: z.string(),
  status: z.enum(orderStatuses),
  pickupNumber: z.number().int().nullable(),
});

export const orderCanceled = z.object({
  orderId: z.string(),
  status: z.literal("CANCELED"),
  refunded: z.number().int().describe("KRW refunded through KakaoPay"),
  reason: z.string(),
});
