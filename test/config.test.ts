import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("config", () => {
  test("defaults follow the contract", () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe("http://localhost:3000");
    expect(c.databasePath).toBe("data/simple-order.db");
    expect(c.kakaopay.cid).toBe("TC0ONETIME");
    expect(c.loginRadiusM).toBe(300);
    expect(c.redisUrl).toBeUndefined();
    expect(c.secureCookies).toBe(false);
  });

  test("durability: everysec and NORMAL by default, always and FULL when asked, else one line", () => {
    expect(loadConfig({}).durability).toEqual({
      redisAppendfsync: "everysec",
      sqliteSynchronous: "NORMAL",
    });
    expect(
      loadConfig({ REDIS_APPENDFSYNC: "always", SQLITE_SYNCHRONOUS: "FULL" }).durability,
    ).toEqual({ redisAppendfsync: "always", sqliteSynchronous: "FULL" });
    expect(() => loadConfig({ REDIS_APPENDFSYNC: "sometimes" })).toThrow(/REDIS_APPENDFSYNC/);
  });

  test("REDIS_CLUSTER_NODES: host:port list; malformed, a bad port or next to REDIS_URL is one line", () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: "r1:7000, r2:7001" }).redisClusterNodes).toEqual([
      { host: "r1", port: 7000 },
      { host: "r2", port: 7001 },
    ]);
    expect(loadConfig({}).redisClusterNodes).toBeUndefined();
    const lineOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        return (e as ConfigError).lines;
      }
      return [];
    };
    expect(lineOf({ REDIS_CLUSTER_NODES: "r1" })).toHaveLength(1);
    expect(lineOf({ REDIS_CLUSTER_NODES: "r1:70000" })[0]).toContain("1-65535");
    expect(lineOf({ REDIS_CLUSTER_NODES: "r1:7000", REDIS_URL: "redis://r:6379" })[0]).toContain(
      "both set",
    );
  });

  test("a bad value gives one clear line naming the variable", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "70000" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).lines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toStartWith('config: PORT="70000" is invalid');
    expect(lines[0]).not.toContain("\n");
  });

  test("one line per bad variable", () => {
    try {
      loadConfig({ PUBLIC_URL: "not a url", STORE_LOGIN_RADIUS_M: "-5", REDIS_URL: "http://x" });
      throw new Error("expected ConfigError");
    } catch (e) {
      const lines = (e as ConfigError).lines;
      expect(lines.map((l) => l.split("=")[0])).toEqual([
        "config: PUBLIC_URL",
        "config: REDIS_URL",
        "config: STORE_LOGIN_RADIUS_M",
      ]);
    }
  });

  test("https PUBLIC_URL makes cookies Secure; trailing slash dropped", () => {
    const c = loadConfig({ PUBLIC_URL: "https://order.example.kr/" });
    expect(c.publicUrl).toBe("https://order.example.kr");
    expect(c.secureCookies).toBe(true);
  });

  test("the server process prints the line and exits 1 without a stack trace", async () => {
    const proc = Bun.spawn(["bun", "src/main.ts"], {
      cwd: `${import.meta.dir}/..`,
      env: { ...process.env, PORT: "abc", REDIS_URL: "" },
      stderr: "pipe",
      stdout: "pipe",
    });
    const code = await proc.exited;
    const err = await new Response(proc.stderr).text();
    expect(code).toBe(1);
    expect(err.trim()).toBe('config: PORT="abc" is invalid: must be a port number (1-65535)');
  });
});
