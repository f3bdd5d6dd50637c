// The PostgreSQL twin of db/schema.ts (used when DATABASE_URL=postgres://…): the same tables,
// columns and indexes, the same names in TypeScript. Timestamps are epoch milliseconds and money
// whole won in both: bigint here (SQLite's integer is 64-bit too); JSON columns are jsonb.
// test/infra/schemaCompare.test.ts fails when the two drift.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import { dayStates, type OptionGroup, orderStatuses, paymentStatuses } from "./model.ts";

// The value itself goes to the driver: Bun's SQL encodes a jsonb parameter as JSON, so drizzle's
// own jsonb (which hands over JSON.stringify's text) would store every value as one JSON string.
const jsonb = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => "jsonb",
  toDriver: (value) => value,
});

const now = sql`((extract(epoch from clock_timestamp()) * 1000)::bigint)`;
const createdAt = () => bigint("created_at", { mode: "number" }).notNull().default(now);

export const stores = pgTable(
  "stores",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    pinHash: text("pin_hash").notNull(),
    createdAt: createdAt(),
  },
  // "Nearest stores" reads a latitude range of this index and widens it until it is sure.
  (t) => [index("stores_lat_lng").on(t.lat, t.lng)],
);

// The name search's index, `store_name_grams (gram, store_id)` WITHOUT ROWID, lives in migration
// 0004 with the triggers that fill it (drizzle cannot declare a WITHOUT ROWID table): every 1-, 2-
// and 3-character piece of each store's name, lowercased, spaces removed (src/store/storeSearch.ts).

/** A counter device registered to a store; only the token's SHA-256 is kept. */
export const devices = pgTable(
  "devices",
  {
    id: text("id").primaryKey(),
    storeId: text("store_id")
      .notNull()
      .references(() => stores.id),
    tokenHash: text("token_hash").notNull(),
    label: text("label"),
    createdAt: createdAt(),
    revokedAt: bigint("revoked_at", { mode: "number" }),
  },
  (t) => [uniqueIndex("devices_token_hash").on(t.tokenHash), index("devices_store").on(t.storeId)],
);

export const menuItems = pgTable(
  "menu_items",
  {
    id: text("id").primaryKey(),
    storeId: text("store_id")
      .notNull()
      .references(() => stores.id),
    name: text("name").notNull(),
    price: bigint("price", { mode: "number" }).notNull(),
    category: text("category").notNull().default("메뉴"),
    description: text("description"),
    imageUrl: text("image_url"),
    soldOut: boolean("sold_out").notNull().default(false),
    optionGroups: jsonb("option_groups").$type<OptionGroup[]>().notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: createdAt(),
    deletedAt: bigint("deleted_at", { mode: "number" }),
  },
  (t) => [index("menu_items_store").on(t.storeId)],
);

/**
 * The order of a store's menu categories, as the store set it (0 first). Items are ordered by
 * `sortOrder` within their category. A category gets a row when its first item is added.
 */
export const menuCategories = pgTable(
  "menu_categories",
  {
    storeId: text("store_id")
      .notNull()
      .references(() => stores.id),
    name: text("name").notNull(),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.name] })],
);

/** The record of one business day; the live state is in Redis while the day is not CLOSED. */
export const dayBusinesses = pgTable(
  "day_businesses",
  {
    id: text("id").primaryKey(),
    storeId: text("store_id")
      .notNull()
      .references(() => stores.id),
    state: text("state", { enum: dayStates }).notNull(),
    businessDate: text("business_date").notNull(),
    readyAt: bigint("ready_at", { mode: "number" }).notNull(),
    openedAt: bigint("opened_at", { mode: "number" }),
    closingAt: bigint("closing_at", { mode: "number" }),
    closedAt: bigint("closed_at", { mode: "number" }),
    lastEntryId: text("last_entry_id"),
    orderCount: integer("order_count").notNull().default(0),
    grossAmount: bigint("gross_amount", { mode: "number" }).notNull().default(0),
    accountingJobId: text("accounting_job_id"),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
  },
  (t) => [index("day_businesses_store").on(t.storeId, t.readyAt)],
);

export const orders = pgTable(
  "orders",
  {
    id: text("id").primaryKey(),
    storeId: text("store_id")
      .notNull()
      .references(() => stores.id),
    dayId: text("day_id")
      .notNull()
      .references(() => dayBusinesses.id),
    botUserKey: text("bot_user_key").notNull(),
    customerName: text("customer_name"),
    status: text("status", { enum: orderStatuses }).notNull(),
    pickupNumber: integer("pickup_number"),
    totalAmount: bigint("total_amount", { mode: "number" }).notNull(),
    itemSummary: text("item_summary").notNull(),
    cartKey: text("cart_key"),
    entryId: text("entry_id"),
    createdAt: createdAt(),
    paidAt: bigint("paid_at", { mode: "number" }),
    acceptedAt: bigint("accepted_at", { mode: "number" }),
    readyAt: bigint("ready_at", { mode: "number" }),
    pickedUpAt: bigint("picked_up_at", { mode: "number" }),
    canceledAt: bigint("canceled_at", { mode: "number" }),
    cancelReason: text("cancel_reason"),
    failureReason: text("failure_reason"),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
  },
  (t) => [
    index("orders_day_status").on(t.dayId, t.status),
    index("orders_store_created").on(t.storeId, t.createdAt),
    index("orders_customer").on(t.botUserKey, t.createdAt),
    index("orders_status_created").on(t.status, t.createdAt),
    uniqueIndex("orders_cart_key").on(t.cartKey),
  ],
);

/** A copy of the menu line at order time, so later menu edits never change past orders. */
export const orderItems = pgTable(
  "order_items",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    menuItemId: text("menu_item_id"),
    name: text("name").notNull(),
    unitPrice: bigint("unit_price", { mode: "number" }).notNull(),
    qty: integer("qty").notNull(),
    options: jsonb("options")
      .$type<{ group: string; choice: string; priceDelta: number }[]>()
      .notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
  },
  (t) => [index("order_items_order").on(t.orderId)],
);

export const payments = pgTable(
  "payments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    provider: text("provider").notNull().default("kakaopay"),
    tid: text("tid"),
    status: text("status", { enum: paymentStatuses }).notNull(),
    redirectMobileUrl: text("redirect_mobile_url"),
    redirectPcUrl: text("redirect_pc_url"),
    failureCode: text("failure_code"),
    amount: bigint("amount", { mode: "number" }).notNull(),
    canceledAmount: bigint("canceled_amount", { mode: "number" }).notNull().default(0),
    approvedAt: bigint("approved_at", { mode: "number" }),
    canceledAt: bigint("canceled_at", { mode: "number" }),
    createdAt: createdAt(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
  },
  (t) => [uniqueIndex("payments_order").on(t.orderId), index("payments_tid").on(t.tid)],
);

export const dayReports = pgTable("day_reports", {
  dayId: text("day_id")
    .primaryKey()
    .references(() => dayBusinesses.id),
  storeId: text("store_id").notNull(),
  report: jsonb("report").notNull(),
  createdAt: createdAt(),
});

export const settlements = pgTable("settlements", {
  dayId: text("day_id")
    .primaryKey()
    .references(() => dayBusinesses.id),
  storeId: text("store_id").notNull(),
  netAmount: bigint("net_amount", { mode: "number" }).notNull(),
  status: text("status", { enum: ["PENDING", "PAID_OUT"] }).notNull(),
  createdAt: createdAt(),
});

/** What accounting found and did for a day, one row per order and kind (re-runs find the same). */
export const accountingFindings = pgTable(
  "accounting_findings",
  {
    dayId: text("day_id")
      .notNull()
      .references(() => dayBusinesses.id),
    orderId: text("order_id").notNull(),
    kind: text("kind").notNull(),
    /** KRW refunded by this fix, 0 when only reported */
    refunded: bigint("refunded", { mode: "number" }).notNull().default(0),
    detail: text("detail").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.dayId, t.orderId, t.kind] })],
);
