import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { runCli } from "../../src/cli/cli.ts";
import { type Db, openSqlite, sqliteClient } from "../../src/infra/db.ts";
import { sha256 } from "../../src/infra/ids.ts";
import { devices, menuItems, stores } from "../helpers/tables.ts";

let dir: string;
let databasePath: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "so-cli-"));
  databasePath = join(dir, "cli.db");
  db = openSqlite(databasePath);
});

afterAll(() => {
  sqliteClient(db).close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: { DATABASE_PATH: databasePath },
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Runs a command with --json and returns its single JSON object. */
async function cliJson(...argv: string[]) {
  const r = await cli(...argv, "--json");
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

async function expectFailure(argv: string[], message: string | RegExp) {
  const r = await cli(...argv);
  expect(r.code).toBe(1);
  expect(r.out).toBe("");
  expect(r.err).toMatch(message);
  expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  return r;
}

const newStore = (name = "테스트 카페", pin = "4321") =>
  cliJson("store:create", "--name", name, "--lat", "37.5", "--lng=127.01", "--pin", pin);

const storeRow = async (id: string) => (await db.select().from(stores).where(eq(stores.id, id)))[0];

function writeMenu(name: string, body: unknown) {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(body));
  return file;
}

describe("store:create", () => {
  test("prints {storeId} and stores the PIN as a verifiable hash", async () => {
    const result = await newStore();
    expect(Object.keys(result)).toEqual(["storeId"]);
    const row = await storeRow(result.storeId);
    expect(row).toMatchObject({ name: "테스트 카페", lat: 37.5, lng: 127.01 });
    expect(row?.pinHash).not.toContain("4321");
    expect(await Bun.password.verify("4321", row!.pinHash)).toBe(true);
  });

  test("without --json prints a readable line", async () => {
    const r = await cli("store:create", "--name", "a", "--lat", "0", "--lng", "0", "--pin", "0000");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/store created\): \S+/);
  });

  test("bad arguments exit 1 with a message and a usage hint", async () => {
    const ok = ["--lat", "37", "--lng", "127", "--pin", "1234"];
    await expectFailure(["store:create", ...ok], /--name: is required[\s\S]*usage: .*store:create/);
    await expectFailure(
      ["store:create", "--name", "x", "--lat", "abc", "--lng", "127", "--pin", "1234"],
      "--lat: must be a number",
    );
    await expectFailure(
      ["store:create", "--name", "x", "--lat", "91", "--lng", "127", "--pin", "1234"],
      "--lat: must be between -90 and 90",
    );
    await expectFailure(
      ["store:create", "--name", "x", "--lat", "37", "--lng", "127", "--pin", "12", "--json"],
      "--pin: PIN must be 4 to 8 digits",
    );
    await expectFailure(
      ["store:create", "--name", "x".repeat(51), ...ok],
      "--name: must be at most 50 characters",
    );
    await expectFailure(
      ["store:create", "--name", "x", ...ok, "--color", "red"],
      /Unknown option '--color'/,
    );
    expect(await db.select().from(stores).where(eq(stores.name, "x"))).toHaveLength(0);
  });
});

test("unknown or missing command exits 1 with the usage", async () => {
  const unknown = await expectFailure(["store:delete", "--json"], "unknown command 'store:delete'");
  expect(unknown.err).toContain("usage: bun run cli <command>");
  await expectFailure([], "missing command");
});

test("a bad environment prints the config error", async () => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(["demo:seed", "--json"], {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: { DATABASE_PATH: databasePath, PORT: "abc" },
  });
  expect(code).toBe(1);
  expect(out).toEqual([]);
  expect(err.join("\n")).toContain('config: PORT="abc" is invalid');
});

describe("store:pin", () => {
  test("changes the PIN", async () => {
    const { storeId } = await newStore();
    expect(await cliJson("store:pin", "--store", storeId, "--pin", "98765432")).toEqual({
      storeId,
    });
    const hash = (await storeRow(storeId))!.pinHash;
    expect(await Bun.password.verify("98765432", hash)).toBe(true);
    expect(await Bun.password.verify("4321", hash)).toBe(false);
  });

  test("an unknown store exits 1", async () => {
    await expectFailure(
      ["store:pin", "--store", "nope", "--pin", "1234", "--json"],
      "store does not exist",
    );
  });
});

describe("devices", () => {
  test("register stores only the token's hash; revoke sets revokedAt once", async () => {
    const { storeId } = await newStore();
    const { deviceToken } = await cliJson(
      "device:register",
      "--store",
      storeId,
      "--label",
      "카운터 1",
    );
    expect(deviceToken).toBeString();
    const rows = await db.select().from(devices).where(eq(devices.storeId, storeId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      tokenHash: sha256(deviceToken),
      label: "카운터 1",
      revokedAt: null,
    });
    expect(JSON.stringify(rows)).not.toContain(deviceToken);

    const revoke = ["device:revoke", "--store", storeId, "--device", deviceToken];
    expect(await cliJson(...revoke)).toEqual({ revoked: true });
    const after = (await db.select().from(devices).where(eq(devices.storeId, storeId)))[0];
    expect(after?.revokedAt).toBeNumber();

    await expectFailure(revoke, "active device for this store does not exist");
    await expectFailure(
      ["device:revoke", "--store", storeId, "--device", "unknown"],
      "does not exist",
    );
  });

  test("register for an unknown store exits 1", async () => {
    await expectFailure(["device:register", "--store", "nope"], "store does not exist");
  });
});

describe("menu:import", () => {
  const latte = {
    name: "카페라떼",
    price: 5000,
    category: "커피",
    optionGroups: [
      {
        name: "온도",
        required: true,
        choices: [
          { name: "핫", priceDelta: 0 },
          { name: "아이스", priceDelta: 0 },
        ],
      },
    ],
  };

  test("writes every item with its option groups", async () => {
    const { storeId } = await newStore();
    const file = writeMenu("ok.json", { items: [latte, { name: "쿠키", price: 2500 }] });
    const { items } = await cliJson("menu:import", "--store", storeId, file);
    expect(items.map((i: { name: string; price: number }) => [i.name, i.price])).toEqual([
      ["카페라떼", 5000],
      ["쿠키", 2500],
    ]);
    const rows = await db.select().from(menuItems).where(eq(menuItems.storeId, storeId));
    expect(rows.map((r) => r.id).sort()).toEqual(
      items.map((i: { itemId: string }) => i.itemId).sort(),
    );
    const row = rows.find((r) => r.name === "카페라떼");
    expect(row?.optionGroups).toEqual(latte.optionGroups);
    expect(rows.find((r) => r.name === "쿠키")).toMatchObject({
      category: "메뉴",
      optionGroups: [],
    });
  });

  test("one invalid item writes nothing and names the field", async () => {
    const { storeId } = await newStore();
    const bad = { name: "비싼 라떼", price: "5000" };
    const file = writeMenu("bad.json", { items: [latte, latte, bad] });
    const r = await expectFailure(
      ["menu:import", "--store", storeId, file, "--json"],
      "items[2].price",
    );
    expect(r.err).toStartWith("error: invalid menu file");
    expect(await db.select().from(menuItems).where(eq(menuItems.storeId, storeId))).toHaveLength(0);
  });

  test("bad file, missing file argument or unknown store exit 1", async () => {
    const { storeId } = await newStore();
    const notJson = join(dir, "not.json");
    writeFileSync(notJson, "{ items: ");
    await expectFailure(["menu:import", "--store", storeId, notJson], "cannot read");
    await expectFailure(
      ["menu:import", "--store", storeId, join(dir, "missing.json")],
      "cannot read",
    );
    await expectFailure(
      ["menu:import", "--store", storeId],
      /expected exactly one FILE.json[\s\S]*usage:/,
    );
    const file = writeMenu("ok2.json", { items: [latte] });
    await expectFailure(["menu:import", "--store", "nope", file], "store does not exist");
  });
});

describe("demo:seed", () => {
  test("is idempotent: same store and items, fresh token, old token revoked", async () => {
    const first = await cliJson("demo:seed");
    expect(first).toMatchObject({
      name: "심플커피 성수점",
      pin: "1234",
      lat: 37.5446,
      lng: 127.0557,
      skillKey: null,
    });
    expect(first.items.length).toBeGreaterThanOrEqual(6);
    expect(first.items).toContainEqual(
      expect.objectContaining({ name: "아메리카노", price: 4500 }),
    );

    await cliJson("store:pin", "--store", first.storeId, "--pin", "5555");
    const second = await cliJson("demo:seed");
    expect(second.storeId).toBe(first.storeId);
    expect(second.items).toEqual(first.items);
    expect(second.deviceToken).not.toBe(first.deviceToken);

    const rows = await db.select().from(devices).where(eq(devices.storeId, first.storeId));
    const byToken = (t: string) => rows.find((d) => d.tokenHash === sha256(t));
    expect(byToken(first.deviceToken)?.revokedAt).toBeNumber();
    expect(byToken(second.deviceToken)).toMatchObject({ label: "demo-counter", revokedAt: null });
    expect(await Bun.password.verify("1234", (await storeRow(first.storeId))!.pinHash)).toBe(true);
    expect(await db.select().from(stores).where(eq(stores.name, "심플커피 성수점"))).toHaveLength(
      1,
    );
  });

  test("the menu has categories, option groups and a dessert without options", async () => {
    const { storeId } = await cliJson("demo:seed");
    const rows = await db.select().from(menuItems).where(eq(menuItems.storeId, storeId));
    expect(new Set(rows.map((r) => r.category))).toEqual(new Set(["커피", "논커피", "디저트"]));
    const americano = rows.find((r) => r.name === "아메리카노");
    expect(americano?.optionGroups.map((g) => [g.name, g.required])).toEqual([
      ["온도", true],
      ["사이즈", true],
      ["샷 추가", false],
      ["시럽", false],
    ]);
    expect(rows.some((r) => r.category === "디저트" && r.optionGroups.length === 0)).toBe(true);
  });

  test("reports the configured skill key", async () => {
    const out: string[] = [];
    const code = await runCli(["demo:seed", "--json"], {
      out: (s) => out.push(s),
      err: () => {},
      env: { DATABASE_PATH: databasePath, SKILL_KEY: "skill-key-123" },
    });
    expect(code).toBe(0);
    expect(JSON.parse(out.join(""))).toMatchObject({ skillKey: "skill-key-123" });
  });
});

test("the real process prints exactly one JSON object on stdout", async () => {
  const proc = Bun.spawn(
    [
      "bun",
      "src/cli/main.ts",
      "store:create",
      "--name",
      "프로세스",
      "--lat",
      "37",
      "--lng",
      "127",
      "--pin",
      "1234",
      "--json",
    ],
    {
      cwd: join(import.meta.dir, "../.."),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DATABASE_PATH: databasePath,
      },
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  const { storeId } = JSON.parse(stdout);
  expect((await storeRow(storeId))?.name).toBe("프로세스");

  const bad = Bun.spawn(["bun", "src/cli/main.ts", "store:create", "--json"], {
    cwd: join(import.meta.dir, "../.."),
    env: { PATH: process.env.PATH ?? "", DATABASE_PATH: databasePath },
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(await bad.exited).toBe(1);
  expect(await new Response(bad.stdout).text()).toBe("");
  expect(await new Response(bad.stderr).text()).toStartWith("error: ");
});

describe("the demo's kept device token", () => {
  test("seedDemo keeps a given token that is still registered, and registers it when it is not", async () => {
    const { seedDemo } = await import("../../src/cli/demoSeed.ts");
    const { loadConfig } = await import("../../src/config.ts");
    const config = loadConfig({ DATABASE_PATH: databasePath });
    const first = await seedDemo(db, config, { deviceToken: "KeptDemoToken123" });
    expect(first.deviceToken).toBe("KeptDemoToken123");
    const again = await seedDemo(db, config, { deviceToken: "KeptDemoToken123" });
    expect(again.deviceToken).toBe("KeptDemoToken123");
    const active = (
      await db
        .select()
        .from(devices)
        .where(eq(devices.tokenHash, sha256("KeptDemoToken123")))
    ).filter((d) => d.revokedAt === null);
    expect(active).toHaveLength(1);
  });
});
