import { runCli } from "./cli/cli.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { DatabaseUnreachable } from "./infra/database.ts";
import { createLogger } from "./infra/logger.ts";
import { RedisUnreachable } from "./infra/redisClient.ts";
import { PortInUse, startServer, stopOnSignals } from "./server.ts";

/** `simple-order [serve]` runs the server; `simple-order <command>` runs the operator CLI. */
async function main(argv: string[]) {
  const command = argv[0];
  if (command && command !== "serve") process.exit(await runCli(argv));
  const config = loadOrExit();
  const log = createLogger(config.logLevel, { role: config.role });
  const { stop } = await startServer(config, log).catch(exitIfCannotStart);
  // Set by `bun run dev`: the browser scripts are bundled, so bun --watch does not see them.
  if (process.env.WATCH_CLIENT === "1") (await import("./web/watchClient.ts")).watchClient(log);
  stopOnSignals(stop, log);
}

function exitIfCannotStart(err: unknown): never {
  if (err instanceof RedisUnreachable) {
    console.error(`${err.message}: check ${err.variable}`);
    process.exit(1);
  }
  if (err instanceof DatabaseUnreachable) {
    console.error(`${err.message}: check DATABASE_URL`);
    process.exit(1);
  }
  if (!(err instanceof PortInUse)) throw err;
  console.error(`${err.message}: is simple-order already running? Stop it, or set PORT.`);
  process.exit(1);
}

export function loadOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.lines) console.error(line);
    process.exit(1);
  }
}

if (import.meta.main) await main(process.argv.slice(2));
