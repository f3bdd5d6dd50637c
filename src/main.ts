import { createApp } from "./app.ts";
import { buildDeps } from "./bootstrap.ts";
import { runCli } from "./cli/cli.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { type EmbeddedRedis, RedisUnavailable, startEmbeddedRedis } from "./infra/embeddedRedis.ts";
import { createLogger } from "./infra/logger.ts";
import { repairAllDays } from "./store/day/dayRecord.ts";

/** Entry: `simple-order [serve]` runs the server; `simple-order <cli:command>` the operator CLI. */
async function main(argv: string[]) {
  const command = argv[0];
  if (command && command !== "serve") process.exit(await runCli(argv));

  const config = loadOrExit();
  const log = createLogger(config.logLevel, { role: config.role });
  const embedded = config.redisUrl ? null : await startRedisOrExit(config, log);
  const redisUrl = config.redisUrl ?? embedded!.url;
  const { deps, close } = buildDeps(config, { redisUrl, log });
  const repaired = await repairAllDays(deps);
  log.info({ storesChecked: repaired }, "day records checked against Redis");

  const server =
    config.role === "worker"
      ? null
      : Bun.serve({ port: config.port, fetch: createApp(deps).fetch, idleTimeout: 60 });
  if (server) log.info({ url: config.publicUrl, port: server.port }, "simple-order listening");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await server?.stop();
    await close();
    await embedded?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

function loadOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.lines) console.error(line);
    process.exit(1);
  }
}

async function startRedisOrExit(
  config: Config,
  log: ReturnType<typeof createLogger>,
): Promise<EmbeddedRedis> {
  try {
    return await startEmbeddedRedis({
      dataDir: config.dataDir,
      log: (msg, extra) => log.info(extra ?? {}, msg),
    });
  } catch (err) {
    console.error(
      err instanceof RedisUnavailable ? err.message : `redis: ${(err as Error).message}`,
    );
    process.exit(1);
  }
}

await main(process.argv.slice(2));
