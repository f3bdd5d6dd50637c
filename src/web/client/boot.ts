import type { alertLib } from "./alert.ts";
import type { apiLib } from "./api.ts";
import type { boardLib } from "./boardLib.ts";
import type { boardViewLib } from "./boardView.ts";
import type { commonLib } from "./common.ts";
import type { dayLib } from "./day.ts";
import type { feedLib } from "./feed.ts";
import type { logLib } from "./log.ts";
import type { loginLib } from "./login.ts";
import type { menuLib } from "./menu.ts";
import type { ordersLib } from "./orders.ts";
import type { storeClient } from "./storeClient.ts";

/** The page's code as functions: each is shipped as its own source text (see ../assets.ts). */
export type ClientParts = {
  commonLib: typeof commonLib;
  boardLib: typeof boardLib;
  apiLib: typeof apiLib;
  logLib: typeof logLib;
  feedLib: typeof feedLib;
  alertLib: typeof alertLib;
  boardViewLib: typeof boardViewLib;
  dayLib: typeof dayLib;
  ordersLib: typeof ordersLib;
  menuLib: typeof menuLib;
  loginLib: typeof loginLib;
  storeClient: typeof storeClient;
};

/**
 * The browser's entry point: builds every lib (each a self-contained function returning its
 * functions, given the libs it uses) and starts the page with them. Served as its source text,
 * `(${bootStore})({ commonLib: function …, … })`, so like the parts it must stay self-contained:
 * no imports at run time (the type imports above are erased), nothing outside it but `p`.
 */
export function bootStore(p: ClientParts): void {
  const common = p.commonLib();
  const board = p.boardLib();
  const api = p.apiLib(common);
  const log = p.logLib(common, board);
  p.storeClient({
    common,
    board,
    api,
    log,
    feed: p.feedLib(common, log),
    alert: p.alertLib(common),
    boardView: p.boardViewLib(common, board),
    day: p.dayLib(common, api),
    orders: p.ordersLib(common, api),
    menu: p.menuLib(common, board, api),
    login: p.loginLib(common, api),
  });
}
