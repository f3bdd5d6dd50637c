// The store client's entry point, bundled for the browser (src/web/bundleClient.ts): builds each
// part of the page and starts it.
import { alertLib } from "./alert.ts";
import { apiLib } from "./api.ts";
import { boardLib } from "./boardLib.ts";
import { boardViewLib } from "./boardView.ts";
import { commonLib } from "./common.ts";
import { dayLib } from "./day.ts";
import { feedLib } from "./feed.ts";
import { logLib } from "./log.ts";
import { loginLib } from "./login.ts";
import { menuLib } from "./menu.ts";
import { ordersLib } from "./orders.ts";
import { storeClient } from "./storeClient.ts";

const common = commonLib();
const board = boardLib();
const api = apiLib(common);
const log = logLib(common, board);
storeClient({
  common,
  board,
  api,
  log,
  feed: feedLib(common, log),
  alert: alertLib(common),
  boardView: boardViewLib(common, board),
  day: dayLib(common, api),
  orders: ordersLib(common, api),
  menu: menuLib(common, board, api),
  login: loginLib(common, api),
});
