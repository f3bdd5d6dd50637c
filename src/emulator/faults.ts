import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import { type EmulatorState, FAULT_MODES, type Fault } from "./state.ts";

export type EmulatorEnv = { Variables: { decline: boolean } };

export const faultSchema = z.object({
  path: z.string().startsWith("/", "must be a request path such as /online/v1/payment/cancel"),
  mode: z.enum(FAULT_MODES),
  times: z.int().min(1).max(10_000).default(1),
  delayMs: z.int().min(0).max(120_000).optional(),
});

const DEFAULT_DELAY_MS = { slow: 3_000, timeout: 30_000 } as const;

export function addFault(state: EmulatorState, input: z.output<typeof faultSchema>): Fault {
  const delayMs =
    input.delayMs ?? (input.mode === "timeout" ? DEFAULT_DELAY_MS.timeout : DEFAULT_DELAY_MS.slow);
  const fault = { path: input.path, mode: input.mode, remaining: input.times, delayMs };
  state.faults.set(input.path, fault);
  return fault;
}

/**
 * Injected faults for the outside-service paths (KakaoPay and the Event API). A `*` in a fault's
 * path matches one segment (any bot id, say). `decline` is left to the handler: a refusal is a
 * business answer, given after the request was authenticated and read.
 */
export function faults(state: EmulatorState): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    c.set("decline", false);
    if (c.req.path.startsWith("/_emulator")) return next();
    const fault = take(state, c.req.path);
    if (!fault) return next();
    const signal = c.req.raw.signal;
    if (fault.mode === "5xx") return c.json(serverError(c.req.path), 500);
    if (fault.mode === "decline") c.set("decline", true);
    if (fault.mode === "slow") await hold(state, fault.delayMs, signal);
    if (fault.mode === "timeout") {
      await hold(state, fault.delayMs, signal);
      return c.json(serverError(c.req.path, "timed out (emulated)"), 504);
    }
    return next();
  };
}

function take(state: EmulatorState, path: string): Fault | undefined {
  for (const [key, fault] of state.faults) {
    if (!matches(key, path)) continue;
    fault.remaining--;
    if (fault.remaining <= 0) state.faults.delete(key);
    return fault;
  }
  return undefined;
}

function matches(pattern: string, path: string) {
  if (!pattern.includes("*")) return pattern === path;
  const re = pattern
    .split("*")
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]+");
  return new RegExp(`^${re}$`).test(path);
}

function serverError(path: string, what = "internal server error (emulated)") {
  return path.startsWith("/online/")
    ? { error_code: -1, error_message: what }
    : { status: "ERROR", message: what };
}

/** Waits `ms`, or until the client gives up, or until the emulator stops. */
function hold(state: EmulatorState, ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const release = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", release);
      state.holds.delete(release);
      resolve();
    };
    const timer = setTimeout(release, ms);
    signal.addEventListener("abort", release, { once: true });
    state.holds.add(release);
  });
}
