import { storeApi } from "../../shared/apiPaths.ts";
import { FEED_EVENTS, FEED_NOTICES } from "../../shared/events.ts";
import { storePageIds as ids } from "../../shared/storePageIds.ts";
import type { Api } from "./api.ts";
import type { CommonLib, DayState } from "./common.ts";
import type { LogLib, Row } from "./log.ts";

/** What the screen remembers per store (localStorage), written together so it stays consistent. */
export type Saved = {
  lastEventId: string | null;
  state: DayState | null;
  rows: Row[];
  dayId: string | null;
  orders: unknown[];
};

/**
 * The live feed (GET /store/events, server-sent events): its connection and the connection badge,
 * the retry after a refusal, another screen taking the feed over (`replaced`), and the saved
 * last-event-id state it resumes from.
 */
export function feedLib(c: CommonLib, log: LogLib) {
  const emptySaved = (): Saved => ({
    lastEventId: null,
    state: null,
    rows: [],
    dayId: null,
    orders: [],
  });

  /** The saved state from its JSON (null: nothing saved); anything unreadable counts as nothing. */
  function parseSaved(raw: string | null): Saved {
    const empty = emptySaved();
    if (!raw) return empty;
    try {
      const v: unknown = JSON.parse(raw);
      if (!c.isObj(v) || !Array.isArray(v.rows)) return empty;
      return {
        lastEventId: typeof v.lastEventId === "string" ? v.lastEventId : null,
        state: c.isState(v.state) ? v.state : null,
        rows: v.rows.filter(log.isRow).slice(0, log.MAX_ROWS),
        dayId: typeof v.dayId === "string" ? v.dayId : null,
        orders: Array.isArray(v.orders) ? v.orders : [],
      };
    } catch {
      return empty;
    }
  }

  type FeedDeps = {
    api: Api;
    /** the id to resume after (none: the feed replays the whole day) */
    lastEventId: () => string | null;
    loggedIn: () => boolean;
    onExpired: () => void;
    onEvent: (type: string, ev: MessageEvent<string>) => void;
    onReset: (ev: MessageEvent<string>) => void;
    /** another screen took the feed over (or it came back): the day buttons lock or unlock */
    onReplaced: () => void;
    /** the feed is back after a drop: resync what it cannot tell */
    onResumed: () => void;
  };

  function createFeed(d: FeedDeps) {
    const body = document.body;
    const conn = c.byId(ids.conn);
    const connBanner = c.byId(ids.connBanner);
    const replaced = c.byId(ids.replaced);
    const reconnectButton = c.byId<HTMLButtonElement>(ids.reconnect);

    let feed: EventSource | null = null;
    let feedFailed = false; // the feed dropped since it last opened: resync the board on reopen
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let retryDelay = 2000;
    /** Server time from which a paid order is news: the feed replays the day before it. */
    let replayFrom = 0;

    function setConn(mode: "connecting" | "live" | "retry" | "down") {
      conn.dataset.mode = mode;
      body.dataset.conn = mode;
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
      const last = d.lastEventId();
      const es = new EventSource(storeApi.events(last));
      feed = es;
      // Without an id the feed replays the whole day: its old orders are not news.
      replayFrom = last ? 0 : d.api.serverNow();
      setConn(feedFailed ? "retry" : "connecting");
      es.onopen = () => {
        if (feed !== es) return;
        retryDelay = 2000;
        setConn("live");
        if (feedFailed) {
          // Back after a drop (or a server restart): the feed resumes by Last-Event-ID; the
          // snapshot catches anything the feed cannot tell (e.g. a refund that failed).
          feedFailed = false;
          d.onResumed();
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
          if (feed === es) d.onEvent(type, ev as MessageEvent<string>);
        });
      }
      es.addEventListener(FEED_NOTICES.reset, (ev) => {
        if (feed !== es) return;
        replayFrom = d.api.serverNow(); // the whole day follows: orders paid before now are not news
        d.onReset(ev as MessageEvent<string>);
      });
      es.addEventListener(FEED_NOTICES.replaced, () => {
        if (feed !== es) return;
        close();
        replaced.hidden = false;
        setConn("down");
        d.onReplaced();
      });
    }

    async function recover() {
      close();
      try {
        const res = await d.api.probe();
        if (res.status === 401) return d.onExpired();
      } catch {
        // offline: try again below
      }
      if (!d.loggedIn()) return;
      setConn("retry");
      retryTimer = setTimeout(open, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    }

    reconnectButton.addEventListener("click", () => {
      replaced.hidden = true;
      feedFailed = true; // resync the board once the feed is back
      open();
      d.onReplaced();
    });

    return {
      /** Connects afresh (a store's screen opens). */
      start() {
        conn.hidden = false;
        feedFailed = false;
        open();
      },
      /** Disconnects and hides the feed's badge and banners (back to the login view). */
      stop() {
        close();
        replaced.hidden = true;
        connBanner.hidden = true;
        conn.hidden = true;
      },
      /** Another screen has the feed: this one must not change the day. */
      isReplaced: () => !replaced.hidden,
      /** Is an order paid at `paidAt` news, or part of the day the feed replays? */
      isNews: (paidAt: number | null) => (paidAt ?? d.api.serverNow()) >= replayFrom,
    };
  }

  return { emptySaved, parseSaved, createFeed };
}

export type FeedLib = ReturnType<typeof feedLib>;
export type Feed = ReturnType<FeedLib["createFeed"]>;
