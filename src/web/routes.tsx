import { Hono } from "hono";
import type { Deps } from "../deps.ts";

export function webRoutes(_deps: Deps) {
  const app = new Hono();
  app.get("/", (c) => c.html("<!doctype html><title>Simple Order</title><p>Simple Order</p>"));
  return app;
}
