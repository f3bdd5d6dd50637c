import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { Deps } from "../../deps.ts";
import { AppError, unauthorized } from "../../infra/errors.ts";
import { newSecret } from "../../infra/ids.ts";
import { execReplies } from "../../infra/redisClient.ts";
import { storeLogin, storeLogout } from "../../stream/scripts/index.ts";
import { isDeviceActive } from "../admin.ts";

export const SESSION_COOKIE = "so_session";
export const SESSION_TTL_S = 12 * 60 * 60;

export type StoreSession = { storeId: string; sid: string; deviceId: string };
export type SessionEnv = { Variables: { session: StoreSession } };

const sessionPrefix = (deps: Deps, storeId: string) => deps.keys.session(storeId, "");

/** Opens the store's one session; another device's live session → 409 session_active. */
export async function openSession(deps: Deps, storeId: string, deviceId: string) {
  const sid = newSecret();
  const login = await storeLogin(
    deps.redis,
    {
      storeSession: deps.keys.storeSession(storeId),
      session: deps.keys.session(storeId, sid),
      control: deps.keys.control(storeId),
    },
    {
      sid,
      deviceId,
      ttlS: SESSION_TTL_S,
      now: deps.clock.now(),
      sessionPrefix: sessionPrefix(deps, storeId),
    },
  );
  if (login.outcome === "conflict") {
    throw new AppError(
      409,
      "session_active",
      "Another device is logged in to this store; log out there first.",
    );
  }
  return { cookie: `${storeId}.${sid}` };
}

export async function closeSession(deps: Deps, s: StoreSession) {
  await storeLogout(
    deps.redis,
    {
      storeSession: deps.keys.storeSession(s.storeId),
      session: deps.keys.session(s.storeId, s.sid),
      control: deps.keys.control(s.storeId),
    },
    { sid: s.sid },
  );
}

/** The cookie `storeId.sid` split, or null when it is not one. */
function parseCookie(cookie: string | undefined) {
  const dot = cookie?.indexOf(".") ?? -1;
  if (!cookie || dot <= 0) return null;
  return { storeId: cookie.slice(0, dot), sid: cookie.slice(dot + 1) };
}

/** Resolves the session cookie to a live session of a still-registered device, or 401. */
export async function sessionFromCookie(deps: Deps, cookie: string | undefined) {
  const parsed = parseCookie(cookie);
  if (!parsed) return null;
  const { storeId, sid } = parsed;
  const key = deps.keys.session(storeId, sid);
  const [deviceId] = (await execReplies(
    deps.redis
      .multi()
      .hget(key, "deviceId")
      .expire(key, SESSION_TTL_S, "XX")
      .expire(deps.keys.storeSession(storeId), SESSION_TTL_S, "XX"),
  )) as [string | null];
  if (!deviceId || !(await isDeviceActive(deps.db, deviceId))) return null;
  return { storeId, sid, deviceId } satisfies StoreSession;
}

/** Did a newer login (the same device, elsewhere) replace this cookie's session? */
async function wasReplaced(deps: Deps, cookie: string | undefined) {
  const parsed = parseCookie(cookie);
  if (!parsed) return false;
  return (
    (await deps.redis.hexists(deps.keys.session(parsed.storeId, parsed.sid), "replacedAt")) === 1
  );
}

export const requireSession = (deps: Deps) =>
  createMiddleware<SessionEnv>(async (c, next) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    const session = await sessionFromCookie(deps, cookie);
    if (!session) {
      // Still a 401: the screen only learns why, to tell the staff.
      if (await wasReplaced(deps, cookie)) {
        throw new AppError(
          401,
          "session_replaced",
          "This store was logged in on another screen, which ended this session.",
        );
      }
      throw unauthorized("Your session has ended; please log in again.");
    }
    c.set("session", session);
    await next();
  });
