// A payment worker in its own process, for the crash tests: SO_FAILPOINT makes it die mid-job.
import { buildDeps } from "../../src/bootstrap.ts";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/infra/database.ts";
import { silentLogger } from "../../src/infra/logger.ts";
import { withWorkers } from "../../workers/index.ts";

const config = loadConfig(process.env);
withWorkers(
  buildDeps(config, {
    redisUrl: process.env.TEST_REDIS_URL!,
    log: silentLogger,
    keyPrefix: process.env.TEST_KEY_PREFIX!,
    db: await openDatabase(config),
  }),
  { start: true, tuning: { lockDuration: 1000, stalledInterval: 500 } },
);
process.stdout.write("worker ready\n");
