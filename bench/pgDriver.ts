// bun run bench:pg-driver [--runs 2000] [--concurrency 32]: the hot queries of an order on
// PostgreSQL through drizzle, once per driver: Bun's built-in SQL (drizzle-orm/bun-sql) and
// postgres.js (drizzle-orm/postgres-js), both with a pool of 10. Each kind runs `--runs` times one
// after another, then `--runs` times with `--concurrency` in flight. Prints ops/s and p50/p99 per
// driver. DATABASE_URL (an empty database) when given, else a throw-away local server
// (test/helpers/postgres.ts). Figures only, no assertions.

import { parseArgs } from "node:util";
import { SQL } from "bun";
import { eq } from "drizzle-orm";
import { drizzle as bunSql } from "drizzle-orm/bun-sql";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as postgresJs } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as t from "../db/schema.pg.ts";
import { openPostgres } from "../src/infra/dbPostgres.ts";
import { freshDatabase } from "../test/helpers/postgres.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "32" },
  },
});
const runs = Number(values.runs);
const concurrency = Number(values.concurrency);

type Pg = PgDatabase<PgQueryResultHKT, typeof t>;

const url = process.env.DATABASE_URL ?? (await freshDatabase());
const setup = await openPostgres(url, { poolMax: 2 });
await setup
  .insert(t.stores)
  .values({ id: "s1", name: "벤치 커피", lat: 37.5, lng: 127, pinHash: "x" });
await setup.insert(t.dayBusinesses).values({
  id: "d1",
  storeId: "s1",
  state: "OPEN",
  businessDate: "2026-11-30",
  readyAt: Date.now(),
});
await setup.close();

let made = 0;
const orderIds: string[] = [];

async function placeOrder(db: Pg) {
  const id = `o${++made}-${Math.random().toString(36).slice(2)}`;
  await db.transaction(async (tx) => {
    await tx.insert(t.orders).values({
      id,
      storeId: "s1",
      dayId: "d1",
      botUserKey: `u${made % 500}`,
      status: "PENDING_PAYMENT",
      totalAmount: 13_500,
      itemSummary: "아메리카노 외 2",
    });
    await tx.insert(t.orderItems).values(
      [1, 2, 3].map((n) => ({
        orderId: id,
        menuItemId: `m${n}`,
        name: `메뉴 ${n}`,
        unitPrice: 4500,
        qty: 1,
        options: [{ group: "온도", choice: "아이스", priceDelta: 0 }],
        amount: 4500,
      })),
    );
  });
  orderIds.push(id);
}

const someOrder = () => orderIds[Math.floor(Math.random() * orderIds.length)]!;

const kinds: { name: string; run: (db: Pg) => Promise<unknown> }[] = [
  { name: "insert order + 3 items (tx)", run: placeOrder },
  {
    name: "select order by id",
    run: (db) => db.select().from(t.orders).where(eq(t.orders.id, someOrder())),
  },
  {
    name: "select store by primary key",
    run: (db) => db.select().from(t.stores).where(eq(t.stores.id, "s1")),
  },
  {
    name: "update order returning",
    run: (db) =>
      db
        .update(t.orders)
        .set({ status: "PAID", paidAt: Date.now(), updatedAt: Date.now() })
        .where(eq(t.orders.id, someOrder()))
        .returning({ id: t.orders.id, status: t.orders.status }),
  },
];

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(db: Pg, run: (db: Pg) => Promise<unknown>, inFlight: number) {
  const took: number[] = [];
  let next = 0;
  const start = performance.now();
  const lane = async () => {
    while (next++ < runs) {
      const t0 = performance.now();
      await run(db);
      took.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const wall = performance.now() - start;
  took.sort((a, b) => a - b);
  return { opsPerS: (runs / wall) * 1000, p50: pct(took, 50), p99: pct(took, 99) };
}

const bunClient = new SQL({ url, max: 10 });
const pjClient = postgres(url, { max: 10, onnotice: () => {} });
const drivers: { name: string; db: Pg }[] = [
  { name: "bun-sql", db: bunSql({ client: bunClient, schema: t }) as unknown as Pg },
  { name: "postgres.js", db: postgresJs({ client: pjClient, schema: t }) as unknown as Pg },
];
// db/schema.pg.ts hands jsonb values over as they are (what Bun's SQL wants); postgres.js wants
// them as JSON text, which drizzle's postgres-js setup would otherwise pass through untouched.
pjClient.options.serializers[3802] = (v: unknown) =>
  typeof v === "string" ? v : JSON.stringify(v);

// Warm both pools and the server's caches before measuring.
for (const d of drivers) for (const k of kinds) for (let i = 0; i < 50; i++) await k.run(d.db);

const rows: Record<string, string>[] = [];
for (const inFlight of [1, concurrency]) {
  for (const k of kinds) {
    // Alternate which driver goes first, so neither always meets the warmer server.
    const order = (inFlight + kinds.indexOf(k)) % 2 === 0 ? drivers : [...drivers].reverse();
    for (const d of order) {
      const r = await measure(d.db, k.run, inFlight);
      rows.push({
        kind: k.name,
        "in flight": String(inFlight),
        driver: d.name,
        "ops/s": r.opsPerS.toFixed(0),
        "p50 ms": r.p50.toFixed(2),
        "p99 ms": r.p99.toFixed(2),
      });
    }
  }
}
console.table(rows);
await bunClient.close();
await pjClient.end();
process.exit(0);
