/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the items' order. */
export async function inBatches<T, R>(items: T[], fn: (item: T) => Promise<R>, limit: number) {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * At most `max` calls in flight across everyone sharing it; the rest wait their turn (no
 * refusal, no time limit: for batch work that must not crowd out live requests).
 */
export class Limiter {
  private running = 0;
  private waiting: (() => void)[] = [];

  constructor(readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running < this.max) this.running++;
    else await new Promise<void>((go) => this.waiting.push(go));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
