import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { HonoAdapter } from "@bull-board/hono";
import { Hono } from "hono";
import { serveStatic } from "hono/bun";
import type { Deps } from "../deps.ts";
import { requireOperator } from "./operatorAuth.ts";

export const BOARD_PATH = "/admin/queues";

/**
 * bull-board's UI is a folder of files (its page template and assets), read at run time:
 * `BULL_BOARD_UI_DIR` when set; beside a compiled binary (`bun run build` copies it to
 * `dist/bull-board-ui`); else the installed package.
 */
export function bullBoardUiDir(env = process.env): string {
  if (env.BULL_BOARD_UI_DIR) return env.BULL_BOARD_UI_DIR;
  const besideBinary = join(dirname(process.execPath), "bull-board-ui");
  if (existsSync(join(besideBinary, "dist", "index.ejs"))) return besideBinary;
  try {
    return dirname(Bun.fileURLToPath(import.meta.resolve("@bull-board/ui/package.json")));
  } catch {
    throw new Error("bull-board UI files not found: set BULL_BOARD_UI_DIR (see README)");
  }
}

/** /admin/queues: every queue in bull-board, behind operator auth. */
export function bullBoardRoutes(deps: Deps) {
  const serverAdapter = new HonoAdapter(serveStatic).setBasePath(BOARD_PATH);
  createBullBoard({
    queues: Object.values(deps.queues).map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiBasePath: bullBoardUiDir(), uiConfig: { boardTitle: "Simple Order" } },
  });
  const app = new Hono();
  app.use("*", requireOperator(deps.config.operatorToken));
  app.route("/", serverAdapter.registerPlugin());
  return app;
}
