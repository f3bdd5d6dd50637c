/**
 * At most `max` calls in flight. A call beyond that waits for a free slot, but only `maxWaiting`
 * calls may wait and each at most `waitMs`: memory stays bounded and nobody waits for long.
 */
export class Bulkhead {
  private running = 0;
  private peak = 0;
  private waiting: (() => void)[] = [];

  constructor(
    readonly max: number,
    readonly maxWaiting: number,
    readonly waitMs: number,
  ) {}

  get inFlight() {
    return this.running;
  }

  /** The most calls ever in flight at once (for tests and /metrics). */
  get peakInFlight() {
    return this.peak;
  }

  get queued() {
    return this.waiting.length;
  }

  /** True when a call arriving now could neither run nor wait. */
  full() {
    return this.running >= this.max && this.waiting.length >= this.maxWaiting;
  }

  /** Resolves true with a slot taken (call `release` after), false when none came in time. */
  acquire(): Promise<boolean> {
    if (this.running < this.max) {
      this.take();
      return Promise.resolve(true);
    }
    if (this.waiting.length >= this.maxWaiting) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.take();
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== wake);
        resolve(false);
      }, this.waitMs);
      this.waiting.push(wake);
    });
  }

  release() {
    this.running--;
    this.waiting.shift()?.();
  }

  private take() {
    this.running++;
    if (this.running > this.peak) this.peak = this.running;
  }
}
