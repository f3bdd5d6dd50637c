// `bun run chaos`: power cuts and a crash on real processes, one table of figures that later
// turns can compare (lost, doubled, duplicated pickups, healed entries, time to PAID after a
// crash). The tests in test/recovery assert on the same scenarios; this prints them.
import { loadavg } from "node:os";
import { type Cut, crashMidApproval, percentile, powerCut } from "../test/helpers/chaos.ts";
import { startTestEmulator } from "../test/helpers/emulator.ts";

const emu = startTestEmulator();
const rows: string[][] = [];
const cuts: [string, Cut][] = [
  ["power cut: Redis rolled back", { redis: true, sqlite: false }],
  ["power cut: SQLite rolled back", { redis: false, sqlite: true }],
  ["power cut: both rolled back", { redis: true, sqlite: true }],
];
try {
  for (const [name, cut] of cuts) {
    const f = await powerCut(emu, cut, { before: 20, after: 10 });
    rows.push([
      name,
      String(f.captured),
      String(f.lost),
      String(f.doubled),
      String(f.duplicatedPickups),
      String(f.healed),
      f.reportNet === f.kakaoPayNet ? "yes" : `NO (${f.reportNet} vs ${f.kakaoPayNet})`,
      "-",
    ]);
  }
  const c = await crashMidApproval(emu, 10);
  rows.push([
    "SIGKILL mid-approval",
    String(c.inFlight),
    String(c.inFlight - c.paid),
    "-",
    "-",
    "-",
    "-",
    `p50 ${percentile(c.timeToPaid, 50).toFixed(0)} / max ${percentile(c.timeToPaid, 100).toFixed(0)} ms (restart ${c.restartMs.toFixed(0)} ms; 주문하기 retry ${c.placeRetryMs.toFixed(0)} ms)`,
  ]);
} finally {
  await emu.stop();
}

const head = [
  "scenario",
  "captured",
  "lost",
  "doubled",
  "dup pickups",
  "healed",
  "report = KakaoPay",
  "time to PAID after restart",
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(
  `chaos — ${new Date().toISOString()}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log(line(head));
for (const r of rows) console.log(line(r));
