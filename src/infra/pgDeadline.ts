import type { SQL } from "bun";
import { DatabaseTimeout } from "./dbErrors.ts";

/**
 * Bun's SQL client, as drizzle's session uses it (`unsafe`, `begin`, `savepoint`), with a deadline
 * on every query and on a transaction's start and commit. A server that stops answering without
 * closing the connection (a network partition, a frozen host) otherwise keeps a request waiting
 * until TCP gives up, minutes later; past the deadline the caller gets a DatabaseTimeout (a 503)
 * and a query still queued for a connection is cancelled, so it never runs after that answer.
 */
export function withQueryDeadline(client: SQL, ms: number): SQL {
  return wrap(client, ms) as unknown as SQL;
}

type Query = PromiseLike<unknown> & { values(): PromiseLike<unknown>; cancel(): unknown };
type Client = {
  unsafe(text: string, params?: unknown[]): Query;
  begin(fn: (tx: Client) => Promise<unknown>): Promise<unknown>;
  savepoint?(fn: (tx: Client) => Promise<unknown>): Promise<unknown>;
};

function wrap(raw: SQL | Client, ms: number) {
  const client = raw as unknown as Client;
  return {
    options: (raw as { options?: unknown }).options,
    unsafe(text: string, params?: unknown[]) {
      const query = client.unsafe(text, params);
      const run = (rows: PromiseLike<unknown>) => inTime(rows, ms, () => query.cancel());
      return {
        // biome-ignore lint/suspicious/noThenProperty: drizzle awaits the query object itself
        then: (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) =>
          run(query).then(ok, fail),
        values: () => run(query.values()),
      };
    },
    begin: (fn: (tx: unknown) => Promise<unknown>) =>
      transaction((body) => client.begin(body), fn, ms),
    savepoint: (fn: (tx: unknown) => Promise<unknown>) =>
      transaction((body) => client.savepoint!(body), fn, ms),
  };
}

/**
 * Waiting for a connection and BEGIN, then the COMMIT, each get `ms`; the body's own queries
 * have theirs. A body that starts after its caller was told "timed out" throws before writing,
 * so the transaction rolls back instead of committing behind the caller's back.
 */
function transaction(
  open: (body: (tx: Client) => Promise<unknown>) => Promise<unknown>,
  fn: (tx: unknown) => Promise<unknown>,
  ms: number,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let late = false;
    const giveUp = (what: string) => () => {
      late = true;
      reject(new DatabaseTimeout(`PostgreSQL did not ${what} within ${ms} ms`));
    };
    let timer = setTimeout(giveUp("start the transaction"), ms);
    open(async (tx) => {
      clearTimeout(timer);
      if (late) throw new DatabaseTimeout("transaction started after its deadline");
      try {
        return await fn(wrap(tx, ms));
      } finally {
        timer = setTimeout(giveUp("commit"), ms);
      }
    }).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

function inTime<T>(work: PromiseLike<T>, ms: number, cancel: () => unknown): Promise<T> {
  let timer: Timer | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        cancel();
      } catch {}
      reject(new DatabaseTimeout(`PostgreSQL did not answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
