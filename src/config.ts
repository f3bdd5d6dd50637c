import { join } from "node:path";
import { z } from "zod";

const port = z.coerce
  .number({ error: "must be a port number (1-65535)" })
  .int("must be a port number (1-65535)")
  .min(1, "must be a port number (1-65535)")
  .max(65535, "must be a port number (1-65535)");
const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .transform((u) => u.replace(/\/+$/, ""));
const optionalText = z.string().min(1).optional();
const count = (what: string, max: number) =>
  z.coerce
    .number({ error: `must be a whole number of ${what}` })
    .int(`must be a whole number of ${what}`)
    .min(1, `must be at least 1 ${what}`)
    .max(max, `must be at most ${max} ${what}`);

/** "5/10s": at most 5 in any 10 seconds (a burst of 5, then one every 2 s); "off": no limit. */
const rate = (byDefault: string) =>
  z
    .string()
    .regex(/^(off|[1-9][0-9]{0,5}\/[1-9][0-9]{0,4}s)$/, "must be like 5/10s (count/seconds) or off")
    .default(byDefault)
    .transform((v) => {
      if (v === "off") return null;
      const [n, s] = v.split("/");
      return { limit: Number(n), windowMs: Number.parseInt(s ?? "", 10) * 1000 };
    });

/** Every env var of the contract, validated once at start. */
const envSchema = z.object({
  PORT: port.default(3000),
  PUBLIC_URL: httpUrl.optional(),
  REDIS_URL: z
    .url({
      protocol: /^(redis|rediss|unix)$/,
      error: "must be a redis://, rediss:// or unix:// URL",
    })
    .optional(),
  /** host:port,host:port,…: a Redis Cluster's seed nodes (instead of REDIS_URL) */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(
      /^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/,
      "must be host:port[,host:port…] (a Redis Cluster's nodes)",
    )
    .transform((v) =>
      v.split(",").map((n) => {
        const [host, port] = n.trim().split(":");
        return { host: host ?? "", port: Number(port) };
      }),
    )
    .refine((nodes) => nodes.every((n) => n.port >= 1 && n.port <= 65535), {
      error: "every port must be 1-65535",
    })
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,19}$/, "must be 1-20 lowercase letters, digits or '-'")
    .default("so"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_PATH: optionalText,
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" })
    .optional(),
  DATABASE_POOL_MAX: count("connections", 1000).default(10),
  DATABASE_QUERY_TIMEOUT_MS: count("milliseconds", 600_000).default(4000),
  SKILL_KEY: z.string().min(8, "must be at least 8 characters").optional(),
  OPERATOR_TOKEN: z.string().min(12, "must be at least 12 characters").optional(),
  KAKAOPAY_BASE_URL: httpUrl.optional(),
  KAKAOPAY_SECRET_KEY: optionalText,
  KAKAOPAY_CID: z.string().min(1).default("TC0ONETIME"),
  // Under Kakao's 5 s skill limit, with room for a short wait for a free call slot.
  KAKAOPAY_TIMEOUT_MS: count("milliseconds", 3500)
    .min(100, "must be at least 100 ms")
    .default(3000),
  KAKAOPAY_MAX_CONCURRENT: count("calls", 10_000).default(64),
  KAKAOPAY_BREAKER_FAILURES: count("failures", 1000).default(5),
  KAKAOPAY_BREAKER_COOLDOWN_MS: count("milliseconds", 600_000).default(10_000),
  LIMIT_PLACE_PER_CUSTOMER: rate("5/10s"),
  LIMIT_PLACE_PER_STORE: rate("300/10s"),
  LIMIT_CART_ADD_PER_CUSTOMER: rate("30/10s"),
  LIMIT_CART_ADD_PER_STORE: rate("1500/10s"),
  KAKAO_EVENT_API_URL: httpUrl.optional(),
  KAKAO_REST_API_KEY: optionalText,
  KAKAO_BOT_ID: optionalText,
  STORE_LOGIN_RADIUS_M: z.coerce
    .number({ error: "must be a distance in metres" })
    .positive("must be a positive distance in metres")
    .max(20_040_000, "must be at most 20040000 metres (half the Earth)")
    .default(300),
  EMULATOR_PORT: port.default(8787),
  EMULATOR_PUBLIC_URL: httpUrl.optional(),
  ROLE: z.enum(["all", "api", "worker"]).default("all"),
  ACCOUNTING_CONCURRENCY: count("jobs", 64).default(8),
  ACCOUNTING_ASK_KAKAOPAY: z.enum(["every", "in-question"]).default("every"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** The embedded Redis's AOF fsync: everysec loses ≤ 1 s on a power cut, always loses nothing. */
  REDIS_APPENDFSYNC: z.enum(["everysec", "always"]).default("everysec"),
  /** SQLite in WAL mode: NORMAL syncs at checkpoints (a power cut may lose the last commits), FULL at every commit. */
  SQLITE_SYNCHRONOUS: z.enum(["NORMAL", "FULL"]).default("NORMAL"),
  DEV_PAGES: z.enum(["true", "false", "1", "0"]).optional(),
  TRUST_PROXY: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
});

export type Config = ReturnType<typeof resolve>;

export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}

function resolve(env: z.output<typeof envSchema>) {
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  const emulatorUrl = env.EMULATOR_PUBLIC_URL ?? `http://127.0.0.1:${env.EMULATOR_PORT}`;
  return {
    port: env.PORT,
    publicUrl,
    secureCookies: publicUrl.startsWith("https://"),
    redisUrl: env.REDIS_URL,
    redisClusterNodes: env.REDIS_CLUSTER_NODES,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    dataDir: env.DATA_DIR,
    databasePath: env.DATABASE_PATH ?? join(env.DATA_DIR, "simple-order.db"),
    /** PostgreSQL instead of the SQLite file when set (several hosts share it) */
    databaseUrl: env.DATABASE_URL,
    databasePoolMax: env.DATABASE_POOL_MAX,
    /** a PostgreSQL query (or transaction start/commit) unanswered this long fails as a 503 */
    databaseQueryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_MS,
    skillKey: env.SKILL_KEY,
    operatorToken: env.OPERATOR_TOKEN,
    kakaopay: {
      baseUrl: env.KAKAOPAY_BASE_URL ?? emulatorUrl,
      secretKey: env.KAKAOPAY_SECRET_KEY,
      cid: env.KAKAOPAY_CID,
      /** per process: the call timeout, the calls in flight, the circuit breaker */
      guard: {
        timeoutMs: env.KAKAOPAY_TIMEOUT_MS,
        maxConcurrent: env.KAKAOPAY_MAX_CONCURRENT,
        breakerFailures: env.KAKAOPAY_BREAKER_FAILURES,
        breakerCoolDownMs: env.KAKAOPAY_BREAKER_COOLDOWN_MS,
      },
    },
    /** Skill rate limits in Redis (shared by every API process); null = off. */
    limits: {
      placePerCustomer: env.LIMIT_PLACE_PER_CUSTOMER,
      placePerStore: env.LIMIT_PLACE_PER_STORE,
      cartAddPerCustomer: env.LIMIT_CART_ADD_PER_CUSTOMER,
      cartAddPerStore: env.LIMIT_CART_ADD_PER_STORE,
    },
    kakaoEvent: {
      baseUrl: env.KAKAO_EVENT_API_URL ?? emulatorUrl,
      restApiKey: env.KAKAO_REST_API_KEY,
      botId: env.KAKAO_BOT_ID,
    },
    loginRadiusM: env.STORE_LOGIN_RADIUS_M,
    emulator: { port: env.EMULATOR_PORT, publicUrl: emulatorUrl },
    role: env.ROLE,
    /** closed days accounted at once per worker process (mostly waiting on Redis and SQLite) */
    accountingConcurrency: env.ACCOUNTING_CONCURRENCY,
    /**
     * which orders' KakaoPay status the accounting asks: `every` order with a payment (a refund
     * made on KakaoPay's side, outside the app, is found), or only those `in-question` (a paid
     * order whose SQLite row, stream entry and recorded approval agree is not asked: faster, blind
     * to such refunds)
     */
    accountingAskKakaoPay: env.ACCOUNTING_ASK_KAKAOPAY,
    logLevel: env.LOG_LEVEL,
    durability: {
      redisAppendfsync: env.REDIS_APPENDFSYNC,
      sqliteSynchronous: env.SQLITE_SYNCHRONOUS,
    },
    trustProxy: env.TRUST_PROXY,
    /** /dev/chat and other dev pages: on by default only while KakaoPay is the emulator */
    devPages: env.DEV_PAGES
      ? env.DEV_PAGES === "true" || env.DEV_PAGES === "1"
      : !env.KAKAOPAY_BASE_URL,
  };
}

/** Parses the environment; throws ConfigError with one readable line per bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]),
  );
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        return `config: ${name}=${JSON.stringify(env[name] ?? "")} is invalid: ${i.message}`;
      }),
    );
  }
  if (parsed.data.REDIS_URL && parsed.data.REDIS_CLUSTER_NODES) {
    throw new ConfigError([
      "config: REDIS_URL and REDIS_CLUSTER_NODES are both set: set one (a single Redis or a cluster)",
    ]);
  }
  return resolve(parsed.data);
}
