import diagnostics from "node:diagnostics_channel";

/**
 * ioredis (6.x) wraps every command and pipeline in a diagnostics_channel trace unless the
 * channel says `hasSubscribers === false`. Bun's TracingChannel (1.4) has no `hasSubscribers`,
 * so with nobody listening every command still built a trace context (its arguments copied and
 * matched against a dozen regexes) and went through tracePromise: ~10 % of the server's CPU
 * in bench:orders. Node's answer is given here: any of its five channels has a subscriber.
 */
const phases = ["start", "end", "asyncStart", "asyncEnd", "error"] as const;
const probe = diagnostics.tracingChannel("simple-order:probe");
if ((probe as { hasSubscribers?: boolean }).hasSubscribers === undefined) {
  Object.defineProperty(Object.getPrototypeOf(probe), "hasSubscribers", {
    configurable: true,
    get(this: Record<(typeof phases)[number], { hasSubscribers: boolean }>) {
      return phases.some((phase) => this[phase].hasSubscribers);
    },
  });
}
