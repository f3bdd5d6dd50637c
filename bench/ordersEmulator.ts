/**
 * The KakaoPay (+ Event API) emulator in its own process for the orders bench, started with
 * the app's own `startEmulator` on 127.0.0.1 (port 0), so that its cost is measured apart from
 * the server's: `snapshot` returns this process's CPU (and its JS thread's run-queue wait) since
 * the previous snapshot and the number of payments it holds.
 */
import { DEV_REST_API_KEY, DEV_SECRET_KEY, startEmulator } from "../src/emulator/emulator.ts";
import { mainThreadSched, waitBetween } from "./ordersSched.ts";
import { memory, serveRpc } from "./rpc.ts";

const emu = startEmulator({
  port: 0,
  hostname: "127.0.0.1",
  secretKey: DEV_SECRET_KEY,
  restApiKey: DEV_REST_API_KEY,
  botId: "bench-bot",
});

/** runWaitMs: ms its JS thread sat runnable, waiting for a CPU (Linux schedstat; NaN elsewhere) */
export type EmulatorSnapshot = {
  cpuUs: number;
  wallMs: number;
  runWaitMs: number;
  payments: number;
};

let lastCpu = process.cpuUsage();
let lastWall = performance.now();
let lastSched = mainThreadSched();

serveRpc({
  /** The env that points the app at this emulator (as test/helpers/emulator.ts builds it). */
  setup: () => ({
    url: emu.url,
    env: {
      KAKAOPAY_BASE_URL: emu.url,
      KAKAOPAY_SECRET_KEY: DEV_SECRET_KEY,
      KAKAO_EVENT_API_URL: emu.url,
      KAKAO_REST_API_KEY: DEV_REST_API_KEY,
      KAKAO_BOT_ID: "bench-bot",
      EMULATOR_PUBLIC_URL: emu.url,
    },
  }),
  snapshot: (): EmulatorSnapshot => {
    const cpu = process.cpuUsage(lastCpu);
    const now = performance.now();
    const sched = mainThreadSched();
    const out: EmulatorSnapshot = {
      cpuUs: cpu.user + cpu.system,
      wallMs: now - lastWall,
      runWaitMs: waitBetween(lastSched, sched),
      payments: emu.state.payments.size,
    };
    lastCpu = process.cpuUsage();
    lastWall = now;
    lastSched = sched;
    return out;
  },
  memory,
  stop: async () => {
    await emu.stop();
    return null;
  },
});
