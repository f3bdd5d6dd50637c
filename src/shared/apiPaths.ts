// What the counter screen calls: shared by the browser code (src/web/client) and the tests that
// hold the server to them. No imports, no Bun or DOM: both sides type-check it.

const seg = (id: string) => encodeURIComponent(id);

/** The store API's paths, as the counter screen requests them. */
export const storeApi = {
  login: "/store/auth/login",
  logout: "/store/auth/logout",
  day: "/store/day",
  dayAction: (action: string) => `/store/day/${action}`,
  orders: "/store/orders",
  orderMove: (orderId: string, op: string) => `/store/orders/${seg(orderId)}/${op}`,
  menu: "/store/menu",
  menuItems: "/store/menu/items",
  menuItem: (itemId: string) => `/store/menu/items/${seg(itemId)}`,
  menuOrder: "/store/menu/order",
  /** The live feed (SSE), resuming after `lastEventId` when given. */
  events: (lastEventId?: string | null) =>
    lastEventId ? `/store/events?lastEventId=${seg(lastEventId)}` : "/store/events",
} as const;
