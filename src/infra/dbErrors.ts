// What the database's failures mean to the app, apart from the drivers (no import cycle).

/** The start cannot reach or prepare PostgreSQL; the message is one line, without the password. */
export class DatabaseUnreachable extends Error {
  override name = "DatabaseUnreachable";
}

/** PostgreSQL did not answer in time (src/infra/pgDeadline.ts): a silent server, as good as gone. */
export class DatabaseTimeout extends Error {
  override name = "DatabaseTimeout";
}

/** Bun's codes for a PostgreSQL connection that is gone, refused or never answered. */
const LOST =
  /^ERR_POSTGRES_(CONNECTION_(CLOSED|REFUSED|TIMEOUT|FAILED)|IDLE_TIMEOUT|LIFETIME_TIMEOUT)$/;
/** SQLSTATE classes 08 (connection exception) and 57P0x (server shutting down or starting). */
const SERVER_AWAY = /^(08|57P0)/;

/**
 * Whether `err` (or its cause: drizzle wraps the driver's error) says PostgreSQL cannot be
 * reached right now, as opposed to a bug: such a request is answered 503, like a lost Redis.
 */
export function isDatabaseOutage(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof DatabaseTimeout) return true;
    const { code, errno } = e as { code?: unknown; errno?: unknown };
    if (typeof code === "string" && LOST.test(code)) return true;
    if (typeof errno === "string" && SERVER_AWAY.test(errno)) return true;
  }
  return false;
}
