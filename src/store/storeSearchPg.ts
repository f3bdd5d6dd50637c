import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../infra/db.ts";
import { EARTH_RADIUS_M } from "./auth/geo.ts";
import {
  boxAround,
  byDistance,
  nameKey,
  type Place,
  type StoreHit,
  threePieces,
} from "./storePlaces.ts";

/**
 * The store searches of src/store/storeSearch.ts on PostgreSQL: the same statements, the same
 * results in the same order. The name pieces are kept by migrations-pg/0001's trigger, with
 * store_name_key(name) for nameKey (only A–Z lowercased, like SQLite's lower()).
 */
type StoreRow = Omit<StoreHit, "distance">;

const FIRST_RADIUS_M = 1000;
const HALF_EARTH_M = Math.PI * EARTH_RADIUS_M;

async function rows(db: Db, query: SQL): Promise<StoreRow[]> {
  return (await db.execute(query)) as unknown as StoreRow[];
}

/** The haversine distance in metres from `at` to the row's place, in SQL. */
const haversine = (
  lat: SQL,
  lng: SQL,
  at: Place,
) => sql`2 * ${EARTH_RADIUS_M}::float8 * asin(least(1, sqrt(
    power(sin(radians(${lat} - ${at.lat}::float8) / 2), 2)
    + cos(radians(${at.lat}::float8)) * cos(radians(${lat}))
      * power(sin(radians(${lng} - ${at.lng}::float8) / 2), 2)
  )))`;

type Box = { minLat: number; maxLat: number; minLng: number; maxLng: number };

/** storeSearch.ts's NEAR_SQL: the stores in the box within `radius` of `at`, nearest first. */
export const nearSql = (at: Place, box: Box, radius: number, limit: number) => sql`
SELECT id, name, lat, lng FROM (
  SELECT id, name, lat, lng, ${haversine(sql`lat`, sql`lng`, at)} AS d
  FROM stores
  WHERE lat BETWEEN ${box.minLat}::float8 AND ${box.maxLat}::float8
    AND lng BETWEEN ${box.minLng}::float8 AND ${box.maxLng}::float8
) AS near
WHERE d <= ${radius}::float8
ORDER BY d
LIMIT ${limit}::int`;

/** The `limit` stores nearest to `at` (storeSearch.ts's nearestStores; the box widens until sure). */
export async function nearestStoresPg(db: Db, at: Place, limit = 10): Promise<StoreHit[]> {
  for (let radius = FIRST_RADIUS_M; ; radius *= 2) {
    const everywhere = radius >= HALF_EARTH_M;
    const found = await rows(
      db,
      nearSql(at, boxAround(at, radius), everywhere ? Number.MAX_VALUE : radius + 1, limit),
    );
    const hits = byDistance(found, at).filter((h) => everywhere || (h.distance ?? 0) <= radius);
    if (hits.length >= limit || everywhere) return hits.slice(0, limit);
  }
}

type ByName = { key: string; near: Place | null; limit: number };

// Nearest first when `near`, else the closest names: the same name, then names starting with it,
// then shorter; last by the name's code points (COLLATE "C"), as SQLite compares text.
const byNameSql = (candidates: SQL, check: SQL, { key, near, limit }: ByName) => sql`
SELECT s.id AS id, s.name AS name, s.lat AS lat, s.lng AS lng
FROM (${candidates}) AS m
JOIN stores AS s ON s.id = m.store_id${check}
ORDER BY ${near ? sql`${haversine(sql`s.lat`, sql`s.lng`, near)},` : sql``}
  CASE
    WHEN store_name_key(s.name) = ${key}::text THEN 0
    WHEN strpos(store_name_key(s.name), ${key}::text) = 1 THEN 1
    ELSE 2
  END,
  length(s.name),
  s.name COLLATE "C"
LIMIT ${limit}::int`;

/** storeSearch.ts's BY_PIECE_SQL: a word of 1–3 characters is one piece, nothing to check. */
export const byPieceSql = (q: ByName) =>
  byNameSql(sql`SELECT store_id FROM store_name_grams WHERE gram = ${q.key}::text`, sql``, q);

/** storeSearch.ts's BY_PIECES_SQL: the first, middle and last pieces, then the whole word. */
export const byPiecesSql = (pieces: string[], q: ByName) => {
  const { g1, g2, g3, n } = threePieces(pieces);
  return byNameSql(
    sql`SELECT store_id FROM store_name_grams
  WHERE gram IN (${g1}::text, ${g2}::text, ${g3}::text)
  GROUP BY store_id HAVING count(*) = ${n}::int`,
    sql` AND strpos(store_name_key(s.name), ${q.key}::text) > 0`,
    q,
  );
};

/** Stores whose name contains `query` (spaces and ASCII case ignored): storesByName on PostgreSQL. */
export async function storesByNamePg(
  db: Db,
  query: string,
  near: Place | null,
  limit = 10,
): Promise<StoreHit[]> {
  const key = nameKey(query);
  const chars = Array.from(key);
  if (chars.length === 0) return [];
  const q = { key, near, limit };
  const found =
    chars.length <= 3
      ? await rows(db, byPieceSql(q))
      : await rows(
          db,
          byPiecesSql(
            [0, Math.floor((chars.length - 3) / 2), chars.length - 3].map((i) =>
              chars.slice(i, i + 3).join(""),
            ),
            q,
          ),
        );
  return near ? byDistance(found, near) : found.map((r) => ({ ...r, distance: null }));
}
