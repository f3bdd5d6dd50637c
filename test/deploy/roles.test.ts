import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { startTestEmulator } from "../helpers/emulator.ts";
import { callSkill } from "../helpers/skill.ts";
import { redisUrl, SEOUL } from "../helpers/testDeps.ts";

// Scale-out: ROLE=api serves HTTP only, ROLE=worker runs the queues only; two processes on one
// Redis and one SQLite file still turn an approval into one paid order.
const ROOT = join(import.meta.dir, "../..");
const emu = startTestEmulator();
const dir = mkdtempSync(join(tmpdir(), "so-roles-"));
const prefix = `r${Date.now().toString(36)}`;
const port = 20_000 + Math.floor(Math.random() * 20_000);
const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  ...emu.env,
  DATA_DIR: dir,
  REDIS_URL: redisUrl(),
  REDIS_KEY_PREFIX: prefix,
  PORT: String(port),
  PUBLIC_URL: base,
  SKILL_KEY: "test-skill-key",
  OPERATOR_TOKEN: "test-operator-token",
  LOG_LEVEL: "warn",
};
const procs: Subprocess[] = [];

function start(role: "api" | "worker") {
  const proc = Bun.spawn(["bun", "src/main.ts"], {
    cwd: ROOT,
    env: { ...env, ROLE: role },
    stdout: "ignore",
    stderr: "inherit",
  });
  procs.push(proc);
  return proc;
}

beforeAll(async () => {
  start("api");
  start("worker");
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${base}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await Bun.sleep(100);
  }
  throw new Error("ROLE=api did not answer /healthz");
}, 30_000); // a hook's default limit is 5 s: too short for two processes on a busy machine

afterAll(async () => {
  for (const p of procs) p.kill("SIGTERM");
  await Promise.all(procs.map((p) => p.exited));
  await emu.stop();
});

test("ROLE=api takes the order and the approval; ROLE=worker approves it; the counter sees it PAID", async () => {
  const seeded = Bun.spawnSync(["bun", "src/cli/main.ts", "demo:seed", "--json"], {
    cwd: ROOT,
    env,
  });
  const demo = JSON.parse(seeded.stdout.toString()) as {
    storeId: string;
    pin: string;
    deviceToken: string;
    items: { itemId: string; name: string }[];
  };
  const login = await fetch(`${base}/store/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      storeId: demo.storeId,
      pin: demo.pin,
      deviceToken: demo.deviceToken,
      location: SEOUL,
    }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  const post = (path: string) => fetch(`${base}${path}`, { method: "POST", headers: { cookie } });
  expect((await post("/store/day/ready")).status).toBe(204);
  expect((await post("/store/day/open")).status).toBe(204);

  const over = { request: (path: string, init?: RequestInit) => fetch(`${base}${path}`, init) };
  const dessert = demo.items.find((i) => i.name === "바스크 치즈케이크")!;
  await callSkill(over, "/cart/add", "roles-user", { clientExtra: { itemId: dessert.itemId } });
  const placed = await callSkill(over, "/orders/place", "roles-user");
  const payUrl: string = placed.template.outputs[0]!.basicCard.buttons[0].webLinkUrl;
  const approval = await emu.customerApproves(payUrl.split("/").at(-1)!);
  expect(approval).toStartWith(`${base}/pay/kakaopay/`);
  const page = await fetch(approval);
  expect(await page.text()).toContain("결제가 완료됐어요");

  const listed = (await (await fetch(`${base}/store/orders`, { headers: { cookie } })).json()) as {
    orders: { status: string; pickupNumber: number; totalAmount: number }[];
  };
  expect(listed.orders).toMatchObject([{ status: "PAID", pickupNumber: 1, totalAmount: 6500 }]);
}, 60_000);
