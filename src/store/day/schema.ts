import { z } from "zod";
import { dayStates } from "../../../db/model.ts";

export const closeBody = z.object({
  lastEventId: z.string().min(1).max(200).describe("the last feed event this screen has shown"),
});

export const liveDay = z.object({
  day: z
    .object({
      id: z.string(),
      state: z.enum(dayStates),
      openedAt: z.number().int().nullable(),
      orderCount: z.number().int(),
      grossAmount: z.number().int(),
      canceledCount: z.number().int(),
      refundAmount: z.number().int(),
      businessDate: z.string(),
    })
    .nullable()
    .describe("null when no day business is live"),
});

export const dayClosed = z.object({ accountingJobId: z.string() });
