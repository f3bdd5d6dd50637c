import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../infra/db.ts";
import { AppError, notFound } from "../infra/errors.ts";
import { newId, newSecret, sha256 } from "../infra/ids.ts";
import { prepared } from "../infra/prepared.ts";

/**
 * Operator actions on stores and their devices (CLI and seed). A new store is found by name and
 * by place at once: triggers on `stores` write its name pieces (migration 0004) and its lat/lng
 * are in the `stores_lat_lng` index.
 */
export async function createStore(
  db: Db,
  input: { name: string; lat: number; lng: number; pin: string },
) {
  const name = input.name.trim();
  if (name.length < 1 || name.length > STORE_NAME_MAX) {
    throw new AppError(
      400,
      "invalid_store_name",
      `A store name is 1 to ${STORE_NAME_MAX} characters.`,
    );
  }
  const id = newId();
  const pinHash = await hashPin(input.pin);
  await db.insert(db.t.stores).values({ id, name, lat: input.lat, lng: input.lng, pinHash });
  return { storeId: id };
}

/** The CLI's limit too; the name search indexes the first 100 characters. */
export const STORE_NAME_MAX = 50;

export async function setStorePin(db: Db, storeId: string, pin: string) {
  await requireStore(db, storeId);
  const { stores } = db.t;
  await db
    .update(stores)
    .set({ pinHash: await hashPin(pin) })
    .where(eq(stores.id, storeId));
  return { storeId };
}

/** Registers a counter device; the token is made here unless one is given (the demo's). */
export async function registerDevice(db: Db, storeId: string, label?: string, token?: string) {
  await requireStore(db, storeId);
  const deviceToken = token ?? newSecret();
  await db
    .insert(db.t.devices)
    .values({ id: newId(), storeId, tokenHash: sha256(deviceToken), label: label ?? null });
  return { deviceToken };
}

export async function revokeDevice(db: Db, storeId: string, deviceToken: string, now = Date.now()) {
  const { devices } = db.t;
  const found = await db
    .update(devices)
    .set({ revokedAt: now })
    .where(
      and(
        eq(devices.storeId, storeId),
        eq(devices.tokenHash, sha256(deviceToken)),
        isNull(devices.revokedAt),
      ),
    )
    .returning({ id: devices.id });
  if (found.length === 0) throw notFound("active device for this store");
  return { revoked: true as const };
}

export function findStore(db: Db, storeId: string) {
  return prepared(db).store(storeId);
}

export async function requireStore(db: Db, storeId: string) {
  const store = await findStore(db, storeId);
  if (!store) throw notFound("store");
  return store;
}

/** The live device registered to the store for this token, or undefined. */
export async function findActiveDevice(db: Db, storeId: string, deviceToken: string) {
  const { devices } = db.t;
  const [device] = await db
    .select()
    .from(devices)
    .where(
      and(
        eq(devices.storeId, storeId),
        eq(devices.tokenHash, sha256(deviceToken)),
        isNull(devices.revokedAt),
      ),
    );
  return device;
}

export async function isDeviceActive(db: Db, deviceId: string) {
  const { devices } = db.t;
  const [d] = await db
    .select({ revokedAt: devices.revokedAt })
    .from(devices)
    .where(eq(devices.id, deviceId));
  return d !== undefined && d.revokedAt === null;
}

export const pinSchemaMessage = "PIN must be 4 to 8 digits";
export function assertPin(pin: string) {
  if (!/^\d{4,8}$/.test(pin)) throw new AppError(400, "invalid_pin", `${pinSchemaMessage}.`);
}

async function hashPin(pin: string) {
  assertPin(pin);
  return Bun.password.hash(pin, { algorithm: "argon2id" });
}
