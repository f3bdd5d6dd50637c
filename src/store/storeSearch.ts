import { type Db, sqliteClient } from "../infra/db.ts";
import { EARTH_RADIUS_M } from "./auth/geo.ts";
import {
  boxAround,
  byDistance,
  FIRST_RADIUS_M,
  HALF_EARTH_M,
  nameKey,
  type Place,
  type StoreHit,
  type StoreRow,
  threePieces,
} from "./storePlaces.ts";
import { nearestStoresPg, storesByNamePg } from "./storeSearchPg.ts";

export { nameKey, type Place, type StoreHit };

/** The haversine distance in metres from ($lat, $lng) to the row's place, in SQL. */
const haversineSql = (lat: string, lng: string) =>
  `2 * ${EARTH_RADIUS_M} * asin(min(1, sqrt(
    power(sin(radians(${lat} - $lat) / 2), 2)
    + cos(radians($lat)) * cos(radians(${lat})) * power(sin(radians(${lng} - $lng) / 2), 2)
  )))`;

/**
 * The `limit` stores nearest to `at`, nearest first by haversine distance. Reads a lat/lng box
 * around `at` (a range of the `stores_lat_lng` index); SQLite keeps only the stores within the
 * circle the box surely covers, nearest first, `limit` of them; the box doubles until the circle
 * holds `limit` stores. A store outside the circle is farther than every one kept, so the order is
 * exact, and only a few rows ever reach JavaScript. (SQLite's math functions: Bun's own SQLite.)
 */
export async function nearestStores(db: Db, at: Place, limit = 10): Promise<StoreHit[]> {
  if (db.engine === "postgres") return nearestStoresPg(db, at, limit);
  const near = sqliteClient(db).query<StoreRow, Record<string, number>>(NEAR_SQL);
  for (let radius = FIRST_RADIUS_M; ; radius *= 2) {
    const everywhere = radius >= HALF_EARTH_M;
    const rows = near.all({
      ...boxAround(at, radius),
      lat: at.lat,
      lng: at.lng,
      // 1 m of slack: the exact cut is made below, with the same haversine as everywhere else
      radius: everywhere ? Number.MAX_VALUE : radius + 1,
      limit,
    });
    const hits = byDistance(rows, at).filter((h) => everywhere || (h.distance ?? 0) <= radius);
    if (hits.length >= limit || everywhere) return hits.slice(0, limit);
  }
}

export const NEAR_SQL = `
SELECT id, name, lat, lng FROM (
  SELECT id, name, lat, lng, ${haversineSql("lat", "lng")} AS d
  FROM stores
  WHERE lat BETWEEN $minLat AND $maxLat AND lng BETWEEN $minLng AND $maxLng
)
WHERE d <= $radius
ORDER BY d
LIMIT $limit`;

/**
 * Stores whose name contains `query` (spaces and ASCII case ignored), nearest first when `near`
 * is known, else the closest names first (the same name, then names starting with it, then
 * shorter). Candidates come from `store_name_grams` (every 1-, 2- and 3-character piece of each
 * name): a query of 1–3 characters is one piece; a longer one must contain its first, middle and
 * last 3-character pieces, and then the whole query (checked on those few candidates only).
 * SQLite orders them and hands over only `limit`.
 */
export async function storesByName(
  db: Db,
  query: string,
  near: Place | null,
  limit = 10,
): Promise<StoreHit[]> {
  if (db.engine === "postgres") return storesByNamePg(db, query, near, limit);
  const key = nameKey(query);
  const chars = Array.from(key);
  if (chars.length === 0) return [];
  const pieces =
    chars.length <= 3
      ? [key]
      : [0, Math.floor((chars.length - 3) / 2), chars.length - 3].map((i) =>
          chars.slice(i, i + 3).join(""),
        );
  const place = { near: near ? 1 : 0, lat: near?.lat ?? 0, lng: near?.lng ?? 0, limit };
  const rows =
    pieces.length === 1
      ? sqliteClient(db)
          .query<StoreRow, Record<string, string | number>>(BY_PIECE_SQL)
          .all({ g1: key, key, ...place })
      : sqliteClient(db)
          .query<StoreRow, Record<string, string | number>>(BY_PIECES_SQL)
          .all({ ...threePieces(pieces), key, ...place });
  return near ? byDistance(rows, near) : rows.map((r) => ({ ...r, distance: null }));
}

// CROSS JOIN keeps SQLite's join order: the name pieces first (an index lookup per piece), then
// each candidate store by its primary key. Nearest first when $near, else the closest names.
const byNameSql = (candidates: string, check: string) => `
SELECT s.id AS id, s.name AS name, s.lat AS lat, s.lng AS lng
FROM (${candidates}) AS m
CROSS JOIN stores AS s
WHERE s.id = m.store_id${check}
ORDER BY
  CASE WHEN $near THEN ${haversineSql("s.lat", "s.lng")} END,
  CASE
    WHEN lower(replace(s.name, ' ', '')) = $key THEN 0
    WHEN instr(lower(replace(s.name, ' ', '')), $key) = 1 THEN 1
    ELSE 2
  END,
  length(s.name),
  s.name
LIMIT $limit`;

/** Words of 1–3 characters are one piece: the stores whose name has it, nothing to check. */
export const BY_PIECE_SQL = byNameSql("SELECT store_id FROM store_name_grams WHERE gram = $g1", "");

/** Longer words: the stores with their first, middle and last pieces, then the whole words. */
export const BY_PIECES_SQL = byNameSql(
  `SELECT store_id FROM store_name_grams
  WHERE gram IN ($g1, $g2, $g3)
  GROUP BY store_id HAVING count(*) = $n`,
  " AND instr(lower(replace(s.name, ' ', '')), $key) > 0",
);

/** A few stores when the customer gave neither a name nor a place. */
export async function someStores(db: Db, limit = 10): Promise<StoreHit[]> {
  const { stores } = db.t;
  const rows = await db
    .select({ id: stores.id, name: stores.name, lat: stores.lat, lng: stores.lng })
    .from(stores)
    .limit(limit);
  return rows.map((s) => ({ ...s, distance: null }));
}
