// A whole "host" in real processes: the server (bun src/main.ts) with its embedded Redis (AOF)
// and SQLite file under one DATA_DIR, driven over HTTP like customers and a counter would. Used
// by the power-cut tests and by `bun run chaos`, which prints the figures.
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { Redis } from "ioredis";
import type { startTestEmulator } from "./emulator.ts";
import { callSkill } from "./skill.ts";
import { SEOUL } from "./testDeps.ts";

const ROOT = join(import.meta.dir, "../..");
type Emulator = ReturnType<typeof startTestEmulator>;
const DB_FILES = ["simple-order.db", "simple-order.db-wal"];

export type PaidOrder = { orderId: string; tid: string; shownPickup: number | null; at: number };

export class Host {
  readonly dataDir = mkdtempSync(join(tmpdir(), "so-host-"));
  readonly port = 20_000 + Math.floor(Math.random() * 20_000);
  readonly base = `http://127.0.0.1:${this.port}`;
  proc: Subprocess | null = null;
  cookie = "";
  store = { storeId: "", pin: "", deviceToken: "", itemId: "" };
  private redisPid = 0;
  private n = 0;

  constructor(
    private emu: Emulator,
    private extraEnv: Record<string, string> = {},
  ) {}

  env() {
    const { REDIS_URL: _ignored, ...rest } = process.env;
    return {
      ...rest,
      ...this.emu.env,
      ...this.extraEnv,
      DATA_DIR: this.dataDir,
      PORT: String(this.port),
      PUBLIC_URL: this.base,
      SKILL_KEY: "test-skill-key",
      OPERATOR_TOKEN: "test-operator-token",
      LOG_LEVEL: "warn",
    };
  }

  /** Starts the server and waits for /healthz; returns how long that took (ms). */
  async start() {
    const t0 = performance.now();
    this.proc = Bun.spawn(["bun", "src/main.ts"], {
      cwd: ROOT,
      env: this.env(),
      stdout: "ignore",
      stderr: "ignore",
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const ok = await fetch(`${this.base}/healthz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) {
        this.redisPid = await this.readRedisPid();
        return performance.now() - t0;
      }
      await Bun.sleep(50);
    }
    throw new Error("the server did not answer /healthz");
  }

  private async readRedisPid() {
    const redis = new Redis({ path: join(this.dataDir, "redis", "redis.sock") });
    try {
      const info = await redis.info("server");
      return Number(/process_id:(\d+)/.exec(info)?.[1]);
    } finally {
      redis.disconnect();
    }
  }

  /** A store with the demo menu, logged in, its day OPEN. */
  async openShop() {
    const seeded = Bun.spawnSync(["bun", "src/cli/main.ts", "demo:seed", "--json"], {
      cwd: ROOT,
      env: this.env(),
    });
    const demo = JSON.parse(seeded.stdout.toString()) as {
      storeId: string;
      pin: string;
      deviceToken: string;
      items: { itemId: string; name: string }[];
    };
    const item = demo.items.find((i) => i.name === "바스크 치즈케이크") ?? demo.items.at(-1)!;
    this.store = { ...demo, itemId: item.itemId };
    await this.login();
    for (const step of ["ready", "open"]) {
      const res = await this.post(`/store/day/${step}`);
      if (res.status !== 204) throw new Error(`${step}: ${res.status} ${await res.text()}`);
    }
  }

  async login() {
    const res = await fetch(`${this.base}/store/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...this.store, location: SEOUL }),
    });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
    this.cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  }

  post(path: string, body?: unknown) {
    return fetch(`${this.base}${path}`, {
      method: "POST",
      headers: { cookie: this.cookie, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.base}${path}`, { headers: { cookie: this.cookie } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  private get over() {
    return { request: (path: string, init?: RequestInit) => fetch(`${this.base}${path}`, init) };
  }

  /** A customer fills a cart and presses 주문하기: the order is waiting at KakaoPay. */
  async place() {
    const user = `cut-user-${++this.n}-${this.port}`;
    await callSkill(this.over, "/cart/add", user, { clientExtra: { itemId: this.store.itemId } });
    const placed = await callSkill(this.over, "/orders/place", user);
    const payUrl: string = placed.template.outputs[0]!.basicCard.buttons[0].webLinkUrl;
    return { user, tid: payUrl.split("/").at(-1)! };
  }

  /** The customer approves at KakaoPay; returns our approval URL KakaoPay redirected to. */
  async approveAtKakaoPay(tid: string) {
    return this.emu.customerApproves(tid);
  }

  /** The customer's browser loads the approval URL: the pickup number shown, or null. */
  async approvalPage(url: string) {
    const html = await fetch(url.replace(/^http:\/\/[^/]+/, this.base))
      .then((r) => r.text())
      .catch(() => "");
    const m = /<p class="pickup">(\d+)<\/p>/.exec(html);
    return m ? Number(m[1]) : null;
  }

  /** Place, approve and load the approval page, as one customer does. */
  async payOne(): Promise<PaidOrder> {
    const { tid } = await this.place();
    const url = await this.approveAtKakaoPay(tid);
    const orderId = new URL(url).pathname.split("/")[3]!;
    return { orderId, tid, shownPickup: await this.approvalPage(url), at: Date.now() };
  }

  /** SIGSTOP the server and its Redis: nothing moves while the disks are copied. */
  freeze() {
    this.proc!.kill("SIGSTOP");
    process.kill(this.redisPid, "SIGSTOP");
  }
  thaw() {
    process.kill(this.redisPid, "SIGCONT");
    this.proc!.kill("SIGCONT");
  }

  /** What the disks hold right now (Redis AOF directory and the SQLite files), frozen. */
  snapshot() {
    const dir = mkdtempSync(join(tmpdir(), "so-cut-"));
    this.freeze();
    try {
      cpSync(join(this.dataDir, "redis"), join(dir, "redis"), {
        recursive: true,
        filter: (src) => !src.endsWith(".sock") && !src.endsWith(".log"),
      });
      for (const f of DB_FILES) {
        if (readdirSync(this.dataDir).includes(f)) cpSync(join(this.dataDir, f), join(dir, f));
      }
    } finally {
      this.thaw();
    }
    return dir;
  }

  /** The host loses power: Redis and the server die at once, nothing is flushed or stopped. */
  async powerCut() {
    process.kill(this.redisPid, "SIGKILL");
    this.proc!.kill("SIGKILL");
    await this.proc!.exited;
    for (let i = 0; i < 100 && alive(this.redisPid); i++) await Bun.sleep(20);
  }

  /** Puts back what a power cut leaves: the older copy of Redis, of SQLite, or of both. */
  restore(snapshotDir: string, what: { redis: boolean; sqlite: boolean }) {
    if (what.redis) {
      rmSync(join(this.dataDir, "redis"), { recursive: true, force: true });
      cpSync(join(snapshotDir, "redis"), join(this.dataDir, "redis"), { recursive: true });
    }
    if (what.sqlite) {
      for (const f of [...DB_FILES, "simple-order.db-shm"]) {
        rmSync(join(this.dataDir, f), { force: true });
      }
      for (const f of DB_FILES) {
        if (readdirSync(snapshotDir).includes(f))
          cpSync(join(snapshotDir, f), join(this.dataDir, f));
      }
    }
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode) return;
    this.proc.kill("SIGTERM");
    await this.proc.exited;
  }

  /** The day's paid orders as the counter lists them. */
  async orders() {
    return (
      await this.get<{
        orders: { id: string; status: string; pickupNumber: number; totalAmount: number }[];
      }>("/store/orders?status=PAID,ACCEPTED,READY,PICKED_UP,CANCELED")
    ).orders;
  }

  /** Every entry of the day stream, as a counter screen opening now receives it. */
  async feed() {
    const res = await fetch(`${this.base}/store/events`, { headers: { cookie: this.cookie } });
    const reader = res.body!.getReader();
    const entries: { id: string; event: string; data: Record<string, unknown> }[] = [];
    let buf = "";
    const decoder = new TextDecoder();
    const deadline = Date.now() + 3000;
    let quietSince = Date.now();
    while (Date.now() < deadline && Date.now() - quietSince < 400) {
      const chunk = await Promise.race([reader.read(), Bun.sleep(100).then(() => null)]);
      if (!chunk) continue;
      if (chunk.done) break;
      quietSince = Date.now();
      buf += decoder.decode(chunk.value, { stream: true });
      let end = buf.indexOf("\n\n");
      while (end >= 0) {
        const frame = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const field = (name: string) =>
          frame
            .split("\n")
            .find((l) => l.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim();
        const event = field("event");
        if (event)
          entries.push({ id: field("id") ?? "", event, data: JSON.parse(field("data") ?? "{}") });
        end = buf.indexOf("\n\n");
      }
    }
    await reader.cancel().catch(() => {});
    return entries;
  }

  cleanup() {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
