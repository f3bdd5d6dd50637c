type Labels = Record<string, string>;

const labelKey = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/["\\\n]/g, "_")}"`)
    .join(",");

class Counter {
  private values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1) {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(type = "counter"): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${type}`];
    for (const [k, v] of this.values) out.push(`${this.name}${k ? `{${k}}` : ""} ${v}`);
    return out;
  }
}

class Gauge extends Counter {
  private fn?: () => number;
  collect(fn: () => number) {
    this.fn = fn;
    return this;
  }
  override render(): string[] {
    if (this.fn)
      return [
        `# HELP ${this.name} ${this.help}`,
        `# TYPE ${this.name} gauge`,
        `${this.name} ${this.fn()}`,
      ];
    return super.render("gauge");
  }
}

class Histogram {
  private series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: number[],
  ) {}
  observe(labels: Labels, value: number) {
    const k = labelKey(labels);
    let s = this.series.get(k);
    if (!s) {
      s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, s);
    }
    this.bounds.forEach((b, i) => {
      if (value <= b) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    });
    s.sum += value;
    s.count += 1;
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      const sep = k ? `${k},` : "";
      for (const [i, b] of this.bounds.entries()) {
        out.push(`${this.name}_bucket{${sep}le="${b}"} ${s.buckets[i]}`);
      }
      out.push(`${this.name}_bucket{${sep}le="+Inf"} ${s.count}`);
      out.push(`${this.name}_sum${k ? `{${k}}` : ""} ${s.sum}`);
      out.push(`${this.name}_count${k ? `{${k}}` : ""} ${s.count}`);
    }
    return out;
  }
}

/** A small Prometheus registry: the app's own counters, rendered as text exposition. */
export function createMetrics() {
  const httpRequests = new Counter(
    "http_requests_total",
    "HTTP requests by method, route and status",
  );
  const httpDuration = new Histogram(
    "http_request_duration_seconds",
    "HTTP request duration",
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  );
  const feedsOpen = new Gauge("sse_feeds_open", "Live store feeds open in this process");
  const feedsOpened = new Counter("sse_feeds_opened_total", "Live store feeds opened");
  const dayTransitions = new Counter(
    "day_transitions_total",
    "Day business state changes by target state",
  );
  const loginAttempts = new Counter("store_login_attempts_total", "Store logins by outcome");
  const ordersPaid = new Counter("orders_paid_total", "Orders that became PAID (appended once)");
  const refunds = new Counter("refunds_total", "Refunds made at KakaoPay, by who made them");
  const kakaopayBreaker = new Gauge(
    "kakaopay_breaker_state",
    "KakaoPay circuit breaker in this process: 0 closed, 1 half-open (trying), 2 open",
  );
  const kakaopayInFlight = new Gauge(
    "kakaopay_calls_in_flight",
    "KakaoPay calls in flight in this process (bounded by KAKAOPAY_MAX_CONCURRENT)",
  );
  const kakaopayRefused = new Counter(
    "kakaopay_calls_refused_total",
    "KakaoPay calls refused without calling, by reason (busy, circuit_open)",
  );
  const skillsLimited = new Counter(
    "skill_requests_limited_total",
    "Skill requests answered with a slow-down message, by skill and limit (customer, store)",
  );
  const all = [
    httpRequests,
    httpDuration,
    feedsOpen,
    feedsOpened,
    dayTransitions,
    loginAttempts,
    ordersPaid,
    refunds,
    kakaopayBreaker,
    kakaopayInFlight,
    kakaopayRefused,
    skillsLimited,
  ];
  return {
    httpRequests,
    httpDuration,
    feedsOpen,
    feedsOpened,
    dayTransitions,
    loginAttempts,
    ordersPaid,
    refunds,
    kakaopayBreaker,
    kakaopayInFlight,
    kakaopayRefused,
    skillsLimited,
    render: () => `${all.flatMap((m) => m.render()).join("\n")}\n`,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
