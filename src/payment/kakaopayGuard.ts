import { Bulkhead } from "../infra/bulkhead.ts";
import { CircuitBreaker } from "../infra/circuitBreaker.ts";
import { type KakaoPayOp, KakaoPayUnavailable } from "./kakaopayErrors.ts";

export type RefusedReason = "busy" | "circuit_open";

export type GuardOptions = {
  /** per call, waiting for a slot included; under Kakao's 5 s skill limit by default */
  timeoutMs?: number;
  /** calls in flight at once, per process (as many more may wait `queueWaitMs` for a slot) */
  maxConcurrent?: number;
  /** at most half the timeout; a third by default */
  queueWaitMs?: number;
  /** consecutive failures (5xx, timeout, network) that open the breaker */
  breakerFailures?: number;
  breakerCoolDownMs?: number;
  /** told of every call refused without reaching KakaoPay */
  onRefused?: (reason: RefusedReason) => void;
};

/**
 * Keeps a slow or down KakaoPay from piling up calls in this process: a bounded number of calls
 * in flight (a short, bounded wait beyond that) and a circuit breaker that refuses calls at once
 * while KakaoPay keeps failing. Refusals are `KakaoPayUnavailable`, as a failed call would be.
 */
export function createGuard(opts: GuardOptions = {}) {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const max = opts.maxConcurrent ?? 64;
  const queueWaitMs = Math.min(opts.queueWaitMs ?? timeoutMs / 3, timeoutMs / 2);
  const slots = new Bulkhead(max, max, queueWaitMs);
  const breaker = new CircuitBreaker({
    failures: opts.breakerFailures ?? 5,
    coolDownMs: opts.breakerCoolDownMs ?? 10_000,
  });
  const refuse = (op: KakaoPayOp, reason: RefusedReason) => {
    opts.onRefused?.(reason);
    const why = reason === "busy" ? `${max} calls already in flight` : "circuit breaker open";
    return new KakaoPayUnavailable(op, reason, `KakaoPay ${op} not called: ${why}`);
  };

  /** Runs `call` with what is left of the timeout once a slot is free. */
  async function run<T>(op: KakaoPayOp, call: (timeoutMs: number) => Promise<T>): Promise<T> {
    if (breaker.refusing()) throw refuse(op, "circuit_open");
    const asked = performance.now();
    if (!(await slots.acquire())) throw refuse(op, "busy");
    const waited = performance.now() - asked;
    const ticket = breaker.enter();
    if (!ticket) {
      slots.release();
      throw refuse(op, "circuit_open");
    }
    try {
      // A call that waited for its slot gets less time: the caller's whole wait stays bounded.
      const result = await call(
        waited < 1 ? timeoutMs : Math.max(1, Math.round(timeoutMs - waited)),
      );
      breaker.report(ticket, true);
      return result;
    } catch (err) {
      // A refusal (KakaoPayError) is an answer: KakaoPay is up.
      breaker.report(ticket, !(err instanceof KakaoPayUnavailable));
      throw err;
    } finally {
      slots.release();
    }
  }

  const view = {
    state: () => breaker.state,
    /** True when a payment call made now would be refused at once (breaker open, no free slot). */
    refusing: () => breaker.refusing() || slots.full(),
    inFlight: () => slots.inFlight,
    peakInFlight: () => slots.peakInFlight,
    maxConcurrent: max,
  };
  return { run, view };
}

export type KakaoPayGuard = ReturnType<typeof createGuard>["view"];
