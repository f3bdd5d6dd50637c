import type { Db } from "../../src/infra/db.ts";
import { sqliteClient } from "../../src/infra/db.ts";
import { newId } from "../../src/infra/ids.ts";

/** Korean cities (centre, spread in degrees, share of the stores): a nationwide chain's map. */
const CITIES = [
  { name: "서울", lat: 37.55, lng: 126.99, spread: 0.12, weight: 5 },
  { name: "부산", lat: 35.16, lng: 129.06, spread: 0.08, weight: 2 },
  { name: "대구", lat: 35.87, lng: 128.6, spread: 0.06, weight: 1 },
  { name: "인천", lat: 37.46, lng: 126.7, spread: 0.06, weight: 1 },
  { name: "광주", lat: 35.16, lng: 126.85, spread: 0.05, weight: 1 },
  { name: "대전", lat: 36.35, lng: 127.38, spread: 0.05, weight: 1 },
  { name: "제주", lat: 33.5, lng: 126.53, spread: 0.1, weight: 1 },
];
const AREAS = ["성수", "강남", "홍대", "역삼", "서면", "해운대", "동성로", "둔산", "연동", "상무"];
const KINDS = [
  "커피",
  "베이커리",
  "분식",
  "카페",
  "김밥",
  "샐러드",
  "치킨",
  "떡볶이",
  "Coffee",
  "빵집",
];

/** A small seeded random generator (mulberry32), so every run sees the same stores. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type BulkStore = { id: string; name: string; lat: number; lng: number };

/**
 * `n` stores written straight to SQLite (no Argon2 per store), clustered in Korea's cities, named
 * like "성수 커피 123호점". The name-search triggers index them as they are inserted.
 */
export function insertManyStores(db: Db, n: number, seed = 7): BulkStore[] {
  const next = random(seed);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const weighted = CITIES.flatMap((c) => Array<typeof c>(c.weight).fill(c));
  const rows: BulkStore[] = [];
  for (let i = 0; i < n; i++) {
    const city = pick(weighted);
    rows.push({
      id: newId(),
      name: `${pick(AREAS)} ${pick(KINDS)} ${i + 1}호점`,
      lat: city.lat + (next() - 0.5) * 2 * city.spread,
      lng: city.lng + (next() - 0.5) * 2 * city.spread,
    });
  }
  const insert = sqliteClient(db).prepare(
    "insert into stores (id, name, lat, lng, pin_hash) values (?, ?, ?, ?, 'bulk')",
  );
  sqliteClient(db).transaction(() => {
    for (const s of rows) insert.run(s.id, s.name, s.lat, s.lng);
  })();
  return rows;
}
