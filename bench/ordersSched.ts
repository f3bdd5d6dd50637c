/**
 * Linux scheduler statistics of a process's main thread, for the orders bench: how long it ran
 * and how long it sat runnable on a run queue waiting for a CPU (/proc/<pid>/task/<pid>/schedstat,
 * in ns). On a 2-core box with five busy processes the second figure is what CPU contention costs
 * each hop of an order. Nulls where /proc is missing.
 */
import { readFileSync } from "node:fs";

export type Sched = { runMs: number; waitMs: number };

export function mainThreadSched(pid: number = process.pid): Sched | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8")
      .trim()
      .split(/\s+/)
      .map(Number);
    if (run === undefined || wait === undefined || !Number.isFinite(wait)) return null;
    return { runMs: run / 1e6, waitMs: wait / 1e6 };
  } catch {
    return null;
  }
}

/** Run-queue wait between two readings, in ms (NaN when either is missing). */
export const waitBetween = (a: Sched | null, b: Sched | null) =>
  a && b ? b.waitMs - a.waitMs : Number.NaN;
