import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "./db.ts";

/**
 * The hot statements of the ordering path, compiled once per database (or transaction handle) on
 * first use: building and compiling a statement on every call cost ~10× the statement itself
 * (bench:orders profile). SQLite hands every transaction the same `tx`, so its statements are
 * compiled once too; PostgreSQL's driver sends the text each time, so a `tx` there costs what a
 * plain query would.
 */
const p = (name: string) => sql.placeholder(name);
/** a placeholder where drizzle's types want SQL (update sets); values are plain strings and numbers */
const v = (name: string) => sql`${sql.placeholder(name)}`;

function statements(db: Db) {
  const { menuItems, orderItems, orders, payments, stores } = db.t;
  const id = p("id");
  return {
    order: () => db.select().from(orders).where(eq(orders.id, id)).prepare("order_by_id"),
    orderByCartKey: () =>
      db.select().from(orders).where(eq(orders.cartKey, id)).prepare("order_by_cart_key"),
    payment: () => db.select().from(payments).where(eq(payments.orderId, id)).prepare("payment_of"),
    lines: () => db.select().from(orderItems).where(eq(orderItems.orderId, id)).prepare("lines_of"),
    menuItem: () =>
      db
        .select()
        .from(menuItems)
        .where(and(eq(menuItems.id, id), isNull(menuItems.deletedAt)))
        .prepare("menu_item_by_id"),
    store: () => db.select().from(stores).where(eq(stores.id, id)).prepare("store_by_id"),
    insertOrder: () =>
      db
        .insert(orders)
        .values({
          id,
          storeId: p("storeId"),
          dayId: p("dayId"),
          botUserKey: p("botUserKey"),
          customerName: p("customerName"),
          status: "PENDING_PAYMENT",
          totalAmount: p("totalAmount"),
          itemSummary: p("itemSummary"),
          cartKey: p("cartKey"),
          createdAt: p("createdAt"),
        })
        .onConflictDoNothing({ target: orders.cartKey })
        .returning()
        .prepare("insert_order"),
    insertLine: () =>
      db
        .insert(orderItems)
        .values({
          orderId: id,
          menuItemId: p("menuItemId"),
          name: p("name"),
          unitPrice: p("unitPrice"),
          qty: p("qty"),
          options: p("options"),
          amount: p("amount"),
        })
        .prepare("insert_order_line"),
    insertPayment: () =>
      db
        .insert(payments)
        .values({ id: p("paymentId"), orderId: id, status: "READY", amount: p("amount") })
        .prepare("insert_payment"),
    paymentReady: () =>
      db
        .update(payments)
        .set({
          tid: v("tid"),
          redirectMobileUrl: v("mobile"),
          redirectPcUrl: v("pc"),
          updatedAt: v("now"),
        })
        .where(eq(payments.orderId, id))
        .prepare("payment_ready"),
    orderPaid: () =>
      db
        .update(orders)
        .set({
          status: "PAID",
          pickupNumber: v("pickupNumber"),
          entryId: v("entryId"),
          paidAt: v("paidAt"),
          failureReason: null,
          updatedAt: v("now"),
        })
        .where(
          and(
            eq(orders.id, id),
            inArray(orders.status, ["PENDING_PAYMENT", "EXPIRED", "PAYMENT_FAILED"]),
          ),
        )
        .prepare("order_paid"),
    paymentApproved: () =>
      db
        .update(payments)
        .set({ status: "APPROVED", approvedAt: v("paidAt"), updatedAt: v("now") })
        .where(and(eq(payments.orderId, id), eq(payments.status, "READY")))
        .prepare("payment_approved"),
  };
}

type Statements = ReturnType<typeof statements>;
type Compiled = { [K in keyof Statements]: ReturnType<Statements[K]> };

/** Each statement built and compiled the first time it runs. */
function lazily(db: Db): Compiled {
  const make = statements(db);
  const done: Partial<Compiled> = {};
  return new Proxy(done as Compiled, {
    get: (_, key: keyof Statements) => {
      done[key] ??= make[key]() as never;
      return done[key];
    },
  });
}

type OrderRow = Db["t"]["orders"]["$inferInsert"];
type LineRow = Db["t"]["orderItems"]["$inferInsert"];

function prepare(db: Db) {
  const q = lazily(db);
  const first = async <T>(rows: Promise<T[]>): Promise<T | undefined> => (await rows)[0];
  return {
    order: (orderId: string) => first(q.order.execute({ id: orderId })),
    orderByCartKey: (cartKey: string) => first(q.orderByCartKey.execute({ id: cartKey })),
    payment: (orderId: string) => first(q.payment.execute({ id: orderId })),
    lines: (orderId: string) => q.lines.execute({ id: orderId }),
    menuItem: (itemId: string) => first(q.menuItem.execute({ id: itemId })),
    store: (storeId: string) => first(q.store.execute({ id: storeId })),
    /** a new PENDING_PAYMENT order, returned as stored; undefined when its cart was ordered */
    insertOrder: (
      o: Required<
        Pick<
          OrderRow,
          | "id"
          | "storeId"
          | "dayId"
          | "botUserKey"
          | "customerName"
          | "totalAmount"
          | "itemSummary"
          | "cartKey"
          | "createdAt"
        >
      >,
    ) => first(q.insertOrder.execute(o)),
    insertLine: (
      l: Required<
        Pick<
          LineRow,
          "orderId" | "menuItemId" | "name" | "unitPrice" | "qty" | "options" | "amount"
        >
      >,
    ) => q.insertLine.execute({ ...l, id: l.orderId }),
    insertPayment: (paymentId: string, orderId: string, amount: number) =>
      q.insertPayment.execute({ paymentId, id: orderId, amount }),
    /** KakaoPay's ready answer on the order's payment row */
    paymentReady: (orderId: string, r: { tid: string; mobile: string; pc: string; now: number }) =>
      q.paymentReady.execute({ id: orderId, ...r }),
    /** order PAID (from pending, expired or failed) and its payment APPROVED: one call each */
    orderPaid: (
      orderId: string,
      v: { pickupNumber: number; entryId: string; paidAt: number; now: number },
    ) => q.orderPaid.execute({ id: orderId, ...v }),
    paymentApproved: (orderId: string, paidAt: number, now: number) =>
      q.paymentApproved.execute({ id: orderId, paidAt, now }),
  };
}

const cache = new WeakMap<Db, ReturnType<typeof prepare>>();

/** The hot statements on `db` (a database or a transaction's handle). */
export function prepared(db: Db) {
  let s = cache.get(db);
  if (!s) {
    s = prepare(db);
    cache.set(db, s);
  }
  return s;
}
