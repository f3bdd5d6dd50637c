import { distanceM, EARTH_RADIUS_M } from "./auth/geo.ts";

// What both engines' store searches share: the shapes, the name key, the box and the ordering.

export type Place = { lat: number; lng: number };
export type StoreHit = {
  id: string;
  name: string;
  lat: number;
  lng: number;
  /** metres from the customer, when the customer's place is known */
  distance: number | null;
};
export type StoreRow = Omit<StoreHit, "distance">;

/**
 * A name as the search index holds it: ASCII lowercased, spaces removed — the triggers'
 * `lower(replace(name, ' ', ''))` (migration 0004), so "성수커피" finds "성수 커피".
 */
export const nameKey = (s: string) =>
  s.replaceAll(" ", "").replace(/[A-Z]+/g, (c) => c.toLowerCase());

export const FIRST_RADIUS_M = 1000;
export const HALF_EARTH_M = Math.PI * EARTH_RADIUS_M;
const DEG = 180 / Math.PI;

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

/** The distinct pieces as $g1…$g3 (repeated to fill), and how many distinct there are. */
export function threePieces(pieces: string[]) {
  const distinct = [...new Set(pieces)];
  const [g1, g2 = g1, g3 = g2] = distinct as [string, string?, string?];
  return { g1, g2: g2!, g3: g3!, n: distinct.length };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function byDistance(rows: StoreRow[], at: Place): StoreHit[] {
  return rows
    .map((r) => ({ ...r, distance: distanceM(at, r) }))
    .sort((a, b) => a.distance - b.distance || cmp(a.id, b.id));
}
