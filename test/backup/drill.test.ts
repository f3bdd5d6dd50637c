import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { SETTLE_MS } from "../../src/recovery/healDay.ts";
import { startTestEmulator } from "../helpers/emulator.ts";
import { callSkill } from "../helpers/skill.ts";
import { SseReader } from "../helpers/sse.ts";
import { SEOUL } from "../helpers/testDeps.ts";

// The restore drill, with real processes: a server (embedded Redis) takes orders; `backup --to`
// runs while more are being paid; a few more are paid after it; the host is lost (SIGKILL);
// `restore --from` fills a fresh DATA_DIR; a server there gives back the live day, the feed
// resumes, healing completes what KakaoPay captured for orders the backup knew, and the day
// closes to a report whose totals are the emulator's captures of the known orders.
const ROOT = join(import.meta.dir, "../..");
const emu = startTestEmulator();
const work = mkdtempSync(join(tmpdir(), "so-drill-"));
const liveDir = join(work, "live");
const restoredDir = join(work, "restored");
const backupDir = join(work, "backup");
const servers: Subprocess[] = [];

afterAll(async () => {
  for (const s of servers) s.kill("SIGKILL");
  await Promise.all(servers.map((s) => s.exited));
  await emu.stop();
  killLeftovers(work); // a redis-server whose watchdog did not see us go (test failed half-way)
  rmSync(work, { recursive: true, force: true });
});

/** The app's own env only: embedded Redis (no REDIS_URL from the test run), the emulator. */
function appEnv(dataDir: string, port = 0) {
  const env: Record<string, string> = {
    ...emu.env,
    DATA_DIR: dataDir,
    SKILL_KEY: "test-skill-key",
    LOG_LEVEL: "warn",
  };
  if (port) Object.assign(env, { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  return env;
}

function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

async function startServer(dataDir: string) {
  const port = freePort();
  const proc = Bun.spawn(["bun", "src/main.ts"], {
    cwd: ROOT,
    env: appEnv(dataDir, port),
    stdout: "ignore",
    stderr: "inherit",
  });
  servers.push(proc);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited early (${proc.exitCode})`);
    const ok = await fetch(`${base}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { proc, base };
    await Bun.sleep(100);
  }
  throw new Error("the server did not answer /healthz");
}

async function cli(dataDir: string, ...argv: string[]) {
  const proc = Bun.spawn(["bun", "src/cli/main.ts", ...argv, "--json"], {
    cwd: ROOT,
    env: appEnv(dataDir),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`cli ${argv[0]} exited ${code}: ${err}`);
  return JSON.parse(out);
}

type Counter = { base: string; cookie: string };
const call = (c: Counter, path: string, init: RequestInit = {}) =>
  fetch(`${c.base}${path}`, { ...init, headers: { cookie: c.cookie, ...init.headers } });
const postJson = (c: Counter, path: string, body?: unknown) =>
  call(c, path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const feeds: AbortController[] = [];
async function feed(c: Counter, lastEventId?: string) {
  const abort = new AbortController();
  feeds.push(abort);
  const headers: Record<string, string> = lastEventId ? { "last-event-id": lastEventId } : {};
  return new SseReader(await call(c, "/store/events", { headers, signal: abort.signal }));
}
const paidIds = (r: SseReader) =>
  r.events
    .filter((e) => e.event === "order.paid")
    .map((e) => {
      const data = JSON.parse(e.data) as { orderId?: string; id?: string };
      return data.orderId ?? data.id ?? "";
    });

type Order = { tid: string; orderId?: string };
let customers = 0;

/** A customer in the chat: cart → 주문하기 → KakaoPay's page opens (not paid yet). */
async function place(base: string, itemId: string): Promise<Order> {
  const over = { request: (path: string, init?: RequestInit) => fetch(`${base}${path}`, init) };
  const user = `drill-user-${++customers}`;
  await callSkill(over, "/cart/add", user, { clientExtra: { itemId } });
  const placed = await callSkill(over, "/orders/place", user);
  const payUrl: string = placed.template.outputs[0]!.basicCard.buttons[0].webLinkUrl;
  return { tid: payUrl.split("/").at(-1)! };
}

/** 결제하기 at KakaoPay, then our approval page (the customer sees the pickup number). */
async function approve(order: Order) {
  const approval = await emu.customerApproves(order.tid);
  order.orderId = new URL(approval).pathname.split("/").at(-2)!;
  const page = await fetch(approval);
  expect(await page.text()).toContain("결제가 완료됐어요");
  return order;
}

const pay = async (base: string, itemId: string) => approve(await place(base, itemId));

test("backup while orders are paid → host lost → restore → the day goes on and closes to KakaoPay's totals", async () => {
  // The shop opens on the first host.
  const live = await startServer(liveDir);
  const demo = await cli(liveDir, "demo:seed");
  const itemId: string = demo.items.find(
    (i: { name: string }) => i.name === "바스크 치즈케이크",
  ).itemId;
  const login = await fetch(`${live.base}/store/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      storeId: demo.storeId,
      pin: demo.pin,
      deviceToken: demo.deviceToken,
      location: SEOUL,
    }),
  });
  expect(login.status).toBe(200);
  const counter: Counter = {
    base: live.base,
    cookie: (login.headers.get("set-cookie") ?? "").split(";")[0]!,
  };
  expect((await postJson(counter, "/store/day/ready")).status).toBe(204);
  expect((await postJson(counter, "/store/day/open")).status).toBe(204);
  const dayId = ((await (await call(counter, "/store/day")).json()) as { day: { id: string } }).day
    .id;
  const liveFeed = await feed(counter);

  // Morning: three paid orders; the counter has seen two of them when its browser is closed.
  const morning: Order[] = [];
  for (let i = 0; i < 3; i++) morning.push(await pay(live.base, itemId));
  await liveFeed.until((r) => paidIds(r).length === 3, 10_000, "three order.paid");
  const seenUpTo = liveFeed.events.filter((e) => e.event === "order.paid")[1]!.id!;
  expect((await postJson(counter, `/store/orders/${morning[0]!.orderId}/accept`)).status).toBe(200);
  // Two customers are on KakaoPay's page when the backup runs; they pay after it.
  const onPayPage = [await place(live.base, itemId), await place(live.base, itemId)];

  // The backup runs while customers keep paying (and at least 4 pay during it).
  const during: Order[] = [];
  let backupDone = false;
  let firstPaid = () => {};
  const rushing = new Promise<void>((resolve) => {
    firstPaid = resolve;
  });
  const rush = (async () => {
    while (!backupDone || during.length < 4) {
      during.push(await pay(live.base, itemId));
      firstPaid();
    }
  })();
  await Promise.race([rushing, rush]);
  const backup = await cli(liveDir, "backup", "--to", backupDir).finally(() => {
    backupDone = true;
  });
  await rush;
  expect(backup.dir).toBe(backupDir);
  expect(backup.bytes).toBeGreaterThan(0);
  // The embedded Redis is on this host: BGSAVE, so the live server was never held up.
  const manifest = JSON.parse(readFileSync(join(backupDir, "manifest.json"), "utf8"));
  expect(manifest.redis.capture).toBe("bgsave");

  // After the backup: the two on the pay page pay; two new customers order and pay.
  for (const o of onPayPage) await approve(o);
  const after = [await pay(live.base, itemId), await pay(live.base, itemId)];
  const lastWrite = Date.now();

  // The host is gone.
  live.proc.kill("SIGKILL");
  await live.proc.exited;

  // A new host: restore into an empty DATA_DIR, then start the server there.
  expect(await cli(restoredDir, "restore", "--from", backupDir)).toEqual({ restored: true });
  // Healing leaves rows younger than SETTLE_MS to the request writing them; here none is.
  await Bun.sleep(Math.max(0, lastWrite + SETTLE_MS + 500 - Date.now()));
  const restored = await startServer(restoredDir);
  // The counter's saved login works again: its session was in the backup.
  const again: Counter = { base: restored.base, cookie: counter.cookie };

  const day = (await (await call(again, "/store/day")).json()) as {
    day: { id: string; state: string };
  };
  expect(day.day).toMatchObject({ id: dayId, state: "OPEN" });

  type Listed = { id: string; status: string; pickupNumber: number; totalAmount: number };
  const listed = ((await (await call(again, "/store/orders")).json()) as { orders: Listed[] })
    .orders;
  const known = new Map(listed.map((o) => [o.id, o]));
  // Paid before the backup: back with their numbers and the counter's move.
  expect(
    morning.map((o) => [known.get(o.orderId!)?.status, known.get(o.orderId!)?.pickupNumber]),
  ).toEqual([
    ["ACCEPTED", 1],
    ["PAID", 2],
    ["PAID", 3],
  ]);
  // Placed before the backup, paid after it: KakaoPay has their captures, healing completes them.
  for (const o of onPayPage) expect(known.get(o.orderId!)?.status).toBe("PAID");
  // Placed after the backup: nothing here knows them (KakaoPay has no list of payments), though
  // KakaoPay holds their money.
  for (const o of after) {
    expect(known.has(o.orderId!)).toBe(false);
    expect((await emu.payment(o.tid)).status).toBe("SUCCESS_PAYMENT");
  }
  // Paid during the backup: the first (paid before it began) is known; each other one is
  // either known and paid, or not known at all.
  expect(known.get(during[0]!.orderId!)?.status).toBe("PAID");
  for (const o of during) {
    const status = known.get(o.orderId!)?.status;
    expect(status === undefined || status === "PAID").toBe(true);
  }
  const numbers = listed.map((o) => o.pickupNumber);
  expect(new Set(numbers).size).toBe(numbers.length);

  // The counter's feed resumes from the last event it had before the backup.
  const resumed = await feed(again, seenUpTo);
  const expected = listed
    .map((o) => o.id)
    .filter((id) => id !== morning[0]!.orderId && id !== morning[1]!.orderId);
  await resumed.until(
    (r) => paidIds(r).length >= expected.length,
    10_000,
    "order.paid of every known order after the resumed id",
  );
  expect(paidIds(resumed).sort()).toEqual(expected.sort());

  // The day goes on to its close.
  for (const o of listed) {
    expect((await postJson(again, `/store/orders/${o.id}/ready`)).status).toBe(200);
    expect((await postJson(again, `/store/orders/${o.id}/pickup`)).status).toBe(200);
  }
  expect((await postJson(again, "/store/day/closing")).status).toBe(204);
  await resumed.until(
    (r) => r.events.some((e) => e.event === "state" && e.data.includes("CLOSING")),
    10_000,
    "the closing state",
  );
  const lastEventId = resumed.events.at(-1)!.id!;
  expect((await postJson(again, "/store/day/close", { lastEventId })).status).toBe(202);

  type Report = { orderCount: number; grossAmount: number; refundAmount: number };
  let report: Report | null = null;
  const deadline = Date.now() + 30_000;
  while (!report && Date.now() < deadline) {
    const res = await call(again, `/store/days/${dayId}/report`);
    if (res.status === 200) report = (await res.json()) as Report;
    else await Bun.sleep(200);
  }
  // The report's totals are KakaoPay's captures of the known orders.
  const tidOf = new Map([...morning, ...onPayPage, ...during].map((o) => [o.orderId!, o.tid]));
  let captured = 0;
  for (const o of listed) {
    const payment = await emu.payment(tidOf.get(o.id)!);
    expect(payment.status).toBe("SUCCESS_PAYMENT");
    captured += payment.total_amount;
  }
  expect(report).toMatchObject({
    orderCount: listed.length,
    grossAmount: captured,
    refundAmount: 0,
  });
  for (const f of feeds) f.abort();
}, 180_000);

function killLeftovers(dir: string) {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes(dir)) process.kill(Number(entry), "SIGKILL");
    } catch {
      // exited while we looked
    }
  }
}
