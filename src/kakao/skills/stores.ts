import { like } from "drizzle-orm";
import { stores } from "../../../db/schema.ts";
import type { Deps } from "../../deps.ts";
import { distanceM } from "../../store/auth/geo.ts";
import { blocks } from "../blocks.ts";
import type { SkillInput } from "../skill/request.ts";
import { basicCard, button, carousel } from "../skill/response.ts";
import { answer, go, polite, stateText, storeStates } from "./common.ts";

const coord = (v: unknown) =>
  typeof v === "number" ? v : typeof v === "string" ? Number(v) : Number.NaN;

/** Stores by name, or nearest first by the customer's location, with their state. */
export async function storesSkill(deps: Deps, input: SkillInput) {
  const lat = coord(input.clientExtra.lat);
  const lng = coord(input.clientExtra.lng);
  const near = Number.isFinite(lat) && Number.isFinite(lng) ? { lat, lng } : null;
  const typed =
    input.params.query ?? (input.utterance === blocks.stores.utterance ? "" : input.utterance);
  const query = typed.trim().slice(0, 30);
  const found = findStores(deps, query, near);
  if (found.length === 0) {
    return polite(
      query
        ? `'${query}'(으)로 찾은 가게가 없어요. 가게 이름을 다시 입력해 주세요.`
        : "아직 등록된 가게가 없어요.",
      [go.stores("다시 찾기"), go.orders()],
    );
  }
  const states = await storeStates(
    deps,
    found.map((s) => s.id),
  );
  const cards = found.map((s) =>
    basicCard({
      title: s.name,
      description: [
        stateText(states.get(s.id)),
        s.distance !== null ? formatDistance(s.distance) : null,
      ]
        .filter(Boolean)
        .join(" · "),
      buttons: [button.message("메뉴 보기", blocks.menu.utterance, { storeId: s.id })],
    }),
  );
  return answer({
    outputs: [
      carousel(
        "basicCard",
        cards.map((c) => ("basicCard" in c ? c.basicCard : {})),
      ),
    ],
    quickReplies: [go.cart(), go.orders()],
  });
}

function findStores(deps: Deps, query: string, near: { lat: number; lng: number } | null) {
  const rows = query
    ? deps.db
        .select()
        .from(stores)
        .where(like(stores.name, `%${escapeLike(query)}%`))
        .limit(200)
        .all()
    : deps.db.select().from(stores).limit(1000).all();
  const withDistance = rows.map((s) => ({ ...s, distance: near ? distanceM(near, s) : null }));
  if (near) withDistance.sort((a, b) => (a.distance ?? 0) - (b.distance ?? 0));
  return withDistance.slice(0, 10);
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

const formatDistance = (m: number) =>
  m < 1000 ? `${Math.round(m)}m` : `${(m / 1000).toFixed(1)}km`;
