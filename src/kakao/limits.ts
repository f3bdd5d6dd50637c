import type { Deps } from "../deps.ts";
import { type Rate, takeRate } from "../infra/rateLimit.ts";
import { readCart } from "../ordering/cart.ts";
import { findMenuItem } from "../ordering/menuLookup.ts";
import type { SkillInput } from "./skill/request.ts";
import type { SkillResponse } from "./skill/response.ts";
import { go, polite } from "./skills/common.ts";

/** Runs before a skill: a polite refusal, or null to let the skill answer. */
export type Gate = (deps: Deps, input: SkillInput) => Promise<SkillResponse | null>;

const text = {
  payDown: "결제가 잠시 어려워요. 잠시 후 다시 시도해 주세요.",
  placeTooFast: "주문이 너무 빠르게 들어오고 있어요. 잠시 후 다시 시도해 주세요.",
  storeBusy: "지금 이 가게에 주문이 몰리고 있어요. 잠시 후 다시 시도해 주세요.",
  addTooFast: "메뉴를 너무 빠르게 담고 있어요. 잠시 후 다시 담아 주세요.",
};

type Skill = "place" | "cart_add";

/** Counts one request against a rate; false (and a metric) when it is over. */
async function within(
  deps: Deps,
  key: string,
  rate: Rate | null,
  labels: { skill: Skill; scope: "customer" | "store" },
) {
  if (!rate) return true;
  const verdict = await takeRate(deps.redis, key, rate, deps.clock.now());
  if (verdict.allowed) return true;
  deps.metrics.skillsLimited.inc(labels);
  deps.log.info({ ...labels, key, retryAfterMs: verdict.retryAfterMs }, "skill rate limited");
  return false;
}

/**
 * orders/place costs a KakaoPay ready call: answered at once while KakaoPay is failing (breaker
 * open) and held to a rate per customer and per store. The customer rate allows a burst, so a
 * double tap on 주문하기 (idempotent: one order, one ready call) goes through.
 */
export const placeGate: Gate = async (deps, input) => {
  const back = [go.cart(), go.orders()];
  if (deps.kakaopay.guard.refusing()) return polite(text.payDown, back);
  const { placePerCustomer, placePerStore } = deps.config.limits;
  const customerKey = deps.keys.customerLimit(input.botUserKey, "place");
  if (!(await within(deps, customerKey, placePerCustomer, { skill: "place", scope: "customer" })))
    return polite(text.placeTooFast, back);
  const cart = placePerStore ? await readCart(deps, input.botUserKey) : null;
  if (!cart) return null;
  const storeKey = deps.keys.storeLimit(cart.storeId, "place");
  if (!(await within(deps, storeKey, placePerStore, { skill: "place", scope: "store" })))
    return polite(text.storeBusy, back);
  return null;
};

/** cart/add: a rate per customer and per store (the item's), so a flood cannot churn carts. */
export const cartAddGate: Gate = async (deps, input) => {
  const { cartAddPerCustomer, cartAddPerStore } = deps.config.limits;
  const customerKey = deps.keys.customerLimit(input.botUserKey, "cart_add");
  const limited = { skill: "cart_add", scope: "customer" } as const;
  if (!(await within(deps, customerKey, cartAddPerCustomer, limited)))
    return polite(text.addTooFast, [go.cart()]);
  const itemId = input.clientExtra.itemId;
  const item =
    cartAddPerStore && typeof itemId === "string" && (await findMenuItem(deps.db, itemId));
  if (!item) return null;
  const storeKey = deps.keys.storeLimit(item.storeId, "cart_add");
  if (!(await within(deps, storeKey, cartAddPerStore, { skill: "cart_add", scope: "store" })))
    return polite(text.storeBusy, [go.cart()]);
  return null;
};
