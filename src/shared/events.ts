// The live feed's SSE event names (GET /store/events): shared by the server's tests and the
// counter screen, which listens for exactly these.

/** The day stream's entries, each sent as an event of its type. */
export const FEED_EVENTS = [
  "ready",
  "state",
  "closed",
  "order.paid",
  "order.accepted",
  "order.ready",
  "order.picked_up",
  "order.canceled",
] as const;

export type FeedEventName = (typeof FEED_EVENTS)[number];

/** The feed's own notices: the whole day follows (`reset`), another login took over (`replaced`). */
export const FEED_NOTICES = { reset: "reset", replaced: "replaced" } as const;
