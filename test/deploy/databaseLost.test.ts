import { afterAll, expect, test } from "bun:test";
import type { Socket, TCPSocketListener } from "bun";
import { openPostgres } from "../../src/infra/dbPostgres.ts";
import { freshDatabase } from "../helpers/postgres.ts";
import { login, makeTestDeps, seedStore } from "../helpers/testDeps.ts";

/**
 * A TCP relay between the app and the test PostgreSQL: `cut` drops every connection and refuses
 * new ones (the database host lost), `mend` listens again on the same port (it is back).
 */
function relay(targetPort: number) {
  type Side = { up: Socket | null; early: Uint8Array[] };
  let listener: TCPSocketListener<Side> | null = null;
  let port = 0;
  const listen = () => {
    listener = Bun.listen<Side>({
      hostname: "127.0.0.1",
      port,
      socket: {
        async open(client) {
          client.data = { up: null, early: [] };
          try {
            const up = await Bun.connect({
              hostname: "127.0.0.1",
              port: targetPort,
              socket: {
                data: (_, bytes) => void client.write(bytes),
                close: () => void client.end(),
                error: () => void client.end(),
              },
            });
            for (const bytes of client.data.early) up.write(bytes);
            client.data = { up, early: [] };
          } catch {
            client.end();
          }
        },
        data(client, bytes) {
          if (client.data.up) client.data.up.write(bytes);
          else client.data.early.push(new Uint8Array(bytes));
        },
        close: (client) => void client.data.up?.end(),
        error: (client) => void client.data.up?.end(),
      },
    });
    port = listener.port;
  };
  listen();
  return {
    port: () => port,
    cut: () => listener?.stop(true),
    mend: listen,
  };
}

const target = new URL(await freshDatabase());
const db0 = relay(Number(target.port));
const url = new URL(target);
url.port = String(db0.port());
const t = makeTestDeps({ db: await openPostgres(url.toString()) });
afterAll(async () => {
  db0.cut();
  await t.close();
});

async function until(check: () => Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await Bun.sleep(200);
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

test("PostgreSQL lost mid-day: /healthz 503, the counter screen gets a clear 503 at once, and all comes back by itself", async () => {
  const store = await seedStore(t.deps);
  const { cookie } = await login(t.app, store);
  const menu = () => t.app.request("/store/menu", { headers: { cookie } });
  expect((await menu()).status).toBe(200);

  db0.cut();
  const health = await t.app.request("/healthz");
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({ ok: false, redis: true, postgres: false });
  const started = performance.now();
  const res = await menu();
  expect(performance.now() - started).toBeLessThan(5000);
  expect(res.status).toBe(503);
  expect(await res.json()).toMatchObject({ error: "unavailable" });

  db0.mend();
  await until(async () => (await t.app.request("/healthz")).status === 200, 15_000, "healthy");
  // The second visit: the same session, the same screen, nothing to redo.
  expect((await menu()).status).toBe(200);
}, 30_000);
