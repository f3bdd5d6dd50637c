/**
 * SQLite's WAL checkpoints on a thread of their own. With `synchronous = NORMAL` a commit only
 * appends to the WAL; the fsyncs happen when the WAL is copied back into the database file, and
 * SQLite's automatic checkpoint runs them inside whichever commit crosses 1,000 pages — on the
 * one JavaScript thread that serves every request (bench:orders saw 16–29 ms of every second in
 * statement runs over 1 ms). Here a Worker with its own connection runs a PASSIVE checkpoint
 * (never blocks writers or readers) every `everyMs`; the main connection's automatic checkpoint
 * stays on, at a much higher mark, in case the worker falls behind or dies.
 */
const code = `
import { Database } from "bun:sqlite";
let db;
self.onmessage = ({ data }) => {
  if (data.path) {
    db = new Database(data.path);
    db.exec("PRAGMA busy_timeout = 5000");
    setInterval(() => {
      try {
        db.query("PRAGMA wal_checkpoint(PASSIVE)").get();
      } catch {}
    }, data.everyMs);
  }
};
`;

/** Pages the WAL may reach before a commit on the main thread checkpoints anyway (~40 MB). */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

export type WalCheckpointer = { stop: () => void };

export function startWalCheckpointer(path: string, everyMs = 500): WalCheckpointer {
  const url = URL.createObjectURL(new Blob([code], { type: "application/javascript" }));
  // ref: false — the thread never keeps a finished process alive.
  const worker = new Worker(url, { ref: false, smol: true });
  worker.postMessage({ path, everyMs });
  return {
    stop: () => {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
}
