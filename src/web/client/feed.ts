import { storeApi } from "../../shared/apiPaths.ts";
import { FEED_EVENTS, FEED_NOTICES } from "../../shared/events.ts";
import { storePageIds as ids } from "../../shared/storePageIds.ts";
import { probe, serverNow } from "./api.ts";
import { byId } from "./common.ts";
import { endSession, lastEventId, loggedIn } from "./session.ts";

/**
 * The live feed (GET /store/events, server-sent events): its connection and the connection badge,
 * the retry after a refusal, and another screen taking the feed over (`replaced`). What the feed
 * tells goes to one listener (./storeClient.ts sets it: the parts that apply it import this one).
 */
export type FeedListener = {
  onEvent: (type: string, ev: MessageEvent<string>) => void;
  onReset: (ev: MessageEvent<string>) => void;
  /** another screen took the feed over (or it came back): the day buttons lock or unlock */
  onReplaced: () => void;
  /** the feed is back after a drop: resync what it cannot tell */
  onResumed: () => void;
};

let listener: FeedListener;
let conn: HTMLElement;
let connBanner: HTMLElement;
let replaced: HTMLElement;

let feed: EventSource | null = null;
let feedFailed = false; // the feed dropped since it last opened: resync the board on reopen
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let retryDelay = 2000;
/** Server time from which a paid order is news: the feed replays the day before it. */
let replayFrom = 0;

function setConn(mode: "connecting" | "live" | "retry" | "down") {
  conn.dataset.mode = mode;
  document.body.dataset.conn = mode;
  conn.textContent =
    mode === "live"
      ? "연결됨"
      : mode === "retry"
        ? "재연결 중…"
        : mode === "down"
          ? "연결 끊김"
          : "연결 중…";
  connBanner.hidden = !(mode === "retry" || (mode === "down" && replaced.hidden));
}

function close() {
  clearTimeout(retryTimer);
  if (feed) {
    feed.close();
    feed = null;
  }
}

function open() {
  close();
  replaced.hidden = true;
  const last = lastEventId();
  const es = new EventSource(storeApi.events(last));
  feed = es;
  // Without an id the feed replays the whole day: its old orders are not news.
  replayFrom = last ? 0 : serverNow();
  setConn(feedFailed ? "retry" : "connecting");
  es.onopen = () => {
    if (feed !== es) return;
    retryDelay = 2000;
    setConn("live");
    if (feedFailed) {
      // Back after a drop (or a server restart): the feed resumes by Last-Event-ID; the
      // snapshot catches anything the feed cannot tell (e.g. a refund that failed).
      feedFailed = false;
      listener.onResumed();
    }
  };
  es.onerror = () => {
    if (feed !== es) return;
    feedFailed = true;
    if (es.readyState === EventSource.CLOSED) {
      // The server refused the feed (e.g. 401): the browser will not retry by itself.
      setConn("down");
      void recover();
    } else {
      setConn("retry");
    }
  };
  for (const type of FEED_EVENTS) {
    es.addEventListener(type, (ev) => {
      if (feed === es) listener.onEvent(type, ev as MessageEvent<string>);
    });
  }
  es.addEventListener(FEED_NOTICES.reset, (ev) => {
    if (feed !== es) return;
    replayFrom = serverNow(); // the whole day follows: orders paid before now are not news
    listener.onReset(ev as MessageEvent<string>);
  });
  es.addEventListener(FEED_NOTICES.replaced, () => {
    if (feed !== es) return;
    close();
    replaced.hidden = false;
    setConn("down");
    listener.onReplaced();
  });
}

async function recover() {
  close();
  try {
    const res = await probe();
    if (res.status === 401) return endSession();
  } catch {
    // offline: try again below
  }
  if (!loggedIn()) return;
  setConn("retry");
  retryTimer = setTimeout(open, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 30000);
}

/** Finds the feed's badge and banners and wires the 다시 연결 button (once, at page start). */
export function startFeed(to: FeedListener) {
  listener = to;
  conn = byId(ids.conn);
  connBanner = byId(ids.connBanner);
  replaced = byId(ids.replaced);
  byId<HTMLButtonElement>(ids.reconnect).addEventListener("click", () => {
    replaced.hidden = true;
    feedFailed = true; // resync the board once the feed is back
    open();
    listener.onReplaced();
  });
}

/** Connects afresh (a store's screen opens). */
export function connectFeed() {
  conn.hidden = false;
  feedFailed = false;
  open();
}

/** Disconnects and hides the feed's badge and banners (back to the login view). */
export function disconnectFeed() {
  close();
  replaced.hidden = true;
  connBanner.hidden = true;
  conn.hidden = true;
}

/** Another screen has the feed: this one must not change the day. */
export const isReplaced = () => !replaced.hidden;

/** Is an order paid at `paidAt` news, or part of the day the feed replays? */
export const isNews = (paidAt: number | null) => (paidAt ?? serverNow()) >= replayFrom;
