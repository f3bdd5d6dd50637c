import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError } from "../infra/errors.ts";
import { controlRoutes } from "./controlRoutes.ts";
import { eventApiRoutes } from "./eventApiRoutes.ts";
import { type EmulatorEnv, faults } from "./faults.ts";
import { kakaopayRoutes } from "./kakaopayRoutes.ts";
import { PayRefusal } from "./params.ts";
import { createState, type EmulatorConfig } from "./state.ts";

export type { EmulatorConfig } from "./state.ts";

/** The keys `bun run emulator` accepts when the environment names none; use them on the server too. */
export const DEV_SECRET_KEY = "DEV_SECRET_KEY";
export const DEV_REST_API_KEY = "DEV_REST_API_KEY";

/** One Hono app playing KakaoPay and Kakao's Event API, with its control routes; no server. */
export function createEmulator(opts: EmulatorConfig) {
  const state = createState(opts);
  const app = new Hono<EmulatorEnv>();
  app.use("*", faults(state));
  app.route("/online/v1/payment", kakaopayRoutes(state));
  app.route("/v2/bots", eventApiRoutes(state));
  app.route("/_emulator", controlRoutes(state));

  app.notFound((c) => c.json({ error: "not_found", message: "No such emulator route." }, 404));
  app.onError((err, c) => {
    if (err instanceof PayRefusal) return c.json(err.body(), err.status);
    if (err instanceof AppError) {
      return c.json({ error: err.code, message: err.message, ...err.details }, err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      return c.json({ error: "bad_request", message: err.message }, status);
    }
    console.error("emulator: unhandled error", err);
    return c.json({ error: "internal", message: "The emulator failed; see its log." }, 500);
  });
  return { app, state };
}

export type StartOptions = Omit<EmulatorConfig, "publicUrl"> & {
  /** 0 picks a free port. */
  port: number;
  /** Defaults to http://127.0.0.1:{port}. */
  publicUrl?: string;
  hostname?: string;
};

/** Serves the emulator over HTTP (`bun run emulator`, and in-process for tests). */
export function startEmulator(opts: StartOptions) {
  const { app, state } = createEmulator({ ...opts, publicUrl: opts.publicUrl ?? "" });
  // A `timeout` fault holds a request ~30 s: Bun's default 10 s idle limit would cut it short.
  const server = Bun.serve({
    port: opts.port,
    hostname: opts.hostname,
    fetch: app.fetch,
    idleTimeout: 60,
  });
  const url = `http://127.0.0.1:${server.port}`;
  state.config.publicUrl = (opts.publicUrl ?? url).replace(/\/+$/, "");
  const stop = async () => {
    state.releaseHolds();
    await server.stop(true);
  };
  return { url, publicUrl: state.config.publicUrl, server, state, stop };
}
