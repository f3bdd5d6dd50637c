/**
 * Client side of the orders bench, run as a child of bench/orders.ts: the customers (skill
 * routes, the emulator's payment page, our approval URL) and the store's live feed, in one
 * process so that every time comes from ONE clock (performance.now() of this process).
 *
 * One order: POST /kakao/skill/orders/place (the cart was filled by `prepare`, outside the
 * timed window) → the tid from the basicCard's webLink `{emulator}/_emulator/pay/{tid}` →
 * POST `{emulator}/_emulator/payments/{tid}/approve` (redirect: manual; 303, Location = our
 * approval URL with pg_token, the orderId in its path) → GET that URL (the server queues the
 * payment job and waits for it, up to 4 s). `sent` is taken just before that GET; the feed's
 * `order.paid` for the orderId is timestamped when its bytes arrive.
 */
import { skillPayload } from "../test/helpers/skill.ts";
import { mainThreadSched } from "./ordersSched.ts";
import { memory, serveRpc } from "./rpc.ts";

export type ClientInit = {
  serverUrl: string;
  emulatorUrl: string;
  cookie: string;
  skillKey: string;
  items: { itemId: string; options: Record<string, string> }[];
};

/**
 * One order, times in ms relative to the run's t0 (-1 = did not happen):
 * [start, placeMs, emulatorApproveMs, approvalSent, approvalMs, feedArrival]
 */
export type OrderRow = [number, number, number, number, number, number];
export type RunResult = {
  windowMs: number;
  rows: OrderRow[];
  errors: Record<string, number>;
  /** open loop: starts skipped because `cap` orders were in flight */
  shed: number;
  /** starts skipped because no prepared cart was left */
  noCart: number;
  /** ms from the end of the window until every order settled and the feed caught up */
  drainMs: number;
  feedEnded: string;
};

const REQ_TIMEOUT_MS = 15_000;
const FEED_WAIT_MS = 10_000;

let cfg: ClientInit | null = null;
const config = () => {
  if (!cfg) throw new Error("ordersClient: init first");
  return cfg;
};

/** customers whose cart is ready to be ordered, with the cart version the place button carries */
const carts: { user: string; version: number }[] = [];
/** orderId → arrival (performance.now()) of its `order.paid` on the feed */
const arrivals = new Map<string, number>();
const waiters = new Map<string, () => void>();
const feed = { ended: "", readySeen: false, paidEvents: 0, ctrl: new AbortController() };

class Failure extends Error {}

type SkillAnswer = {
  template?: {
    outputs?: {
      simpleText?: { text?: string };
      basicCard?: { buttons?: { webLinkUrl?: string }[] };
    }[];
    quickReplies?: { extra?: { cartVersion?: number } }[];
  };
};

const firstText = (a: SkillAnswer) =>
  (a.template?.outputs?.[0]?.simpleText?.text ?? "?").slice(0, 30);

function skill(path: string, user: string, clientExtra: Record<string, unknown>) {
  const c = config();
  return fetch(`${c.serverUrl}/kakao/skill${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-skill-key": c.skillKey },
    body: JSON.stringify(skillPayload(user, { clientExtra })),
    signal: AbortSignal.timeout(REQ_TIMEOUT_MS),
  });
}

function count(errors: Record<string, number>, key: string) {
  errors[key] = (errors[key] ?? 0) + 1;
}

const errorKey = (stage: string, err: unknown) =>
  err instanceof Failure
    ? err.message
    : `${stage}: ${err instanceof Error ? err.name : "error"} ${String((err as Error)?.message ?? err).slice(0, 60)}`;

// --- the feed ---------------------------------------------------------------------------------
function onFrame(frame: string, now: number) {
  const event = /^event: (.*)$/m.exec(frame)?.[1];
  if (event === "ready") feed.readySeen = true;
  if (event !== "order.paid") return;
  feed.paidEvents++;
  const orderId = /"orderId":"([^"]+)"/.exec(frame)?.[1];
  if (!orderId || arrivals.has(orderId)) return;
  arrivals.set(orderId, now);
  const wake = waiters.get(orderId);
  if (wake) {
    waiters.delete(orderId);
    wake();
  }
}

async function openFeed() {
  const c = config();
  const res = await fetch(`${c.serverUrl}/store/events`, {
    headers: { cookie: c.cookie, accept: "text/event-stream" },
    signal: feed.ctrl.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`feed answered ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buf = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const now = performance.now();
        buf += decoder.decode(value, { stream: true });
        let from = 0;
        for (let end = buf.indexOf("\n\n"); end >= 0; end = buf.indexOf("\n\n", from)) {
          onFrame(buf.slice(from, end), now);
          from = end + 2;
        }
        buf = buf.slice(from);
      }
      feed.ended = "stream ended";
    } catch (err) {
      if (!feed.ctrl.signal.aborted) feed.ended = String(err);
    }
  })();
  for (let i = 0; i < 500 && !feed.readySeen && !feed.ended; i++) await Bun.sleep(10);
  if (!feed.readySeen) throw new Error(`the feed sent no ready event (${feed.ended || "timeout"})`);
}

/** Resolves when `orderId`'s order.paid has arrived, or after `ms`. */
function arrival(orderId: string, ms: number) {
  if (arrivals.has(orderId)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      waiters.delete(orderId);
      resolve();
    }, ms);
    waiters.set(orderId, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// --- carts ------------------------------------------------------------------------------------
/** `count` customers each put one item in a cart through cart/add, `concurrency` at a time. */
async function prepare({
  count: n,
  tag,
  concurrency,
}: {
  count: number;
  tag: string;
  concurrency: number;
}) {
  const c = config();
  const started = performance.now();
  const errors: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const user = `bench-${tag}-${i}`;
      const item = c.items[i % c.items.length]!;
      try {
        const res = await skill("/cart/add", user, {
          itemId: item.itemId,
          qty: 1 + (i % 2),
          options: item.options,
        });
        if (res.status !== 200) throw new Failure(`cart/add HTTP ${res.status}`);
        const answer = (await res.json()) as SkillAnswer;
        const version = answer.template?.quickReplies?.find((q) => q.extra?.cartVersion)?.extra
          ?.cartVersion;
        if (!version) throw new Failure(`cart/add: ${firstText(answer)}`);
        carts.push({ user, version });
      } catch (err) {
        count(errors, errorKey("cart/add", err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { ready: carts.length, ms: performance.now() - started, errors };
}

// --- one order --------------------------------------------------------------------------------
type Rec = {
  start: number;
  placeMs: number;
  emuMs: number;
  sent: number;
  approvalMs: number;
  orderId: string | null;
};

async function runOrder(cart: { user: string; version: number }, rec: Rec) {
  let stage = "place";
  try {
    rec.start = performance.now();
    const placed = await skill("/orders/place", cart.user, { cartVersion: cart.version });
    if (placed.status !== 200) throw new Failure(`place HTTP ${placed.status}`);
    const answer = (await placed.json()) as SkillAnswer;
    const webLink = answer.template?.outputs?.[0]?.basicCard?.buttons?.[0]?.webLinkUrl;
    if (!webLink?.includes("/_emulator/pay/")) throw new Failure(`place: ${firstText(answer)}`);
    rec.placeMs = performance.now() - rec.start;

    stage = "emulator approve";
    const tid = webLink.slice(webLink.lastIndexOf("/") + 1);
    const t1 = performance.now();
    const approved = await fetch(`${config().emulatorUrl}/_emulator/payments/${tid}/approve`, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(REQ_TIMEOUT_MS),
    });
    await approved.arrayBuffer();
    const location = approved.headers.get("location") ?? "";
    if (approved.status !== 303) throw new Failure(`emulator approve HTTP ${approved.status}`);
    rec.emuMs = performance.now() - t1;
    const orderId = /\/pay\/kakaopay\/([^/?]+)\/approve\?/.exec(location)?.[1];
    if (!orderId) throw new Failure("emulator approve: no approval URL");
    rec.orderId = orderId;

    stage = "approval GET";
    rec.sent = performance.now();
    const page = await fetch(location, { signal: AbortSignal.timeout(REQ_TIMEOUT_MS) });
    const html = await page.text();
    rec.approvalMs = performance.now() - rec.sent;
    if (page.status !== 200) throw new Failure(`approval page HTTP ${page.status}`);
    if (!html.includes('class="pickup"')) throw new Failure("approval page: still processing");
    return null;
  } catch (err) {
    return errorKey(stage, err);
  }
}

const newRec = (): Rec => ({
  start: -1,
  placeMs: -1,
  emuMs: -1,
  sent: -1,
  approvalMs: -1,
  orderId: null,
});

/** Waits (bounded) for the feed to deliver every order whose approval was sent; rows relative to t0. */
async function settle(recs: Rec[], t0: number, windowEnd: number, errors: Record<string, number>) {
  const waiting = recs.filter((r) => r.orderId && r.sent >= 0);
  const deadline = performance.now() + FEED_WAIT_MS;
  await Promise.all(
    waiting.map((r) => arrival(r.orderId!, Math.max(0, deadline - performance.now()))),
  );
  const rel = (t: number) => (t >= 0 ? t - t0 : -1);
  const rows = recs.map((r): OrderRow => {
    const at = r.orderId ? (arrivals.get(r.orderId) ?? -1) : -1;
    if (r.orderId && r.sent >= 0 && at < 0) count(errors, "feed: no order.paid within 10 s");
    return [rel(r.start), r.placeMs, r.emuMs, rel(r.sent), r.approvalMs, rel(at)];
  });
  return { rows, drainMs: performance.now() - windowEnd };
}

// --- runs -------------------------------------------------------------------------------------
/** Open loop: starts scheduled at `rate`/s for `seconds`, whatever completes; at most `cap` in flight. */
async function openLoop({ rate, seconds, cap }: { rate: number; seconds: number; cap: number }) {
  const total = Math.round(rate * seconds);
  const recs: Rec[] = [];
  const errors: Record<string, number> = {};
  const inflight = new Set<Promise<void>>();
  let shed = 0;
  let noCart = 0;
  const t0 = performance.now() + 20;
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0.5) await Bun.sleep(wait);
    if (inflight.size >= cap) {
      shed++;
      continue;
    }
    const cart = carts.pop();
    if (!cart) {
      noCart++;
      continue;
    }
    const rec = newRec();
    recs.push(rec);
    const p: Promise<void> = runOrder(cart, rec).then((err) => {
      if (err) count(errors, err);
      inflight.delete(p);
    });
    inflight.add(p);
  }
  const windowEnd = t0 + seconds * 1000;
  await Promise.all(inflight); // every request has its own timeout: bounded
  const { rows, drainMs } = await settle(recs, t0, Math.max(windowEnd, t0), errors);
  return {
    windowMs: seconds * 1000,
    rows,
    errors,
    shed,
    noCart,
    drainMs,
    feedEnded: feed.ended,
  } satisfies RunResult;
}

/** Closed loop: `k` customers, each ordering again as soon as its approval page answered. */
async function closedLoop({ k, seconds }: { k: number; seconds: number }) {
  const recs: Rec[] = [];
  const errors: Record<string, number> = {};
  let noCart = 0;
  const t0 = performance.now();
  const windowEnd = t0 + seconds * 1000;
  const customer = async () => {
    while (performance.now() < windowEnd) {
      const cart = carts.pop();
      if (!cart) {
        noCart++;
        return;
      }
      const rec = newRec();
      recs.push(rec);
      const err = await runOrder(cart, rec);
      if (err) count(errors, err);
    }
  };
  await Promise.all(Array.from({ length: k }, customer));
  const { rows, drainMs } = await settle(recs, t0, windowEnd, errors);
  return {
    windowMs: seconds * 1000,
    rows,
    errors,
    shed: 0,
    noCart,
    drainMs,
    feedEnded: feed.ended,
  } satisfies RunResult;
}

/**
 * bench:soak: `total` orders started at `rate`/s, each a new customer filling a cart through
 * cart/add and then ordering it as runOrder does; nothing per order is kept but the counts.
 */
const soakCount = {
  started: 0,
  /** approval pages that showed a pickup number (within their 4 s wait) */
  pagesPaid: 0,
  shed: 0,
  feedAtStart: 0,
  errors: {} as Record<string, number>,
};
/** orders paid: `order.paid` events the store's feed received since the soak began */
const soakPaid = () => feed.paidEvents - soakCount.feedAtStart;
async function soak({ rate, total, cap }: { rate: number; total: number; cap: number }) {
  const c = config();
  const inflight = new Set<Promise<void>>();
  const t0 = performance.now() + 20;
  soakCount.feedAtStart = feed.paidEvents;
  const one = async (i: number) => {
    const user = `soak-${i}`;
    const item = c.items[i % c.items.length]!;
    try {
      const res = await skill("/cart/add", user, {
        itemId: item.itemId,
        qty: 1,
        options: item.options,
      });
      const text = await res.text();
      const version = Number(/"cartVersion":(\d+)/.exec(text)?.[1] ?? 0);
      if (res.status !== 200 || !version) throw new Failure(`cart/add HTTP ${res.status}`);
      const err = await runOrder({ user, version }, newRec());
      if (err) count(soakCount.errors, err);
      else soakCount.pagesPaid++;
    } catch (err) {
      count(soakCount.errors, errorKey("cart/add", err));
    }
  };
  for (let i = 0; i < total; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 0.5) await Bun.sleep(wait);
    if (inflight.size >= cap) {
      soakCount.shed++;
      continue;
    }
    soakCount.started++;
    const p: Promise<void> = one(i).then(() => {
      inflight.delete(p);
    });
    inflight.add(p);
  }
  await Promise.all(inflight);
  for (let i = 0; i < 100 && soakPaid() < soakCount.started - soakCount.shed; i++)
    await Bun.sleep(100);
  arrivals.clear();
  return { ...soakCount, paid: soakPaid(), ms: performance.now() - t0 };
}

serveRpc({
  soak,
  soakStatus: () => ({ started: soakCount.started, paid: soakPaid() }),
  init: async (a: ClientInit) => {
    cfg = a;
    await openFeed();
    return { feed: "live" };
  },
  prepare,
  carts: () => carts.length,
  open: openLoop,
  closed: closedLoop,
  cpu: () => ({ ...process.cpuUsage(), sched: mainThreadSched() }),
  feedStatus: () => ({ paidEvents: feed.paidEvents, ended: feed.ended }),
  memory,
  stop: () => {
    feed.ctrl.abort();
    return null;
  },
});
