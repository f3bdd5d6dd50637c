import { ConfigError, loadConfig } from "../config.ts";
import { DEV_REST_API_KEY, DEV_SECRET_KEY, startEmulator } from "./emulator.ts";

function load() {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.lines) console.error(line);
    process.exit(1);
  }
}

/** `bun run emulator`: KakaoPay and Kakao's Event API on EMULATOR_PORT (default 8787). */
if (import.meta.main) {
  const config = load();
  const emulator = startEmulator({
    port: config.emulator.port,
    publicUrl: config.emulator.publicUrl,
    secretKey: config.kakaopay.secretKey ?? DEV_SECRET_KEY,
    restApiKey: config.kakaoEvent.restApiKey ?? DEV_REST_API_KEY,
    botId: config.kakaoEvent.botId,
    cids: [...new Set(["TC0ONETIME", config.kakaopay.cid])],
  });
  console.log(
    [
      "",
      `  KakaoPay + Event API emulator listening on ${emulator.url}`,
      `  Public URL       ${emulator.publicUrl}`,
      `  KakaoPay         POST /online/v1/payment/ready|approve|cancel|order (cid ${config.kakaopay.cid})`,
      `  Event API        POST /v2/bots/${config.kakaoEvent.botId ?? "{any bot}"}/talk`,
      `  Control          ${emulator.publicUrl}/_emulator/payments · /_emulator/events`,
      "",
    ].join("\n"),
  );
  const stop = () => emulator.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
