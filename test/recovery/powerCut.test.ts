import { afterAll, describe, expect, test } from "bun:test";
import { type Cut, crashMidApproval, percentile, powerCut } from "../helpers/chaos.ts";
import { startTestEmulator } from "../helpers/emulator.ts";

// The host loses power mid-rush: what the disks held at an earlier moment (a copy of Redis's AOF
// directory and of the SQLite files) is all that survives, while KakaoPay keeps every capture.
// Healing at the next start must leave every captured payment PAID with exactly one `order.paid`
// entry (or refunded), no pickup number twice, and a day report that matches KakaoPay.
const emu = startTestEmulator();
afterAll(() => emu.stop());

describe("a power cut mid-rush", () => {
  const cuts: [string, Cut][] = [
    ["Redis rolled back", { redis: true, sqlite: false }],
    ["SQLite rolled back", { redis: false, sqlite: true }],
    ["both rolled back", { redis: true, sqlite: true }],
  ];
  for (const [name, cut] of cuts) {
    test(`${name}: every capture PAID once, pickups unique, report = KakaoPay`, async () => {
      const f = await powerCut(emu, cut);
      expect(f.captured).toBeGreaterThanOrEqual(8);
      expect({ lost: f.lost, doubled: f.doubled, duplicatedPickups: f.duplicatedPickups }).toEqual({
        lost: 0,
        doubled: 0,
        duplicatedPickups: 0,
      });
      expect(f.healed).toBeGreaterThan(0);
      expect(f.reportNet).toBe(f.kakaoPayNet);
    }, 120_000);
  }
});

describe("the server killed mid-approval", () => {
  test("every in-flight approval completes after the restart; a retried 주문하기 is answered", async () => {
    const f = await crashMidApproval(emu);
    console.log(
      `time to PAID after restart: p50 ${percentile(f.timeToPaid, 50).toFixed(0)} ms, max ${percentile(f.timeToPaid, 100).toFixed(0)} ms; 주문하기 retry ${f.placeRetryMs.toFixed(0)} ms`,
    );
    expect(f.paid).toBe(f.inFlight);
    expect(f.placeRetryAnswered).toBe(true);
  }, 120_000);
});
