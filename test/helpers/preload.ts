// Every test talks to a real Redis: REDIS_URL when given (CI may start one), else one embedded
// redis-server for this test run, started through the app's own embedded-Redis code.
import { afterAll } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedRedis } from "../../src/infra/embeddedRedis.ts";
import { stopTestPostgres } from "./postgres.ts";

if (!process.env.TEST_REDIS_URL) {
  if (process.env.REDIS_URL) {
    process.env.TEST_REDIS_URL = process.env.REDIS_URL;
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), "so-test-redis-"));
    const embedded = await startEmbeddedRedis({ dataDir });
    process.env.TEST_REDIS_URL = embedded.url;
    afterAll(() => embedded.stop());
  }
}

// The PostgreSQL that test/helpers/postgres.ts started on first use, if any.
afterAll(() => stopTestPostgres());
