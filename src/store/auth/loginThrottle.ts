import type { Deps } from "../../deps.ts";
import { AppError } from "../../infra/errors.ts";
import { execReplies } from "../../infra/redisClient.ts";

const WINDOW_S = 600;
const MAX_FAILURES = 5;

type Who = { storeId: string | null; addr: string };

function keysOf(deps: Deps, who: Who) {
  const pairs = [[deps.keys.loginFailAddr(who.addr), deps.keys.loginLockAddr(who.addr)]];
  if (who.storeId) {
    pairs.push([deps.keys.loginFailStore(who.storeId), deps.keys.loginLockStore(who.storeId)]);
  }
  return pairs as [fail: string, lock: string][];
}

/** 429 while the store or the client address is locked out, even for the right PIN. */
export async function refuseIfLocked(deps: Deps, who: Who) {
  const ttls = await Promise.all(keysOf(deps, who).map(([, lock]) => deps.redis.ttl(lock)));
  const retryAfter = Math.max(...ttls);
  if (retryAfter > 0) {
    throw new AppError(
      429,
      "too_many_attempts",
      `Too many failed logins; try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
      { retryAfterSeconds: retryAfter },
    );
  }
}

/**
 * Counts a failure; the fifth within 10 minutes locks for 10 minutes. Answers the attempts left
 * before a lockout: the fewer of the store's and the address's.
 */
export async function recordFailure(deps: Deps, who: Who): Promise<number> {
  let attemptsLeft = MAX_FAILURES;
  for (const [fail, lock] of keysOf(deps, who)) {
    const [count] = (await execReplies(
      deps.redis.multi().incr(fail).expire(fail, WINDOW_S, "NX"),
    )) as [number];
    if (count >= MAX_FAILURES) await deps.redis.set(lock, "1", "EX", WINDOW_S, "NX");
    attemptsLeft = Math.min(attemptsLeft, Math.max(0, MAX_FAILURES - count));
  }
  return attemptsLeft;
}

export async function clearStoreFailures(deps: Deps, storeId: string) {
  await deps.redis.del(deps.keys.loginFailStore(storeId));
}
