import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/bun-sqlite";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import { migrationJournal, migrationSql } from "../../db/migrations/index.ts";
import { type Db, openSqlite, sqliteClient } from "../../src/infra/db.ts";
import { validateSkillResponse } from "../../src/kakao/skill/validate.ts";
import { createStore } from "../../src/store/admin.ts";
import { distanceM } from "../../src/store/auth/geo.ts";
import { addMenuItems, listMenu } from "../../src/store/menu/menu.ts";
import {
  BY_PIECE_SQL,
  BY_PIECES_SQL,
  NEAR_SQL,
  nameKey,
  nearestStores,
  storesByName,
} from "../../src/store/storeSearch.ts";
import { type BulkStore, insertManyStores } from "../helpers/manyStores.ts";
import { callSkill, type SkillAnswer, skillPayload } from "../helpers/skill.ts";
import { makeTestDeps, SEOUL } from "../helpers/testDeps.ts";

const t = makeTestDeps();
afterAll(() => t.close());

const GANGNAM = { lat: 37.4979, lng: 127.0276 };
const BUSAN = { lat: 35.1577, lng: 129.0591 };

/** Stores written with a place; the first one stands exactly where the customer is. */
async function store(name: string, at: { lat: number; lng: number }) {
  const { storeId } = await createStore(t.deps.db, { name, ...at, pin: "1234" });
  return storeId;
}

beforeAll(async () => {
  await store("성수 스토어커피", SEOUL);
  await store("성수 베이커리", { lat: SEOUL.lat + 0.0006, lng: SEOUL.lng });
  await store("강남 스토어커피", GANGNAM);
  await store("동네 카페", BUSAN);
  await store("Seongsu COFFEE Lab", { lat: 37.5432, lng: 127.0541 });
}, 60_000); // Argon2 per store

let n = 0;
const newUser = () => `stores-user-${++n}`;
const titles = (res: SkillAnswer) =>
  (res.template.outputs[0]!.carousel?.items ?? []).map((c: { title: string }) => c.title);
const descriptions = (res: SkillAnswer) =>
  (res.template.outputs[0]!.carousel?.items ?? []).map(
    (c: { description: string }) => c.description,
  );
const here = { lat: SEOUL.lat, lng: SEOUL.lng };

/** POSTs a payload as Open Builder would, with whatever `action` fields a plugin fills in. */
async function storesSkill(action: Record<string, unknown>, utterance: string) {
  const payload = skillPayload(newUser(), { utterance });
  Object.assign(payload.action, action);
  const res = await t.app.request("/kakao/skill/stores", {
    method: "POST",
    headers: { "content-type": "application/json", "x-skill-key": "test-skill-key" },
    body: JSON.stringify(payload),
  });
  const json = (await res.json()) as SkillAnswer;
  expect(validateSkillResponse(json)).toEqual([]);
  return json;
}

describe("stores skill: a shared place means nearest first", () => {
  test("whatever the words ('내 주변 매장', '근처 카페', the block's own), nearest first with distances", async () => {
    for (const utterance of ["내 주변 매장", "근처 카페", "가게 찾기", "가까운가게 찾아줘"]) {
      const res = await callSkill(t.app, "/stores", newUser(), { utterance, clientExtra: here });
      const list = titles(res);
      expect(list.slice(0, 3)).toEqual(["성수 스토어커피", "성수 베이커리", "Seongsu COFFEE Lab"]);
      expect(list.indexOf("강남 스토어커피")).toBeGreaterThan(2);
      expect(descriptions(res)[0]).toContain("0m");
    }
    // the same words in the search block's `query` parameter
    const res = await callSkill(t.app, "/stores", newUser(), {
      params: { query: "내 주변 매장" },
      clientExtra: here,
    });
    expect(titles(res)[0]).toBe("성수 스토어커피");
  });

  test("Kakao's location plugin in params or detailParams (object, JSON text, 'lat,lng')", async () => {
    const plugin = [
      {
        detailParams: {
          location: {
            origin: "내 위치",
            value: { latitude: String(SEOUL.lat), longitude: String(SEOUL.lng) },
          },
        },
      },
      { params: { sys_location: JSON.stringify({ lat: SEOUL.lat, lng: SEOUL.lng }) } },
      {
        params: {
          location: JSON.stringify({ location: { latitude: 37.5446, longitude: 127.0557 } }),
        },
      },
      { params: { location: `${SEOUL.lat},${SEOUL.lng}` } },
    ];
    for (const action of plugin) {
      const res = await storesSkill(action, "내 주변 매장");
      expect(titles(res)[0]).toBe("성수 스토어커피");
      expect(descriptions(res)[0]).toContain("0m");
      expect(titles(res).indexOf("강남 스토어커피")).toBeGreaterThan(2);
    }
  });

  test("a name and a place: the matching names, nearest first", async () => {
    const res = await callSkill(t.app, "/stores", newUser(), {
      params: { query: "스토어커피" },
      clientExtra: GANGNAM,
    });
    expect(titles(res)).toEqual(["강남 스토어커피", "성수 스토어커피"]);
  });

  test("'nearby' words that are a store's name are a name search", async () => {
    const res = await callSkill(t.app, "/stores", newUser(), {
      utterance: "동네 카페",
      clientExtra: here,
    });
    expect(titles(res)).toEqual(["동네 카페"]);
  });

  test("'nearby' words without a place list stores instead of 'nothing found'", async () => {
    const res = await callSkill(t.app, "/stores", newUser(), { utterance: "근처 카페" });
    expect(titles(res).length).toBeGreaterThan(0);
    expect(res.text).not.toContain("찾은 가게가 없어요");
  });

  test("name search: 2-character Korean inside a name, spaces and ASCII case ignored", async () => {
    const by = async (query: string) =>
      titles(await callSkill(t.app, "/stores", newUser(), { params: { query } })).sort();
    expect(await by("스토")).toEqual(["강남 스토어커피", "성수 스토어커피"]);
    expect(await by("성수스토어")).toEqual(["성수 스토어커피"]);
    expect(await by("coffee lab")).toEqual(["Seongsu COFFEE Lab"]);
    expect(await by("베이커리 찾아줘")).toEqual(["성수 베이커리"]);
    const none = await callSkill(t.app, "/stores", newUser(), { params: { query: "없는가게" } });
    expect(none.template.outputs[0]!.simpleText.text).toBe(
      "'없는가게'로 찾은 가게가 없어요. 가게 이름을 다시 입력해 주세요.",
    );
  });

  test("a card without a picture shows our own default picture, served by this app", async () => {
    const res = await callSkill(t.app, "/stores", newUser(), {
      utterance: "가게 찾기",
      clientExtra: here,
    });
    const url: string = res.template.outputs[0]!.carousel.items[0].thumbnail.imageUrl;
    expect(url).toStartWith(`${t.deps.config.publicUrl}/assets/thumbnail.png?v=`);
    const image = await t.app.request(url.slice(t.deps.config.publicUrl.length));
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    // a menu item's own https picture stays as it is
    const storeId = await store("사진 카페", { lat: 36, lng: 128 });
    await addMenuItems(t.deps.db, storeId, [
      {
        name: "라떼",
        price: 5000,
        category: "커피",
        soldOut: false,
        optionGroups: [],
        imageUrl: "https://cdn.example.kr/latte.jpg",
      },
      { name: "쿠키", price: 3000, category: "디저트", soldOut: false, optionGroups: [] },
    ]);
    const menu = await callSkill(t.app, "/menu", newUser(), { clientExtra: { storeId } });
    const pictures = menu.template.outputs
      .flatMap((o) => o.carousel?.items ?? [])
      .map((c: { thumbnail: { imageUrl: string } }) => c.thumbnail.imageUrl);
    expect(pictures[0]).toBe("https://cdn.example.kr/latte.jpg");
    expect(pictures[1]).toBe(url);
  });
});

describe("store search on 10,000 stores", () => {
  let db: Db;
  let all: BulkStore[];
  beforeAll(() => {
    db = openSqlite(join(mkdtempSync(join(tmpdir(), "so-stores-")), "stores.db"));
    all = insertManyStores(db, 10_000);
  }, 120_000);
  afterAll(() => db.close());

  const plan = (sql: string) =>
    sqliteClient(db)
      .query<{ detail: string }, []>(`EXPLAIN QUERY PLAN ${sql}`)
      .all()
      .map((r) => r.detail);

  test("neither nearest nor by-name scans the stores table (before and after ANALYZE)", () => {
    for (const analyzed of [false, true]) {
      if (analyzed) sqliteClient(db).run("ANALYZE");
      const near = plan(NEAR_SQL);
      expect(near.join(" | ")).toContain("SEARCH stores USING INDEX stores_lat_lng");
      for (const byName of [plan(BY_PIECE_SQL), plan(BY_PIECES_SQL)]) {
        expect(byName.join(" | ")).toContain("SEARCH store_name_grams USING PRIMARY KEY (gram=?)");
        expect(byName.join(" | ")).toContain("SEARCH s USING INDEX sqlite_autoindex_stores_1");
        for (const detail of byName) expect(detail).not.toMatch(/^SCAN (s|stores)\b/);
      }
      for (const detail of near) expect(detail).not.toMatch(/^SCAN (s|stores)\b/);
    }
  });

  test("nearest is exactly the haversine order of every store (cities, sea, far away)", async () => {
    const points = [
      SEOUL,
      BUSAN,
      { lat: 33.25, lng: 126.56 }, // south of Jeju
      { lat: 36.5, lng: 130.5 }, // the East Sea
      { lat: 38.3, lng: 128.5 },
      { lat: 0, lng: 0 },
    ];
    for (const at of points) {
      for (const limit of [1, 10]) {
        const expected = all
          .map((s) => ({ id: s.id, d: distanceM(at, s) }))
          .sort((a, b) => a.d - b.d)
          .slice(0, limit);
        const got = await nearestStores(db, at, limit);
        expect(got.map((s) => s.id)).toEqual(expected.map((e) => e.id));
      }
    }
  });

  test("by name finds exactly the names that contain the words (1, 2, 3 and more characters)", async () => {
    for (const query of ["빵", "커피", "성수 커피", "coffee", "1호점", "해운대 분식 4"]) {
      const key = nameKey(query);
      const expected = all.filter((s) => nameKey(s.name).includes(key));
      const near = await storesByName(db, query, SEOUL, 10);
      const nearest = expected
        .map((s) => ({ id: s.id, d: distanceM(SEOUL, s) }))
        .sort((a, b) => a.d - b.d)
        .slice(0, 10);
      expect(near.map((s) => s.id)).toEqual(nearest.map((e) => e.id));
      expect((await storesByName(db, query, null, 20_000)).length).toBe(expected.length);
    }
    // without a place: the same name first, then names starting with the words, then shorter
    const put = sqliteClient(db).prepare(
      "insert into stores (id, name, lat, lng, pin_hash) values (?, ?, 36, 127, 'x')",
    );
    for (const [id, name] of [
      ["rank-c", "명가 커피"],
      ["rank-b", "커피 명가"],
      ["rank-a", "커피"],
    ] as const)
      put.run(id, name);
    const ranked = (await storesByName(db, "커피", null)).map((s) => s.name);
    expect(ranked.slice(0, 3)).toEqual(["커피", "커피 명가", "명가 커피"]);
    const lengths = ranked.slice(2).map((name) => name.length);
    expect(lengths).toEqual([...lengths].sort((x, y) => x - y));
    sqliteClient(db).run("delete from stores where id like 'rank-%'");
  });

  test("the index follows new and renamed stores", async () => {
    const { storeId } = await createStore(db, {
      name: "새로 연 숲속책방",
      lat: 37,
      lng: 127,
      pin: "1234",
    });
    expect((await storesByName(db, "숲속", null)).map((s) => s.id)).toEqual([storeId]);
    sqliteClient(db).run("update stores set name = '바다책방' where id = ?", [storeId]);
    expect(await storesByName(db, "숲속", null)).toEqual([]);
    expect((await storesByName(db, "바다책", null)).map((s) => s.id)).toEqual([storeId]);
    expect((await nearestStores(db, { lat: 37, lng: 127 }, 1))[0]!.id).toBe(storeId);
  });
});

describe("migration 0004 on a database that already has stores and menus", () => {
  test("existing stores are found by name; categories keep the order they were entered in", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "so-mig-")), "old.db");
    applyFirstMigrations(path, 3); // the schema before this change
    const old = new Database(path, { strict: true });
    old.run(
      "insert into stores (id, name, lat, lng, pin_hash) values ('s-old', '옛날 성수 커피', 37.5, 127.05, 'x')",
    );
    const item = old.prepare(
      "insert into menu_items (id, store_id, name, price, category, option_groups, sort_order, created_at) values (?, 's-old', ?, 1000, ?, '[]', 0, ?)",
    );
    // added one by one (sort_order 0 each), 디저트 sorting before 커피 by name
    item.run("i1", "아메리카노", "커피", 1);
    item.run("i2", "쿠키", "디저트", 2);
    item.run("i3", "라떼", "커피", 3);
    item.run("i4", "자몽에이드", "논커피", 4);
    old.close();

    for (const visit of [1, 2]) {
      const db = openSqlite(path); // applies the new migrations; the second time, nothing
      expect((await storesByName(db, "성수 커피", null)).map((s) => s.id)).toEqual(["s-old"]);
      expect((await nearestStores(db, SEOUL, 1)).map((s) => s.id)).toEqual(["s-old"]);
      expect(
        (await listMenu(db, "s-old")).map((i) => `${i.category}:${i.name}:${i.sortOrder}`),
      ).toEqual([
        "커피:아메리카노:0",
        "커피:라떼:1",
        "디저트:쿠키:0",
        ...(visit === 2 ? ["디저트:말차:1"] : []),
        "논커피:자몽에이드:0",
      ]);
      // a new item goes to the end of its category
      if (visit === 1) {
        await addMenuItems(db, "s-old", [
          { name: "말차", price: 1000, category: "디저트", soldOut: false, optionGroups: [] },
        ]);
      }
      sqliteClient(db).close();
    }
  });
});

/** A database with only the first `count` committed migrations, as an older release left it. */
function applyFirstMigrations(path: string, count: number) {
  const dir = mkdtempSync(join(tmpdir(), "so-mig-folder-"));
  mkdirSync(join(dir, "meta"));
  const entries = migrationJournal.entries.slice(0, count);
  writeFileSync(join(dir, "meta/_journal.json"), JSON.stringify({ ...migrationJournal, entries }));
  for (const e of entries) writeFileSync(join(dir, `${e.tag}.sql`), migrationSql[e.tag]!);
  const sqlite = new Database(path, { create: true, strict: true });
  migrate(drizzle(sqlite), { migrationsFolder: dir });
  sqlite.close();
}
