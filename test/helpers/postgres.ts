// A real PostgreSQL for the tests that need one: the Debian package's binaries, one throw-away
// cluster per test process (bun runs every test file in one process, so they share it), started
// on first use, one fresh database per freshDatabase() call, stopped after the tests (test/helpers/preload.ts) or when the process exits.

import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQL } from "bun";

type Server = { port: number; admin: SQL };

let server: Promise<Server> | undefined;
let stop: (() => void) | undefined;
let made = 0;

let outage: { down: () => void; up: () => void; freeze: () => number[] } | undefined;

/**
 * The test server goes away (a fast stop: every connection cut, as a restart or failover of the
 * database does) while `during` runs, then comes back on the same port with the same data.
 */
export async function whileDatabaseDown<T>(during: () => Promise<T>): Promise<T> {
  if (!outage) throw new Error("no test PostgreSQL started in this process");
  outage.down();
  try {
    return await during();
  } finally {
    outage.up();
  }
}

/**
 * The test server stops answering without closing anything while `during` runs, as a network
 * partition or a frozen host looks to a client: every PostgreSQL process is paused (SIGSTOP), so
 * connections stay open and new ones are accepted by the kernel, but no byte comes back.
 */
export async function whileDatabaseSilent<T>(during: () => Promise<T>): Promise<T> {
  if (!outage) throw new Error("no test PostgreSQL started in this process");
  const paused = outage.freeze();
  try {
    return await during();
  } finally {
    for (const pid of paused) process.kill(pid, "SIGCONT");
  }
}

/** Stops the server, if this process started one. */
export async function stopTestPostgres() {
  if (!server) return;
  const started = await server.catch(() => undefined);
  await started?.admin.close({ timeout: 1 }).catch(() => undefined);
  stop?.();
  server = undefined;
}

/** A new, empty database on the shared test server; its postgres:// URL. */
export async function freshDatabase(): Promise<string> {
  server ??= startServer();
  const { port, admin } = await server;
  const name = `so_test_${process.pid}_${++made}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  return databaseUrl(port, name);
}

const databaseUrl = (port: number, name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;

/** The newest installed PostgreSQL's bin folder. */
function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin/initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error("PostgreSQL is not installed (no initdb): apt-get install postgresql");
  }
  return join(root, versions[0]!, "bin");
}

async function startServer(): Promise<Server> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "so-test-pg-"));
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres)
    chownSync(dir, Number(run(["id", "-u", "postgres"])), Number(run(["id", "-g", "postgres"])));
  const data = join(dir, "data");
  const as = (cmd: string[]) => run(asPostgres ? ["runuser", "-u", "postgres", "--", ...cmd] : cmd);
  as([
    `${bin}/initdb`,
    "-D",
    data,
    "-A",
    "trust",
    "-U",
    "postgres",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
  ]);
  const port = await freePort();
  // Durability is not what these tests check: no fsync keeps a test run quick on a busy disk.
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=300",
  ].join(" ");
  const start = () =>
    as([`${bin}/pg_ctl`, "start", "-w", "-D", data, "-l", join(dir, "server.log"), "-o", settings]);
  start();
  outage = {
    down: () => as([`${bin}/pg_ctl`, "stop", "-m", "fast", "-D", data]),
    up: start,
    freeze: () => {
      const postmaster = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
      // The postmaster first, so it forks no new backend meanwhile; then every child it has.
      process.kill(postmaster, "SIGSTOP");
      const pids = childrenOf(postmaster);
      for (const pid of pids) process.kill(pid, "SIGSTOP");
      return [postmaster, ...pids];
    },
  };
  stop = () => {
    stop = undefined;
    Bun.spawnSync(
      (asPostgres ? ["runuser", "-u", "postgres", "--"] : []).concat([
        `${bin}/pg_ctl`,
        "stop",
        "-m",
        "immediate",
        "-D",
        data,
      ]),
      { stdout: "ignore", stderr: "ignore" },
    );
    rmSync(dir, { recursive: true, force: true });
  };
  // bun test runs no "exit" listeners: the preload's afterAll stops it there; scripts (the bench)
  // stop it on exit.
  process.on("exit", () => stop?.());
  const admin = new SQL({ url: databaseUrl(port, "postgres"), max: 1 });
  return { port, admin };
}

/** pids whose parent is `parent`, from /proc (no procps needed) */
function childrenOf(parent: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its ")".
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function run(cmd: string[]): string {
  const out = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
  if (out.exitCode !== 0) {
    throw new Error(`${cmd.join(" ")} failed: ${out.stderr.toString().trim()}`);
  }
  return out.stdout.toString().trim();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
