/** Milliseconds spent per phase of one accounting run (summed over pages), for logs and benches. */
export type PhaseTimes = Record<string, number>;

export async function timed<T>(times: PhaseTimes, phase: string, work: () => Promise<T>) {
  const started = performance.now();
  try {
    return await work();
  } finally {
    times[phase] = (times[phase] ?? 0) + performance.now() - started;
  }
}

export const roundTimes = (times: PhaseTimes) =>
  Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(v)]));

/** Lets the event loop run what waits (timers, requests) between two pieces of work. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
