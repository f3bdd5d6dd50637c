/**
 * The Open Builder blocks: the utterance each block is trained on and the skill it calls. Our
 * buttons send these utterances (with `extra` → `clientExtra`), so the real bot and the chat
 * simulator route them the same way. docs/open-builder.md lists them for a shop to create.
 */
export const blocks = {
  stores: { utterance: "가게 찾기", path: "/kakao/skill/stores" },
  menu: { utterance: "메뉴 보기", path: "/kakao/skill/menu" },
  cartAdd: { utterance: "담기", path: "/kakao/skill/cart/add" },
  cart: { utterance: "장바구니", path: "/kakao/skill/cart" },
  cartClear: { utterance: "장바구니 비우기", path: "/kakao/skill/cart/clear" },
  place: { utterance: "주문하기", path: "/kakao/skill/orders/place" },
  orders: { utterance: "주문 내역", path: "/kakao/skill/orders" },
} as const;

export type BlockName = keyof typeof blocks;

/** The skill a typed or tapped utterance reaches (the simulator's stand-in for Open Builder). */
export function blockFor(utterance: string): BlockName {
  const text = utterance.trim();
  const exact = (Object.keys(blocks) as BlockName[]).find((b) => blocks[b].utterance === text);
  if (exact) return exact;
  if (/주문\s*내역|내 주문/.test(text)) return "orders";
  if (/비우/.test(text)) return "cartClear";
  if (/장바구니/.test(text)) return "cart";
  if (/메뉴/.test(text)) return "menu";
  return "stores";
}

/**
 * The blockId of a `block` quick reply that calls block `name` again whatever its messageText
 * (the customer's bubble) says: the id Open Builder gave the block that called the skill
 * (`userRequest.block.id`). The chat simulator calls its blocks `sim-block-<name>` in payloads
 * but routes a block action by `<name>` (src/web/chat/routes.tsx), so its ids go back as names.
 */
export function blockIdBack(name: BlockName, calledFrom: string | undefined): string {
  if (!calledFrom || calledFrom === `sim-block-${name}`) return name;
  return calledFrom;
}
