import { stores } from "../../db/schema.ts";
import type { Db } from "../infra/db.ts";
import { distanceM, EARTH_RADIUS_M } from "./auth/geo.ts";

export type Place = { lat: number; lng: number };
export type StoreHit = {
  id: string;
  name: string;
  lat: number;
  lng: number;
  /** metres from the customer, when the customer's place is known */
  distance: number | null;
};
type StoreRow = Omit<StoreHit, "distance">;

/**
 * A name as the search index holds it: ASCII lowercased, spaces removed — the triggers'
 * `lower(replace(name, ' ', ''))` (migration 0004), so "성수커피" finds "성수 커피".
 */
export const nameKey = (s: string) =>
  s.replaceAll(" ", "").replace(/[A-Z]+/g, (c) => c.toLowerCase());

/** The haversine distance in metres from ($lat, $lng) to the row's place, in SQL. */
const haversineSql = (lat: string, lng: string) =>
  `2 * ${EARTH_RADIUS_M} * asin(min(1, sqrt(
    power(sin(radians(${lat} - $lat) / 2), 2)
    + cos(radians($lat)) * cos(radians(${lat})) * power(sin(radians(${lng} - $lng) / 2), 2)
  )))`;

const FIRST_RADIUS_M = 1000;
const HALF_EARTH_M = Math.PI * EARTH_RADIUS_M;
const DEG = 180 / Math.PI;

/**
 * The `limit` stores nearest to `at`, nearest first by haversine distance. Reads a lat/lng box
 * around `at` (a range of the `stores_lat_lng` index); SQLite keeps only the stores within the
 * circle the box surely covers, nearest first, `limit` of them; the box doubles until the circle
 * holds `limit` stores. A store outside the circle is farther than every one kept, so the order is
 * exact, and only a few rows ever reach JavaScript. (SQLite's math functions: Bun's own SQLite.)
 */
export function nearestStores(db: Db, at: Place, limit = 10): StoreHit[] {
  const near = db.$client.query<StoreRow, Record<string, number>>(NEAR_SQL);
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
 * The box that holds every point within `radius` metres of `at` (bounding coordinates after
 * J. P. Matuschek): latitude ± radius/R; longitude ± asin(sin(radius/R) / cos(lat)). Near a pole
 * or the date line it takes every longitude, which is never wrong, only wider.
 */
export function boxAround(at: Place, radius: number) {
  const angle = radius / EARTH_RADIUS_M;
  const minLat = at.lat - angle * DEG;
  const maxLat = at.lat + angle * DEG;
  const whole = { minLat, maxLat, minLng: -180, maxLng: 180 };
  if (minLat <= -90 || maxLat >= 90 || angle >= Math.PI / 2) return whole;
  const spread = Math.sin(angle) / Math.cos(at.lat / DEG);
  if (spread >= 1) return whole;
  const dLng = Math.asin(spread) * DEG;
  if (at.lng - dLng < -180 || at.lng + dLng > 180) return whole;
  return { minLat, maxLat, minLng: at.lng - dLng, maxLng: at.lng + dLng };
}

/**
 * Stores whose name contains `query` (spaces and ASCII case ignored), nearest first when `near`
 * is known, else the closest names first (the same name, then names starting with it, then
 * shorter). Candidates come from `store_name_grams` (every 1-, 2- and 3-character piece of each
 * name): a query of 1–3 characters is one piece; a longer one must contain its first, middle and
 * last 3-character pieces, and then the whole query (checked on those few candidates only).
 * SQLite orders them and hands over only `limit`.
 */
export function storesByName(db: Db, query: string, near: Place | null, limit = 10): StoreHit[] {
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
      ? db.$client
          .query<StoreRow, Record<string, string | number>>(BY_PIECE_SQL)
          .all({ g1: key, key, ...place })
      : db.$client
          .query<StoreRow, Record<string, string | number>>(BY_PIECES_SQL)
          .all({ ...threePieces(pieces), key, ...place });
  return near ? byDistance(rows, near) : rows.map((r) => ({ ...r, distance: null }));
}

/** The distinct pieces as $g1…$g3 (repeated to fill), and how many distinct there are. */
export function threePieces(pieces: string[]) {
  const distinct = [...new Set(pieces)];
  const [g1, g2 = g1, g3 = g2] = distinct as [string, string?, string?];
  return { g1, g2: g2!, g3: g3!, n: distinct.length };
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
export function someStores(db: Db, limit = 10): StoreHit[] {
  return db
    .select({ id: stores.id, name: stores.name, lat: stores.lat, lng: stores.lng })
    .from(stores)
    .limit(limit)
    .all()
    .map((s) => ({ ...s, distance: null }));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function byDistance(rows: StoreRow[], at: Place): StoreHit[] {
  return rows
    .map((r) => ({ ...r, distance: distanceM(at, r) }))
    .sort((a, b) => a.distance - b.distance || cmp(a.id, b.id));
}
