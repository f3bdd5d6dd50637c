import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { createApp } from "../../src/app.ts";
import { buildDeps } from "../../src/bootstrap.ts";
import { loadConfig } from "../../src/config.ts";
import type { Clock } from "../../src/infra/clock.ts";
import type { Db } from "../../src/infra/db.ts";
import { redisOptionsFromUrl } from "../../src/infra/embeddedRedis.ts";
import { silentLogger } from "../../src/infra/logger.ts";
import { createStore, registerDevice } from "../../src/store/admin.ts";
import { addMenuItems } from "../../src/store/menu/menu.ts";
import { withWorkers } from "../../workers/index.ts";

export const redisUrl = () => {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error("TEST_REDIS_URL is not set: run tests with `bun test` (preload)");
  return url;
};

export const newRedis = () => new Redis(redisOptionsFromUrl(redisUrl()));

/** Real deps for one test file: a fresh key prefix and a temp SQLite file. */
export function makeTestDeps(
  opts: {
    env?: Record<string, string>;
    clock?: Clock;
    heartbeatMs?: number;
    workers?: boolean;
    workerTuning?: { lockDuration?: number; stalledInterval?: number };
    /** an opened database (test/helpers/testDb.ts); else a temp SQLite file */
    db?: Db;
    /** on a Redis Cluster (test/helpers/redisCluster.ts) instead of the test Redis */
    cluster?: { nodes: { host: string; port: number }[]; env: string };
    /** this Redis instead of the test run's */
    redisUrl?: string;
    /** this key prefix instead of a fresh one (a second process of the same platform) */
    prefix?: string;
  } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "so-test-"));
  const prefix = opts.prefix ?? `t${Bun.randomUUIDv7().replaceAll("-", "").slice(-12)}`;
  const config = loadConfig({
    DATA_DIR: dir,
    OPERATOR_TOKEN: "test-operator-token",
    SKILL_KEY: "test-skill-key",
    TRUST_PROXY: "true",
    LOG_LEVEL: "silent",
    ...(opts.cluster ? { REDIS_CLUSTER_NODES: opts.cluster.env } : {}),
    ...opts.env,
  });
  const built = withWorkers(
    buildDeps(config, {
      ...(opts.cluster
        ? { clusterNodes: opts.cluster.nodes }
        : { redisUrl: opts.redisUrl ?? redisUrl() }),
      log: silentLogger,
      keyPrefix: prefix,
      clock: opts.clock,
      heartbeatMs: opts.heartbeatMs,
      hubBlockMs: 2000,
      db: opts.db,
    }),
    { start: opts.workers, tuning: opts.workerTuning },
  );
  const app = createApp(built.deps);
  return { ...built, app, dir, prefix };
}

export const SEOUL = { lat: 37.5446, lng: 127.0557 };

/** A store with one registered device, at Seongsu. */
export async function seedStore(
  deps: ReturnType<typeof makeTestDeps>["deps"],
  opts: { name?: string; pin?: string; withMenu?: boolean } = {},
) {
  const pin = opts.pin ?? "1234";
  const { storeId } = await createStore(deps.db, {
    name: opts.name ?? "테스트 카페",
    ...SEOUL,
    pin,
  });
  const { deviceToken } = await registerDevice(deps.db, storeId, "counter");
  if (opts.withMenu) {
    await addMenuItems(deps.db, storeId, [
      { name: "아메리카노", price: 4500, category: "커피", soldOut: false, optionGroups: [] },
    ]);
  }
  return { storeId, pin, deviceToken };
}

type AppLike = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

export async function login(
  app: AppLike,
  store: { storeId: string; pin: string; deviceToken: string },
  opts: { location?: { lat: number; lng: number }; addr?: string } = {},
) {
  const res = await app.request("/store/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": opts.addr ?? "10.0.0.1" },
    body: JSON.stringify({
      storeId: store.storeId,
      pin: store.pin,
      deviceToken: store.deviceToken,
      location: opts.location ?? SEOUL,
    }),
  });
  const setCookie = res.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0] ?? "";
  return { res, cookie };
}

export function post(app: AppLike, path: string, cookie: string, body?: unknown) {
  return app.request(path, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
