/** The Earth's mean radius (IUGG), for haversine and the nearest-store search's box. */
export const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }) {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Indoors a phone's fix can be off by its reported accuracy; we forgive up to 100 m of it. */
export const MAX_FORGIVEN_ACCURACY_M = 100;

export function withinRadius(
  store: { lat: number; lng: number },
  at: { lat: number; lng: number; accuracy?: number | undefined },
  radiusM: number,
) {
  const forgiven = Math.min(at.accuracy ?? 0, MAX_FORGIVEN_ACCURACY_M);
  const distance = distanceM(store, at);
  return { ok: distance - forgiven <= radiusM, distance: Math.round(distance) };
}
