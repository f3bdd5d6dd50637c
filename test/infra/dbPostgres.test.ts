// openPostgres: migrations once however many processes start; a wrong DATABASE_URL is one
// readable line within seconds; a health check answers even when the server stops answering.
import { describe, expect, test } from "bun:test";
import type { Socket, TCPSocketListener } from "bun";
import { sql } from "drizzle-orm";
import { migrationJournal } from "../../db/migrations-pg/index.ts";
import type { Db } from "../../src/infra/db.ts";
import { openPostgres } from "../../src/infra/dbPostgres.ts";
import { freshDatabase } from "../helpers/postgres.ts";

const MIGRATIONS = migrationJournal.entries.length;

async function applied(db: Db): Promise<number> {
  const rows = (await db.execute(
    sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
  )) as unknown as { n: number }[];
  return rows[0]!.n;
}

const DB_FILE = new URL("../../src/infra/dbPostgres.ts", import.meta.url).pathname;

/** `bun` in a child process opening `url`: prints "opened" or the error's message. */
function openInChild(url: string) {
  const script = `
    const { openPostgres } = await import(${JSON.stringify(DB_FILE)});
    try { const db = await openPostgres(${JSON.stringify(url)}); await db.close(); console.log("opened"); }
    catch (e) { console.log(e.message); process.exit(1); }`;
  return Bun.spawn([process.execPath, "--eval", script], { stdout: "pipe", stderr: "pipe" });
}

describe("openPostgres", () => {
  test("opening again (the restart) applies nothing and keeps the data", async () => {
    const url = await freshDatabase();
    const first = await openPostgres(url);
    await first
      .insert(first.t.stores)
      .values({ id: "s1", name: "다시 카페", lat: 37, lng: 127, pinHash: "x" });
    expect(await applied(first)).toBe(MIGRATIONS);
    await first.close();

    const again = await openPostgres(url);
    expect(await applied(again)).toBe(MIGRATIONS);
    expect((await again.select().from(again.t.stores)).map((s) => s.name)).toEqual(["다시 카페"]);
    expect(await again.ping()).toBe(true);
    await again.close();
  });

  test("JSON columns hold JSON the server can read, and come back as written", async () => {
    const db = await openPostgres(await freshDatabase());
    const { stores, menuItems } = db.t;
    const optionGroups = [
      { name: "온도", required: true, choices: [{ name: "ICE", priceDelta: 500 }] },
    ];
    await db
      .insert(stores)
      .values({ id: "s1", name: "제이슨 카페", lat: 37, lng: 127, pinHash: "x" });
    await db
      .insert(menuItems)
      .values({ id: "m1", storeId: "s1", name: "라떼", price: 5000, optionGroups });
    const [row] = (await db.execute(
      sql`SELECT jsonb_typeof(option_groups) AS kind, option_groups->0->>'name' AS first FROM menu_items`,
    )) as unknown as { kind: string; first: string }[];
    expect(row).toEqual({ kind: "array", first: "온도" });
    expect((await db.select().from(menuItems))[0]!.optionGroups).toEqual(optionGroups);
    await db.close();
  });

  test("a statement running past the statement timeout is cancelled by the server", async () => {
    const db = await openPostgres(await freshDatabase(), { statementTimeoutMs: 200 });
    const err = (await db.execute(sql`SELECT pg_sleep(3)`).then(
      () => new Error("it ran to the end"),
      (e) => e,
    )) as Error & { cause?: Error };
    expect(`${err.message} ${err.cause?.message}`).toContain("statement timeout");
    await db.close();
  });

  test("four processes starting at once on a new database all start, migrations applied once", async () => {
    const url = await freshDatabase();
    const children = Array.from({ length: 4 }, () => openInChild(url));
    const said = await Promise.all(children.map((c) => new Response(c.stdout).text()));
    expect(said.map((s) => s.trim())).toEqual(["opened", "opened", "opened", "opened"]);
    const db = await openPostgres(url);
    expect(await applied(db)).toBe(MIGRATIONS);
    await db.close();
  }, 60_000);

  test("a wrong DATABASE_URL fails with one line saying where and why", async () => {
    const url = new URL(await freshDatabase());
    const refused = await openPostgres("postgres://postgres@127.0.0.1:1/so").catch((e) => e);
    expect(refused.message).toBe(
      "PostgreSQL at 127.0.0.1:1/so: connection refused (is it running?)",
    );
    const noDb = await openPostgres(`postgres://postgres@127.0.0.1:${url.port}/nope`).catch(
      (e) => e,
    );
    expect(noDb.message).toBe(
      `PostgreSQL at 127.0.0.1:${url.port}/nope: database "nope" does not exist`,
    );
    const notPg = await openPostgres("mysql://me:secret@db/so").catch((e) => e);
    expect(notPg.message).toBe("DATABASE_URL must start with postgres:// (got mysql://)");
    for (const e of [refused, noDb, notPg]) expect(e.message).not.toContain("\n");
  });

  test("a server that accepts and never answers: the start gives up with a message", async () => {
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const err = await openPostgres(`postgres://u:secret@127.0.0.1:${silent.port}/so`).catch(
        (e) => e,
      );
      expect(err.message).toBe(`PostgreSQL at 127.0.0.1:${silent.port}/so: no answer within 5 s`);
      expect(err.message).not.toContain("secret");
    } finally {
      silent.stop(true);
    }
  }, 20_000);

  test("ping says false, and returns, when the server stops answering", async () => {
    const target = new URL(await freshDatabase());
    const gate = tcpGate(Number(target.port));
    const db = await openPostgres(
      `postgres://postgres@127.0.0.1:${gate.listener.port}${target.pathname}`,
    );
    expect(await db.ping()).toBe(true);
    gate.blackhole = true;
    expect(await db.ping()).toBe(false);
    gate.blackhole = false;
    gate.dropAll();
    await db.close().catch(() => undefined);
    gate.listener.stop(true);
  }, 20_000);
});

/** A TCP forwarder to the test server that can start swallowing everything (a network cut). */
function tcpGate(port: number) {
  type Peer = { peer?: Socket<Peer>; pending: Uint8Array[] };
  const open = new Set<Socket<Peer>>();
  const gate = {
    blackhole: false,
    listener: undefined as unknown as TCPSocketListener<Peer>,
    dropAll: () => {
      for (const s of open) s.end();
    },
  };
  const pass = (to: Socket<Peer> | undefined, data: Uint8Array, queue: Uint8Array[]) => {
    if (gate.blackhole) return;
    if (to) to.write(data);
    else queue.push(data.slice());
  };
  gate.listener = Bun.listen<Peer>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(client) {
        client.data = { pending: [] };
        open.add(client);
        Bun.connect<Peer>({
          hostname: "127.0.0.1",
          port,
          socket: {
            open(server) {
              server.data = { peer: client, pending: [] };
              open.add(server);
              client.data.peer = server;
              for (const d of client.data.pending) server.write(d);
            },
            data: (server, d) => pass(server.data.peer, d, []),
            close: () => {
              client.end();
            },
          },
        });
      },
      data: (client, d) => pass(client.data.peer, d, client.data.pending),
      close: (client) => {
        client.data.peer?.end();
      },
    },
  });
  return gate;
}
