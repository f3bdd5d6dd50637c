import { Hono } from "hono";
import type { Deps } from "../../deps.ts";

/** /dev/chat: the chat simulator (dev and demo only). Placeholder until the page lands. */
export function chatRoutes(_deps: Deps) {
  const app = new Hono();
  app.get("/", (c) => c.html("<!doctype html><title>채팅 시뮬레이터</title>"));
  return app;
}
