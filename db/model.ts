/** What the rows mean, the same in both dialects (db/schema.ts for SQLite, db/schema.pg.ts). */

export type OptionGroup = {
  name: string;
  required: boolean;
  choices: { name: string; priceDelta: number }[];
};

export const dayStates = ["READY", "OPEN", "BREAK", "CLOSING", "CLOSED"] as const;

export type DayState = (typeof dayStates)[number];

export const orderStatuses = [
  "PENDING_PAYMENT",
  "PAID",
  "ACCEPTED",
  "READY",
  "PICKED_UP",
  "PAYMENT_FAILED",
  "EXPIRED",
  "CANCELING",
  "CANCELED",
] as const;

export type OrderStatus = (typeof orderStatuses)[number];

export const paymentStatuses = [
  "READY",
  "APPROVED",
  "FAILED",
  "CANCEL_REQUESTED",
  "CANCELED",
  "EXPIRED",
] as const;
