// Chaos scenarios on real processes, measured: the power-cut and crash tests assert on these
// figures, and `bun run chaos` prints them as one table that later turns can compare.
import type { startTestEmulator } from "./emulator.ts";
import { Host, type PaidOrder } from "./powerCut.ts";
import { callSkill } from "./skill.ts";

type Emulator = ReturnType<typeof startTestEmulator>;
export type Cut = { redis: boolean; sqlite: boolean };

export type PowerCutFigures = {
  captured: number;
  /** captured, neither PAID on the counter's list nor refunded */
  lost: number;
  /** orders with more than one `order.paid` entry on the feed */
  doubled: number;
  /** pickup numbers held by two orders, or a number shown to one customer and given to another */
  duplicatedPickups: number;
  /** repairs the day report lists (healing findings) */
  healed: number;
  reportNet: number;
  kakaoPayNet: number;
};

/** A rush, a power cut that rolls `cut` back to a copy taken mid-rush, a restart, the day closed. */
export async function powerCut(
  emu: Emulator,
  cut: Cut,
  opts: { before?: number; after?: number } = {},
) {
  const host = new Host(emu);
  try {
    await host.start();
    await host.openShop();
    const paid: PaidOrder[] = [];
    for (let i = 0; i < (opts.before ?? 4); i++) paid.push(await host.payOne());
    // Customers at KakaoPay's page when the disks are copied: they approve after it.
    const waiting = await Promise.all([host.place(), host.place(), host.place()]);
    const snapshot = host.snapshot();
    for (const w of waiting) {
      const url = await host.approveAtKakaoPay(w.tid);
      const orderId = new URL(url).pathname.split("/")[3]!;
      paid.push({ orderId, tid: w.tid, shownPickup: await host.approvalPage(url), at: Date.now() });
    }
    // Placed and paid after the copy. KakaoPay has no list API, so an order every record of which
    // was lost cannot be found; a customer spends longer at KakaoPay's page than the second a
    // power cut loses, so "both lost" only happens to orders placed before the copy.
    if (!(cut.redis && cut.sqlite)) {
      for (let i = 0; i < (opts.after ?? 3); i++) paid.push(await host.payOne());
    }
    await host.post(`/store/orders/${paid[0]!.orderId}/accept`);

    await host.powerCut();
    host.restore(snapshot, cut);
    await host.start();
    await host.login();
    paid.push(await host.payOne()); // the next customer after the restart
    return await tally(emu, host, paid);
  } finally {
    await host.stop();
    host.cleanup();
  }
}

async function tally(emu: Emulator, host: Host, paid: PaidOrder[]): Promise<PowerCutFigures> {
  const listed = await host.orders();
  const feed = await host.feed();
  const figures = { captured: 0, lost: 0, doubled: 0, duplicatedPickups: 0 };
  for (const p of paid) {
    const kakao = await emu.payment(p.tid);
    if (kakao.status !== "SUCCESS_PAYMENT") continue;
    figures.captured++;
    const row = listed.find((o) => o.id === p.orderId);
    const entries = feed.filter((e) => e.event === "order.paid" && e.data.id === p.orderId);
    if (!row || entries.length === 0 || entries[0]!.data.pickupNumber !== row.pickupNumber) {
      figures.lost++;
    }
    if (entries.length > 1) figures.doubled++;
    const holder =
      p.shownPickup === null ? null : listed.find((o) => o.pickupNumber === p.shownPickup);
    if (holder && holder.id !== p.orderId) figures.duplicatedPickups++;
  }
  const numbers = listed.map((o) => o.pickupNumber);
  figures.duplicatedPickups += numbers.length - new Set(numbers).size;
  const report = await closeAndReport(host);
  let kakaoPayNet = 0;
  for (const p of paid) {
    const k = await emu.payment(p.tid);
    kakaoPayNet += k.total_amount - k.canceled_amount;
  }
  const healKinds = /restored|captured_completed|pickup_counter_raised|day_restored/;
  return {
    ...figures,
    healed: report.findings.filter((f) => healKinds.test(f.kind)).length,
    reportNet: report.netAmount,
    kakaoPayNet,
  };
}

/** Serves and hands over every order, closes the day and reads its report. */
async function closeAndReport(host: Host) {
  for (const o of await host.orders()) {
    if (o.status === "CANCELED" || o.status === "PICKED_UP") continue;
    if (o.status !== "READY") await host.post(`/store/orders/${o.id}/ready`);
    await host.post(`/store/orders/${o.id}/pickup`);
  }
  await host.post("/store/day/closing");
  const lastEventId = (await host.feed()).at(-1)!.id;
  const closed = await host.post("/store/day/close", { lastEventId });
  if (closed.status !== 202) throw new Error(`close: ${closed.status} ${await closed.text()}`);
  const day = lastEventId.split(":")[0]!;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${host.base}/store/days/${day}/report`, {
      headers: { cookie: host.cookie, accept: "application/json" },
    });
    if (res.ok) {
      return (await res.json()) as { netAmount: number; findings: { kind: string }[] };
    }
    await Bun.sleep(200);
  }
  throw new Error("no day report 30 s after close");
}

export type CrashFigures = {
  inFlight: number;
  paid: number;
  /** ms from the restarted server's first /healthz 200 until each approval page shows its number */
  timeToPaid: number[];
  /** ms for the 주문하기 retry of a customer whose first press died with the server */
  placeRetryMs: number;
  placeRetryAnswered: boolean;
  restartMs: number;
};

/**
 * The server is SIGKILLed while approvals (and one 주문하기) are in flight at a slow KakaoPay;
 * after the restart, the customers reload their pages until they see their pickup numbers.
 */
export async function crashMidApproval(emu: Emulator, inFlight = 5): Promise<CrashFigures> {
  const host = new Host(emu);
  try {
    await host.start();
    await host.openShop();
    const customers = await Promise.all(Array.from({ length: inFlight }, () => host.place()));
    await emu.fault("/online/v1/payment/approve", "slow", inFlight, 2500);
    const urls = await Promise.all(customers.map((c) => host.approveAtKakaoPay(c.tid)));
    const firstLoads = urls.map((u) => host.approvalPage(u));
    // One more customer presses 주문하기 while KakaoPay's ready is slow.
    const late = `crash-late-${host.port}`;
    const over = { request: (p: string, i?: RequestInit) => fetch(`${host.base}${p}`, i) };
    await callSkill(over, "/cart/add", late, { clientExtra: { itemId: host.store.itemId } });
    await emu.fault("/online/v1/payment/ready", "slow", 1, 2500);
    const firstPress = callSkill(over, "/orders/place", late).catch(() => null);
    await Bun.sleep(500);

    host.proc!.kill("SIGKILL");
    await host.proc!.exited;
    await Promise.all([...firstLoads, firstPress]);
    const restartMs = await host.start();
    const t0 = performance.now();

    const pressed = performance.now();
    const retry = await callSkill(over, "/orders/place", late).catch(() => null);
    const placeRetryMs = performance.now() - pressed;
    const placeRetryAnswered = Boolean(retry?.text.includes("webLinkUrl"));

    const timeToPaid = await Promise.all(
      urls.map(async (u) => {
        while (performance.now() - t0 < 30_000) {
          if ((await host.approvalPage(u)) !== null) return performance.now() - t0;
          await Bun.sleep(200);
        }
        return Number.NaN;
      }),
    );
    return {
      inFlight,
      paid: timeToPaid.filter((t) => !Number.isNaN(t)).length,
      timeToPaid,
      placeRetryMs,
      placeRetryAnswered,
      restartMs,
    };
  } finally {
    await host.stop();
    host.cleanup();
  }
}

export const percentile = (xs: number[], p: number) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : Number.NaN;
};
