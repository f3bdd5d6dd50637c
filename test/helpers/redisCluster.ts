import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { keySlot } from "../../src/infra/redisClient.ts";

/**
 * A real Redis Cluster for one test file: 3 masters + 3 replicas on free ports in a temp dir,
 * with a short cluster-node-timeout so a killed master's replica takes over within seconds.
 */
export type TestCluster = {
  nodes: { host: string; port: number }[];
  /** REDIS_CLUSTER_NODES for these nodes */
  env: string;
  /** SIGKILLs the master serving `key`'s slot; resolves once a replica serves the slot */
  killMasterOf: (
    key: string,
    afterKill?: () => void,
  ) => Promise<{ killed: number; promoted: number }>;
  /** SIGSTOPs the replica of `key`'s master (it stops replicating); returns its SIGCONT */
  pauseReplicaOf: (key: string) => Promise<() => void>;
  /** SIGKILLs every node: the whole cluster is gone */
  killAll: () => Promise<void>;
  stop: () => Promise<void>;
};

const NODE_TIMEOUT_MS = 2000;

async function portIsFree(port: number) {
  return new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** Six ports P whose cluster bus ports (P + 10000) are free too. */
async function freePorts(n: number) {
  const ports: number[] = [];
  while (ports.length < n) {
    const p = 20000 + Math.floor(Math.random() * 9000);
    if (ports.includes(p)) continue;
    if ((await portIsFree(p)) && (await portIsFree(p + 10000))) ports.push(p);
  }
  return ports;
}

async function until(check: () => Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await Bun.sleep(100);
  }
  throw new Error(`redis cluster: ${what} not within ${ms} ms`);
}

const cli = (port: number, ...args: string[]) =>
  Bun.spawnSync(["redis-cli", "-p", String(port), ...args], { stderr: "pipe" }).stdout.toString();

export async function startRedisCluster(): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), "so-cluster-"));
  const ports = await freePorts(6);
  const procs = new Map<number, ReturnType<typeof Bun.spawn>>();
  for (const port of ports) {
    procs.set(
      port,
      Bun.spawn(
        [
          "redis-server",
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          `nodes-${port}.conf`,
          "--cluster-node-timeout",
          String(NODE_TIMEOUT_MS),
          // A replica takes over however long ago it last heard its master (data is tests').
          "--cluster-replica-validity-factor",
          "0",
          "--dir",
          dir,
          "--save",
          "",
          "--appendonly",
          "no",
          "--logfile",
          join(dir, `redis-${port}.log`),
        ],
        { stdout: "ignore", stderr: "ignore" },
      ),
    );
  }
  const stop = async () => {
    for (const p of procs.values()) p.kill("SIGKILL");
    await Promise.all([...procs.values()].map((p) => p.exited));
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", () => {
    for (const p of procs.values()) p.kill("SIGKILL");
  });
  try {
    for (const port of ports)
      await until(async () => cli(port, "ping").includes("PONG"), 5000, `node ${port} up`);
    const created = Bun.spawnSync(
      [
        "redis-cli",
        "--cluster",
        "create",
        ...ports.map((p) => `127.0.0.1:${p}`),
        "--cluster-replicas",
        "1",
        "--cluster-yes",
      ],
      { stdout: "pipe", stderr: "pipe" },
    );
    if (created.exitCode !== 0) throw new Error(`cluster create failed: ${created.stdout}`);
    for (const port of ports) {
      await until(
        async () => cli(port, "cluster", "info").includes("cluster_state:ok"),
        10_000,
        `state ok on ${port}`,
      );
    }
    // Replicas in sync: a master killed now has a replica ready to take over.
    await until(
      async () =>
        ports.filter((p) => cli(p, "info", "replication").includes("master_link_status:up"))
          .length === 3,
      10_000,
      "replicas in sync",
    );
  } catch (err) {
    await stop();
    throw err;
  }

  const masterOfSlot = async (slot: number, via: number) => {
    const r = new Redis({
      port: via,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await r.connect();
      const ranges = (await r.cluster("SLOTS")) as unknown as [number, number, [string, number]][];
      const range = ranges.find(([a, b]) => slot >= a && slot <= b);
      return range ? Number(range[2][1]) : null;
    } finally {
      r.disconnect();
    }
  };

  return {
    nodes: ports.map((port) => ({ host: "127.0.0.1", port })),
    env: ports.map((p) => `127.0.0.1:${p}`).join(","),
    killMasterOf: async (key, afterKill) => {
      const slot = keySlot(key);
      const killed = await masterOfSlot(slot, ports[0]!);
      if (killed === null) throw new Error("no master for the slot");
      procs.get(killed)!.kill("SIGKILL");
      await procs.get(killed)!.exited;
      afterKill?.();
      const alive = ports.filter((p) => p !== killed && procs.get(p)!.exitCode === null);
      let promoted = 0;
      await until(
        async () => {
          const now = await masterOfSlot(slot, alive[0]!);
          if (now === null || now === killed) return false;
          promoted = now;
          return alive.every((p) => cli(p, "cluster", "info").includes("cluster_state:ok"));
        },
        20_000,
        "replica promoted",
      );
      return { killed, promoted };
    },
    pauseReplicaOf: async (key) => {
      const master = await masterOfSlot(keySlot(key), ports[0]!);
      const info = cli(master!, "info", "replication");
      const port = Number(/slave0:ip=[^,]+,port=(\d+)/.exec(info)?.[1]);
      const replica = procs.get(port);
      if (!replica) throw new Error(`no replica found for ${master}: ${info}`);
      // Everything written so far (the session, the first order) reaches the replica first: only
      // what comes after the pause is the master's alone.
      await until(
        async () => {
          const now = cli(master!, "info", "replication");
          const own = /master_repl_offset:(\d+)/.exec(now)?.[1];
          return own !== undefined && new RegExp(`slave0:[^\n]*offset=${own},`).test(now);
        },
        10_000,
        "the replica caught up",
      );
      replica.kill("SIGSTOP");
      // Its link closed while it sleeps: nothing written from now on reaches it.
      cli(master!, "client", "kill", "type", "replica");
      return () => replica.kill("SIGCONT");
    },
    killAll: async () => {
      for (const p of procs.values()) p.kill("SIGKILL");
      await Promise.all([...procs.values()].map((p) => p.exited));
    },
    stop,
  };
}
