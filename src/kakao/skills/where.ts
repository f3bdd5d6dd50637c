import type { Place } from "../../store/storeSearch.ts";
import type { SkillInput } from "../skill/request.ts";

/**
 * Where the customer is, when they shared it: `clientExtra.lat/lng` (our buttons and the chat
 * simulator), else a location in any parameter — Open Builder's location plugin fills a block
 * parameter, and we found no documented shape of its value, so these are read
 * (docs/open-builder.md): an object, or JSON text of one, with `latitude`/`longitude` or
 * `lat`/`lng` (or `lon`), numbers or numeric text, itself or under `location`, `coords` or
 * `value`; or text "37.5446,127.0557".
 */
export function customerPlace(input: SkillInput): Place | null {
  const fromButton = placeOf(input.clientExtra);
  if (fromButton) return fromButton;
  for (const value of input.paramValues) {
    const found = placeIn(value);
    if (found) return found;
  }
  return null;
}

function placeIn(value: unknown): Place | null {
  if (typeof value === "string") return placeInText(value.trim());
  if (!isObj(value)) return null;
  for (const v of [value, value.location, value.coords, value.value]) {
    const found = isObj(v) ? placeOf(v) : null;
    if (found) return found;
  }
  return null;
}

function placeInText(text: string): Place | null {
  if (text.startsWith("{")) {
    try {
      return placeIn(JSON.parse(text));
    } catch {
      return null;
    }
  }
  const pair = /^(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)$/.exec(text);
  return pair ? checked(Number(pair[1]), Number(pair[2])) : null;
}

function placeOf(o: Record<string, unknown>): Place | null {
  return checked(coord(o.latitude ?? o.lat), coord(o.longitude ?? o.lng ?? o.lon));
}

const coord = (v: unknown) =>
  typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;

function checked(lat: number, lng: number): Place | null {
  const ok = Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90;
  return ok && Math.abs(lng) <= 180 ? { lat, lng } : null;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
