/**
 * The skeleton reference of the orders bench, run as a child of bench/orders.ts: the same HTTP
 * exchanges per order as the real app, answered by bare `Bun.serve` handlers with no Redis, no
 * SQLite and no queue — what this box can do for the HTTP alone. The same client process
 * (bench/ordersClient.ts) drives it, against the same emulator process, through the same paths:
 *
 * - POST /kakao/skill/cart/add → a skill answer with a cartVersion (carts are filled as for the app);
 * - POST /kakao/skill/orders/place → the app's KakaoPay client `ready` at the emulator → a
 *   basicCard whose webLink is the emulator's payment page;
 * - GET /pay/kakaopay/:orderId/approve?pg_token → the app's KakaoPay client `approve` → the
 *   `order.paid` event written to the open feeds (SSE) → a page with the pickup number;
 * - GET /store/events → the SSE feed (`ready` first).
 *
 * Orders live in a Map; nothing is durable. `snapshot` returns this process's CPU since the last.
 */
import { createKakaoPay } from "../src/payment/kakaopay.ts";
import { mainThreadSched, waitBetween } from "./ordersSched.ts";
import { memory, serveRpc } from "./rpc.ts";

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`ordersSkeleton: ${name} is not set (the orchestrator passes it)`);
  return v;
};
const kakaopay = createKakaoPay({
  baseUrl: env("KAKAOPAY_BASE_URL"),
  secretKey: env("KAKAOPAY_SECRET_KEY"),
  cid: "TC0ONETIME",
});

const orders = new Map<string, { tid: string; user: string; amount: number }>();
const feeds = new Set<ReadableStreamDefaultController<Uint8Array>>();
const encoder = new TextEncoder();
let pickup = 0;
let kakaopayCalls = 0;

const json = (body: unknown) => Response.json(body);
const userOf = (body: { userRequest?: { user?: { id?: string } } }) =>
  body.userRequest?.user?.id ?? "?";

async function place(req: Request, url: string) {
  const body = (await req.json()) as { userRequest?: { user?: { id?: string } } };
  const orderId = Bun.randomUUIDv7();
  const user = userOf(body);
  kakaopayCalls++;
  const ready = await kakaopay.ready({
    partnerOrderId: orderId,
    partnerUserId: user,
    itemName: "카페라떼",
    quantity: 1,
    totalAmount: 5500,
    approvalUrl: `${url}/pay/kakaopay/${orderId}/approve`,
    cancelUrl: `${url}/pay/kakaopay/${orderId}/cancel`,
    failUrl: `${url}/pay/kakaopay/${orderId}/fail`,
  });
  orders.set(orderId, { tid: ready.tid, user, amount: 5500 });
  return json({
    version: "2.0",
    template: {
      outputs: [
        {
          basicCard: {
            title: "주문 확인",
            description: "카페라떼 1잔 · 5,500원",
            buttons: [
              {
                action: "webLink",
                label: "카카오페이로 결제",
                webLinkUrl: ready.next_redirect_mobile_url,
              },
            ],
          },
        },
      ],
    },
  });
}

async function approve(orderId: string, pgToken: string) {
  const order = orders.get(orderId);
  if (!order) return new Response("unknown order", { status: 404 });
  kakaopayCalls++;
  await kakaopay.approve({
    tid: order.tid,
    partnerOrderId: orderId,
    partnerUserId: order.user,
    pgToken,
    totalAmount: order.amount,
  });
  const number = ++pickup;
  const data = JSON.stringify({ orderId, totalAmount: order.amount, pickupNumber: number });
  const frame = encoder.encode(`event: order.paid\ndata: ${data}\n\n`);
  for (const feed of feeds) feed.enqueue(frame);
  orders.delete(orderId);
  return new Response(`<p class="pickup">${number}</p>`, {
    headers: { "content-type": "text/html; charset=utf-8" },
  });
}

function feed() {
  let self: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(ctrl) {
      self = ctrl;
      feeds.add(ctrl);
      ctrl.enqueue(encoder.encode("event: ready\ndata: {}\n\n"));
    },
    cancel() {
      feeds.delete(self);
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream" } });
}

const server: Bun.Server<undefined> = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(req): Promise<Response> {
    const { pathname, searchParams } = new URL(req.url);
    if (pathname === "/kakao/skill/orders/place") return place(req, url);
    if (pathname === "/kakao/skill/cart/add") {
      await req.arrayBuffer();
      return json({
        version: "2.0",
        template: { outputs: [], quickReplies: [{ extra: { cartVersion: 1 } }] },
      });
    }
    if (pathname === "/store/events") return feed();
    const m = /^\/pay\/kakaopay\/([^/]+)\/approve$/.exec(pathname);
    if (m) return approve(m[1]!, searchParams.get("pg_token") ?? "");
    return new Response("not found", { status: 404 });
  },
});
const url: string = `http://127.0.0.1:${server.port}`;

let lastCpu = process.cpuUsage();
let lastWall = performance.now();
let lastSched = mainThreadSched();
let lastCalls = 0;

export type SkeletonSnapshot = {
  cpuUs: number;
  wallMs: number;
  runWaitMs: number;
  kakaopayCalls: number;
};

serveRpc({
  setup: () => ({ url }),
  snapshot: (): SkeletonSnapshot => {
    const cpu = process.cpuUsage(lastCpu);
    const now = performance.now();
    const sched = mainThreadSched();
    const out = {
      cpuUs: cpu.user + cpu.system,
      wallMs: now - lastWall,
      runWaitMs: waitBetween(lastSched, sched),
      kakaopayCalls: kakaopayCalls - lastCalls,
    };
    lastCpu = process.cpuUsage();
    lastWall = now;
    lastSched = sched;
    lastCalls = kakaopayCalls;
    return out;
  },
  memory,
  stop: () => {
    for (const f of feeds) f.close();
    server.stop(true);
    return null;
  },
});
