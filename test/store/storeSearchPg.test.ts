// The PostgreSQL store searches give what the SQLite ones give, row for row, on the same stores;
// and PostgreSQL's name-piece trigger writes the pieces SQLite's triggers write.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { type Db, openSqlite } from "../../src/infra/db.ts";
import { openPostgres } from "../../src/infra/dbPostgres.ts";
import { nearestStores, type Place, storesByName } from "../../src/store/storeSearch.ts";
import { nearestStoresPg, storesByNamePg } from "../../src/store/storeSearchPg.ts";
import { insertManyStores } from "../helpers/manyStores.ts";
import { freshDatabase } from "../helpers/postgres.ts";

let lite: Db;
let pg: Db;
let litePath: string;

beforeAll(async () => {
  litePath = join(mkdtempSync(join(tmpdir(), "so-test-search-")), "stores.db");
  lite = openSqlite(litePath);
  pg = await openPostgres(await freshDatabase());
  const stores = await insertManyStores(lite, 3000);
  for (let i = 0; i < stores.length; i += 500) {
    await pg
      .insert(pg.t.stores)
      .values(stores.slice(i, i + 500).map((s) => ({ ...s, pinHash: "bulk" })));
  }
}, 60_000);

afterAll(async () => {
  await pg?.close();
  await lite?.close();
});

const SEONGSU = { lat: 37.5446, lng: 127.0559 };
const HAEUNDAE = { lat: 35.1587, lng: 129.1604 };
const SYDNEY = { lat: -33.87, lng: 151.21 };

describe("PostgreSQL store search", () => {
  test("nearest stores: the same stores in the same order as SQLite", async () => {
    for (const [at, limit] of [
      [SEONGSU, 10],
      [HAEUNDAE, 3],
      [SYDNEY, 5],
      [{ lat: 36.35, lng: 127.38 }, 40],
    ] as [Place, number][]) {
      const want = await nearestStores(lite, at, limit);
      expect(want.length).toBe(limit);
      expect(await nearestStoresPg(pg, at, limit)).toEqual(want);
    }
  });

  test("by name, with and without the customer's place: the same as SQLite", async () => {
    const queries = [
      "커피",
      "성수",
      "빵",
      "강남 베이커리",
      "coffee",
      "COFFEE",
      "해운대분식",
      "1호점",
    ];
    for (const q of [...queries, "떡볶이 12", "1", "없는가게이름"]) {
      for (const near of [null, SEONGSU]) {
        for (const limit of [10, 200]) {
          const want = await storesByName(lite, q, near, limit);
          expect({ q, near, got: await storesByNamePg(pg, q, near, limit) }).toEqual({
            q,
            near,
            got: want,
          });
        }
      }
    }
    expect((await storesByNamePg(pg, "성수 커피", null, 500)).length).toBeGreaterThan(10);
    expect(await storesByNamePg(pg, "  ", null)).toEqual([]);
  });

  test("a renamed store is found by its new name only; a deleted one not at all", async () => {
    const id = "pg-rename-test";
    const store = { id, name: "숲속 책방", lat: 37, lng: 127, pinHash: "x" };
    await pg.insert(pg.t.stores).values(store);
    expect((await storesByNamePg(pg, "숲속", null)).map((s) => s.id)).toEqual([id]);
    await pg.update(pg.t.stores).set({ name: "바다 책방" }).where(eq(pg.t.stores.id, id));
    expect(await storesByNamePg(pg, "숲속", null)).toEqual([]);
    expect((await storesByNamePg(pg, "바다책", null)).map((s) => s.id)).toEqual([id]);
    await pg.delete(pg.t.stores).where(eq(pg.t.stores.id, id));
    expect(await storesByNamePg(pg, "바다책", null)).toEqual([]);
  });
});

describe("name pieces", () => {
  // ASCII case folds, other letters keep their case (SQLite's lower()); pieces start within the
  // first 100 characters; an emoji is one character in both.
  const NAMES = [
    "Café À la Carte",
    "ÉCOLE du Pain",
    "☕️커피🍰 Lab",
    `${"긴이름".repeat(40)}끝`,
    "   ",
    "A",
    "ab AB",
  ];

  test("PostgreSQL's trigger writes the pieces SQLite's triggers write", async () => {
    const ids = NAMES.map((_, i) => `pieces-${i}`);
    const rows = NAMES.map((name, i) => ({ id: ids[i]!, name, lat: 1, lng: 1, pinHash: "x" }));
    await lite.insert(lite.t.stores).values(rows);
    await pg.insert(pg.t.stores).values(rows);
    expect(await pgPieces(ids)).toEqual(litePieces(ids));

    for (const [i, name] of [
      [0, "CAFÉ B"],
      [2, "빵🍞"],
      [4, "X Y Z"],
    ] as const) {
      await lite.update(lite.t.stores).set({ name }).where(eq(lite.t.stores.id, ids[i]!));
      await pg.update(pg.t.stores).set({ name }).where(eq(pg.t.stores.id, ids[i]!));
    }
    await lite.delete(lite.t.stores).where(eq(lite.t.stores.id, ids[5]!));
    await pg.delete(pg.t.stores).where(eq(pg.t.stores.id, ids[5]!));
    const after = litePieces(ids);
    expect(after.some((p) => p.startsWith("pieces-0 b"))).toBe(true);
    expect(after.some((p) => p.startsWith("pieces-5 "))).toBe(false);
    expect(await pgPieces(ids)).toEqual(after);
  });

  const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

  function litePieces(ids: string[]): string[] {
    const file = new Database(litePath, { readonly: true });
    try {
      const rows = file
        .query<{ store_id: string; gram: string }, string[]>(
          `SELECT store_id, gram FROM store_name_grams WHERE store_id IN (${ids.map(() => "?").join(",")})`,
        )
        .all(...ids);
      return rows.map((r) => `${r.store_id} ${r.gram}`).sort(byCodePoint);
    } finally {
      file.close();
    }
  }

  async function pgPieces(ids: string[]): Promise<string[]> {
    const rows = (await pg.execute(
      sql`SELECT store_id, gram FROM store_name_grams WHERE store_id IN (${sql.join(ids, sql`, `)})`,
    )) as unknown as { store_id: string; gram: string }[];
    return rows.map((r) => `${r.store_id} ${r.gram}`).sort(byCodePoint);
  }
});
