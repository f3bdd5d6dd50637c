import { join } from "node:path";
import { seedDemo } from "./cli/demoSeed.ts";
import { DEV_REST_API_KEY, DEV_SECRET_KEY, startEmulator } from "./emulator/emulator.ts";
import { createLogger } from "./infra/logger.ts";
import { loadOrExit } from "./main.ts";
import { listen, PortInUse, portIsFree, startServer, stopOnSignals } from "./server.ts";

/**
 * `bun run demo`: embedded Redis, the KakaoPay/Event API emulator, the server and a seeded demo
 * café, on embedded defaults.
 * The demo forgives the login distance (the visitor is not in Seongsu) unless told otherwise.
 */
const env = {
  SKILL_KEY: "demo-skill-key",
  OPERATOR_TOKEN: "demo-operator-token",
  STORE_LOGIN_RADIUS_M: "20040000",
  LOG_LEVEL: "warn",
  ...process.env,
};
const config = loadOrExit(env);
const log = createLogger(config.logLevel, { role: "demo" });
const withEmulator = config.kakaopay.baseUrl === config.emulator.publicUrl;
// Checked before anything starts: a second demo on the same ports is the usual cause.
if (!portIsFree(config.port)) exitBecause(new PortInUse(config.port, "PORT"));
if (withEmulator && !portIsFree(config.emulator.port))
  exitBecause(new PortInUse(config.emulator.port, "EMULATOR_PORT"));

const emulator = withEmulator ? startEmulatorOrExit() : null;
const { deps, stop, embedded } = await startServer(config, log).catch(exitBecause);
stopOnSignals(
  async () => {
    const done = await stop();
    if (emulator) {
      await emulator.stop();
      done.push("emulator stopped");
    }
    return done;
  },
  log,
  { echo: true },
);
// A fixed demo token (kept in DATA_DIR), so a browser that saved it logs in after a restart.
const tokenFile = Bun.file(join(config.dataDir, "demo-device-token"));
const savedToken = (await tokenFile.exists()) ? (await tokenFile.text()).trim() : undefined;
const demo = await seedDemo(deps.db, config, { deviceToken: savedToken });
await Bun.write(tokenFile, demo.deviceToken);

const shared = embedded?.reused ?? false;
const lines = [
  "",
  "  Simple Order demo is running",
  ...(shared
    ? [
        `  Shared           another demo already runs on DATA_DIR ${config.dataDir}: this one shares its Redis and data`,
        "                   (its Redis stops when that demo stops)",
      ]
    : []),
  `  Store client     ${config.publicUrl}/`,
  `  Chat simulator   ${config.publicUrl}/dev/chat`,
  `  KakaoPay (emu)   ${emulator ? `${emulator.url}  (payments: ${emulator.url}/_emulator/payments)` : config.kakaopay.baseUrl}`,
  ...(emulator
    ? [`  Kakao messages   ${emulator.url}/_emulator/events  (what the Event API sent customers)`]
    : []),
  `  Store ID         ${demo.storeId}`,
  `  PIN              ${demo.pin}`,
  `  Device token     ${demo.deviceToken}`,
  `  Store            ${demo.name} (${demo.lat}, ${demo.lng})`,
  `  Menu             ${demo.items.map((i) => `${i.name} ${i.price.toLocaleString("ko-KR")}원`).join(", ")}`,
  `  Operator         ${config.publicUrl}/admin/queues and /metrics (user operator, password ${config.operatorToken})`,
  `  API reference    ${config.publicUrl}/docs`,
  `  Login radius     ${config.loginRadiusM >= 20_000_000 ? "any distance (demo)" : `${config.loginRadiusM} m`}`,
  "",
  shared
    ? "  Press Ctrl+C to stop (the shared Redis keeps running with the other demo)."
    : "  Press Ctrl+C to stop (the embedded Redis stops with it).",
  "",
];
console.log(lines.join("\n"));

function startEmulatorOrExit() {
  try {
    return listen(config.emulator.port, "EMULATOR_PORT", () =>
      startEmulator({
        port: config.emulator.port,
        publicUrl: config.emulator.publicUrl,
        secretKey: config.kakaopay.secretKey ?? DEV_SECRET_KEY,
        restApiKey: config.kakaoEvent.restApiKey ?? DEV_REST_API_KEY,
      }),
    );
  } catch (err) {
    return exitBecause(err);
  }
}

/** One line, no stack trace: a port taken is most likely a demo already running. */
function exitBecause(err: unknown): never {
  if (!(err instanceof PortInUse)) throw err;
  const why =
    err.variable === "PORT"
      ? "a demo may already be running. Stop it, or give this one other ports (PORT, EMULATOR_PORT)."
      : "a demo (or `bun run emulator`) may already be running. Stop it, or set EMULATOR_PORT.";
  console.error(`${err.message}: ${why}`);
  process.exit(1);
}
