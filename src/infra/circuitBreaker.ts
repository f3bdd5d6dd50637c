export type BreakerState = "closed" | "open" | "half_open";

export type BreakerOptions = {
  /** consecutive failures that open the breaker */
  failures: number;
  /** how long it stays open before one trial call is let through */
  coolDownMs: number;
  /** also opens when this share of the last `window` calls failed (default 0.5 of 20) */
  ratio?: number;
  window?: number;
  now?: () => number;
};

/** Who may report a call's outcome: only a call started while closed, or the half-open trial. */
export type BreakerTicket = { trial: boolean };

/**
 * A circuit breaker for one outside service, in this process. Closed: calls pass and outcomes are
 * counted. Open: calls are refused at once. After the cool-down one trial call passes (half-open):
 * its success closes the breaker, its failure opens it for another cool-down.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private recent: boolean[] = [];
  private openedAt: number | null = null;
  private trialRunning = false;
  private readonly now: () => number;

  constructor(private readonly opts: BreakerOptions) {
    this.now = opts.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === null) return "closed";
    return this.now() - this.openedAt >= this.opts.coolDownMs ? "half_open" : "open";
  }

  /** True when a call started now would be refused. */
  refusing(): boolean {
    const state = this.state;
    return state === "open" || (state === "half_open" && this.trialRunning);
  }

  /** A ticket to make the call, or null when the breaker refuses it. */
  enter(): BreakerTicket | null {
    const state = this.state;
    if (state === "closed") return { trial: false };
    if (state === "open" || this.trialRunning) return null;
    this.trialRunning = true;
    return { trial: true };
  }

  /** A call that never reached the service (e.g. no free slot) gives its ticket back. */
  giveBack(ticket: BreakerTicket) {
    if (ticket.trial) this.trialRunning = false;
  }

  report(ticket: BreakerTicket, ok: boolean) {
    if (ticket.trial) {
      this.trialRunning = false;
      if (ok) this.close();
      else this.openedAt = this.now();
      return;
    }
    // Late answers of calls started before the breaker opened change nothing.
    if (this.openedAt !== null) return;
    this.consecutive = ok ? 0 : this.consecutive + 1;
    this.recent.push(ok);
    const window = this.opts.window ?? 20;
    if (this.recent.length > window) this.recent.shift();
    const failed = this.recent.filter((r) => !r).length;
    const tooMany = this.recent.length === window && failed >= window * (this.opts.ratio ?? 0.5);
    if (this.consecutive >= this.opts.failures || tooMany) this.openedAt = this.now();
  }

  private close() {
    this.openedAt = null;
    this.consecutive = 0;
    this.recent = [];
  }
}
