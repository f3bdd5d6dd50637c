/**
 * Tiny request/response over Bun's child-process IPC, shared by the feed bench's processes.
 * The parent calls `child.call(cmd, args)`; the child answers with `serveRpc(handlers)`.
 */
import { readFileSync } from "node:fs";
import type { Subprocess } from "bun";

type Request = { id: number; cmd: string; args: unknown };
type Reply = { id: number; ok: boolean; result?: unknown; error?: string };

export type Handlers = Record<string, (args: never) => unknown>;

/** Child side: answers every request; exits after the reply to `stop`. */
export function serveRpc(handlers: Handlers) {
  const send = (reply: Reply) => process.send?.(reply);
  process.on("message", async (raw: unknown) => {
    const req = raw as Request;
    const handler = handlers[req.cmd] as ((args: unknown) => unknown) | undefined;
    try {
      if (!handler) throw new Error(`unknown command ${req.cmd}`);
      send({ id: req.id, ok: true, result: await handler(req.args) });
    } catch (err) {
      send({ id: req.id, ok: false, error: err instanceof Error ? err.stack : String(err) });
    }
    if (req.cmd === "stop") setTimeout(() => process.exit(0), 50);
  });
}

/** The RSS and heap of this process, after a full GC so before/after figures compare. */
export function memory() {
  Bun.gc(true);
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, fdLimit: fdLimits().soft };
}
export type Memory = ReturnType<typeof memory>;

/** RLIMIT_NOFILE (soft, hard) of this process, from /proc (Linux); nulls elsewhere. */
export function fdLimits(): { soft: number | null; hard: number | null } {
  try {
    const text = readFileSync("/proc/self/limits", "utf8");
    const line = text.split("\n").find((l) => l.startsWith("Max open files"));
    const [soft, hard] = (line ?? "").slice("Max open files".length).trim().split(/\s+/);
    const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : null);
    return { soft: num(soft), hard: num(hard) };
  } catch {
    return { soft: null, hard: null };
  }
}

/** Parent side: one child process running `script` with `role`, spoken to by `call`. */
export class Child {
  private next = 1;
  private pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  readonly proc: Subprocess;

  constructor(
    readonly name: string,
    script: string,
    argv: string[],
    env: Record<string, string | undefined>,
    bunFlags: string[] = [],
  ) {
    // `ulimit -n <hard>` first: each side holds one socket per feed.
    this.proc = Bun.spawn(
      ["sh", "-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh"].concat([
        process.execPath,
        ...bunFlags,
        script,
        ...argv,
      ]),
      {
        env: { ...process.env, ...env },
        stdio: ["ignore", "inherit", "inherit"],
        serialization: "json",
        ipc: (message) => this.onReply(message as Reply),
      },
    );
    void this.proc.exited.then((code) => {
      for (const p of this.pending.values()) p.reject(new Error(`${name} exited (${code})`));
      this.pending.clear();
    });
  }

  private onReply(reply: Reply) {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.result);
    else p.reject(new Error(`${this.name}: ${reply.error}`));
  }

  call<T>(cmd: string, args: unknown = null, timeoutMs = 60_000): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.send({ id, cmd, args } satisfies Request);
    });
  }

  /** Asks the child to stop; kills it (by its own pid) if it does not exit within 10 s. */
  async stop() {
    await this.call("stop", null, 15_000).catch(() => {});
    const exited = await Promise.race([
      this.proc.exited.then(() => true),
      Bun.sleep(10_000).then(() => false),
    ]);
    if (!exited) this.proc.kill("SIGKILL");
    await this.proc.exited;
  }
}
