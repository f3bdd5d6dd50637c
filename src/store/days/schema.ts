import { z } from "zod";
import { dayStates } from "../../../db/model.ts";
import { idParams } from "../../infra/idSchema.ts";

export const dayParams = idParams("day");

export const daysQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(366)
    .default(60)
    .describe("how many days, newest first"),
});

export const pastDays = z.object({
  days: z.array(
    z.object({
      id: z.string(),
      businessDate: z.string(),
      state: z.enum(dayStates),
      readyAt: z.number().int(),
      openedAt: z.number().int().nullable(),
      closedAt: z.number().int().nullable(),
      orderCount: z.number().int(),
      grossAmount: z.number().int(),
      netAmount: z.number().int().nullable(),
      settlement: z.enum(["PENDING", "PAID_OUT"]).nullable(),
      reportReady: z.boolean(),
    }),
  ),
});

/** The accounting report (src/accounting/report.ts DayReport); its lines are described there. */
export const dayReport = z
  .object({
    dayId: z.string(),
    storeId: z.string(),
    businessDate: z.string(),
    orderCount: z.number().int(),
    canceledCount: z.number().int(),
  })
  .catchall(z.unknown());
