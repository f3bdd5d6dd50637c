import { readFileSync } from "node:fs";
import type { ParseArgsOptionsConfig } from "node:util";
import { z } from "zod";
import { takeBackup } from "../backup/backup.ts";
import { restoreBackup } from "../backup/restore.ts";
import type { Config } from "../config.ts";
import type { Db } from "../infra/db.ts";
import {
  createStore,
  registerDevice,
  requireStore,
  revokeDevice,
  setStorePin,
} from "../store/admin.ts";
import { addMenuItems } from "../store/menu/menu.ts";
import { menuItemInput } from "../store/menu/schema.ts";
import { seedDemo } from "./demoSeed.ts";
import { coordinateFlag, formatPath, parseFlags, pinFlag, textFlag, UsageError } from "./flags.ts";

/** `db()` opens the database on first use (`restore` must find DATA_DIR as empty as it was). */
export type Ctx = { db(): Promise<Db>; config: Config };
export type Result = { json: Record<string, unknown>; text: string };
export type Run = (ctx: Ctx) => Result | Promise<Result>;

export type Command = {
  args: string;
  summary: string;
  options: ParseArgsOptionsConfig;
  takesFile?: boolean;
  /** Validates the input before any DB is opened, and returns the work to do with it. */
  prepare(values: Record<string, unknown>, positionals: string[]): Run;
};

const str = { type: "string" } as const;
const idFlag = textFlag(100);

const storeCreate: Command = {
  args: "--name N --lat X --lng Y --pin P",
  summary: "create a store (매장 생성)",
  options: { name: str, lat: str, lng: str, pin: str },
  prepare(values) {
    const input = parseFlags(
      z.object({
        name: textFlag(50),
        lat: coordinateFlag(90),
        lng: coordinateFlag(180),
        pin: pinFlag,
      }),
      values,
    );
    return async (ctx) => {
      const db = await ctx.db();
      const { storeId } = await createStore(db, input);
      return { json: { storeId }, text: `매장을 만들었습니다 (store created): ${storeId}` };
    };
  },
};

const storePin: Command = {
  args: "--store ID --pin P",
  summary: "change a store's PIN (PIN 변경)",
  options: { store: str, pin: str },
  prepare(values) {
    const { store, pin } = parseFlags(z.object({ store: idFlag, pin: pinFlag }), values);
    return async (ctx) => {
      const db = await ctx.db();
      const { storeId } = await setStorePin(db, store, pin);
      return { json: { storeId }, text: `PIN을 변경했습니다 (PIN changed): ${storeId}` };
    };
  },
};

const deviceRegister: Command = {
  args: "--store ID [--label L]",
  summary: "register a counter device (기기 등록)",
  options: { store: str, label: str },
  prepare(values) {
    const { store, label } = parseFlags(
      z.object({ store: idFlag, label: textFlag(50).optional() }),
      values,
    );
    return async (ctx) => {
      const db = await ctx.db();
      const { deviceToken } = await registerDevice(db, store, label);
      return { json: { deviceToken }, text: `기기를 등록했습니다 (device token): ${deviceToken}` };
    };
  },
};

const deviceRevoke: Command = {
  args: "--store ID --device TOKEN",
  summary: "revoke a counter device (기기 해제)",
  options: { store: str, device: str },
  prepare(values) {
    const { store, device } = parseFlags(z.object({ store: idFlag, device: idFlag }), values);
    return async (ctx) => {
      const db = await ctx.db();
      const { revoked } = await revokeDevice(db, store, device);
      return { json: { revoked }, text: "기기를 해제했습니다 (device revoked)" };
    };
  },
};

const menuFile = z.object({
  items: z.array(menuItemInput).min(1, "must list at least one item").max(500),
});

const menuImport: Command = {
  args: "--store ID FILE.json",
  summary: "import menu items from a JSON file (메뉴 가져오기)",
  options: { store: str },
  takesFile: true,
  prepare(values, positionals) {
    const { store } = parseFlags(z.object({ store: idFlag }), values);
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length > 0)
      throw new UsageError("expected exactly one FILE.json");
    const { items } = readMenuFile(file);
    return async (ctx) => {
      const db = await ctx.db();
      await requireStore(db, store);
      const added = await addMenuItems(db, store, items);
      return {
        json: { items: added },
        text: `메뉴 ${added.length}개를 추가했습니다 (items imported)`,
      };
    };
  },
};

/** Reads and validates the whole file first, so an invalid item means nothing is written. */
function readMenuFile(file: string) {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = menuFile.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${formatPath(i.path) || "file"}: ${i.message}`);
  throw new Error(`invalid menu file ${file}: ${problems.join("; ")}`);
}

const demoSeed: Command = {
  args: "",
  summary: "create or refresh the demo café (데모 매장)",
  options: {},
  prepare() {
    return async (ctx) => {
      const demo = await seedDemo(await ctx.db(), ctx.config);
      const text = [
        `데모 매장 (demo store): ${demo.name} ${demo.storeId}`,
        `PIN: ${demo.pin}  기기 토큰 (device token): ${demo.deviceToken}`,
        `메뉴 ${demo.items.length}개 (items)`,
      ].join("\n");
      return { json: demo, text };
    };
  },
};

const pathFlag = textFlag(4096);

const backup: Command = {
  args: "--to DIR",
  summary: "online backup of SQLite and Redis into a new DIR (백업)",
  options: { to: str },
  prepare(values) {
    const { to } = parseFlags(z.object({ to: pathFlag }), values);
    return async ({ config }) => {
      const { dir, bytes, redis } = await takeBackup(config, to);
      const how = redis.capture === "bgsave" ? "BGSAVE" : `one DUMP script (${redis.note})`;
      const text = [
        `백업했습니다 (backup written): ${dir} — ${bytes} bytes`,
        `Redis keys ${redis.keys}, taken by ${how}`,
      ].join("\n");
      return { json: { dir, bytes }, text };
    };
  },
};

const restore: Command = {
  args: "--from DIR",
  summary: "restore a backup into an empty DATA_DIR (복원)",
  options: { from: str },
  prepare(values) {
    const { from } = parseFlags(z.object({ from: pathFlag }), values);
    return async ({ config }) => {
      const done = await restoreBackup(config, from);
      const text = [
        `복원했습니다 (restored): backup of ${done.createdAt} into ${config.dataDir}`,
        `Redis keys ${done.restored} (${done.expired} expired since, left out)`,
        "Start the server: it heals the live day from KakaoPay (docs/backup.md).",
      ].join("\n");
      return { json: { restored: true }, text };
    };
  },
};

export const commands = new Map<string, Command>([
  ["store:create", storeCreate],
  ["store:pin", storePin],
  ["device:register", deviceRegister],
  ["device:revoke", deviceRevoke],
  ["menu:import", menuImport],
  ["demo:seed", demoSeed],
  ["backup", backup],
  ["restore", restore],
]);
