/**
 * Redis key names. One store's keys share the hash tag `{storeId}` so every script touches one
 * slot (Redis Cluster ready). `prefix` isolates environments and test files.
 */
export function redisKeys(prefix = "so", opts: { cluster?: boolean } = {}) {
  const store = (storeId: string) => `${prefix}:{${storeId}}`;
  return {
    prefix,
    /**
     * BullMQ's prefix. A cluster needs every key of a queue in one slot (BullMQ's scripts touch
     * several), hence the hash tag there; one node keeps the untagged prefix its jobs are under.
     */
    queuePrefix: opts.cluster ? `{${prefix}}:bull` : `${prefix}:bull`,
    /** pub/sub channel: finished payment jobs, for approval pages waiting in any process */
    approvalsChannel: `${prefix}:approvals`,
    /** hash: dayId, state, lastEntryId, openedAt, orderCount, grossAmount, nextPickup */
    day: (storeId: string) => `${store(storeId)}:day`,
    /** string: id of the store's most recent day whose stream still exists */
    lastDay: (storeId: string) => `${store(storeId)}:lastday`,
    /** stream: the day stream, every event the counter must see, in order */
    dayStream: (storeId: string, dayId: string) => `${store(storeId)}:stream:${dayId}`,
    /** stream: store-level signals to live feeds (new day, feed taken over, session ended) */
    control: (storeId: string) => `${store(storeId)}:control`,
    /** string: stream entry id of an order's `order.paid` (exactly-once memo) */
    entryMemo: (storeId: string, orderId: string) => `${store(storeId)}:entry:${orderId}`,
    /** hash: a paid order's live state (status, pickupNumber, amount, cancel bookkeeping) */
    order: (storeId: string, orderId: string) => `${store(storeId)}:order:${orderId}`,
    /** string: set once an order's customer message of a kind was delivered */
    notified: (storeId: string, orderId: string, kind: string) =>
      `${store(storeId)}:notified:${orderId}:${kind}`,
    /** string: the store's one live session id */
    storeSession: (storeId: string) => `${store(storeId)}:session`,
    /** hash: deviceId, createdAt — under the store's slot, so login is one script */
    session: (storeId: string, sid: string) => `${store(storeId)}:sess:${sid}`,
    loginFailStore: (storeId: string) => `${store(storeId)}:loginfail`,
    loginLockStore: (storeId: string) => `${store(storeId)}:loginlock`,
    loginFailAddr: (addr: string) => `${prefix}:loginfail:${addr}`,
    loginLockAddr: (addr: string) => `${prefix}:loginlock:${addr}`,
    cart: (botUserKey: string) => `${prefix}:cart:${botUserKey}`,
    /** string: a skill rate limiter (GCRA arrival time), per customer or per store */
    customerLimit: (botUserKey: string, what: string) => `${prefix}:limit:${what}:${botUserKey}`,
    storeLimit: (storeId: string, what: string) => `${store(storeId)}:limit:${what}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
