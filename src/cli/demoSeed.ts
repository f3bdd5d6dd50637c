import { and, asc, eq, isNull } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Db } from "../infra/db.ts";
import { createStore, findActiveDevice, registerDevice, setStorePin } from "../store/admin.ts";
import { addMenuItems, listMenu } from "../store/menu/menu.ts";
import { menuItemInput } from "../store/menu/schema.ts";
import { demoDeviceLabel, demoMenu, demoStore } from "./demoMenu.ts";

/**
 * Creates (or refreshes) the demo café. Running it again keeps the store and its menu, resets the
 * PIN and replaces the demo counter device with a fresh token — or keeps `deviceToken` when given
 * and still registered (`bun run demo` does, so a browser that saved it logs in again).
 */
export async function seedDemo(db: Db, config: Config, opts: { deviceToken?: string } = {}) {
  const storeId = await ensureStore(db);
  if ((await listMenu(db, storeId)).length === 0) {
    await addMenuItems(db, storeId, menuItemInput.array().parse(demoMenu));
  }
  const kept = opts.deviceToken && (await findActiveDevice(db, storeId, opts.deviceToken));
  if (!kept) await revokeDemoDevices(db, storeId);
  const deviceToken = kept
    ? opts.deviceToken!
    : (await registerDevice(db, storeId, demoDeviceLabel, opts.deviceToken)).deviceToken;
  // Read back rather than returning the insert result so both runs list items in menu order.
  const items = (await listMenu(db, storeId)).map((i) => ({
    itemId: i.id,
    name: i.name,
    price: i.price,
  }));
  return {
    storeId,
    name: demoStore.name,
    pin: demoStore.pin,
    deviceToken,
    lat: demoStore.lat,
    lng: demoStore.lng,
    items,
    skillKey: config.skillKey ?? null,
  };
}

async function ensureStore(db: Db): Promise<string> {
  const { stores } = db.t;
  const [existing] = await db
    .select({ id: stores.id })
    .from(stores)
    .where(eq(stores.name, demoStore.name))
    .orderBy(asc(stores.createdAt))
    .limit(1);
  if (existing) return (await setStorePin(db, existing.id, demoStore.pin)).storeId;
  return (await createStore(db, demoStore)).storeId;
}

// The old tokens are unknown (only hashes are kept), so revoke by label instead of revokeDevice().
async function revokeDemoDevices(db: Db, storeId: string, now = Date.now()) {
  const { devices } = db.t;
  await db
    .update(devices)
    .set({ revokedAt: now })
    .where(
      and(
        eq(devices.storeId, storeId),
        eq(devices.label, demoDeviceLabel),
        isNull(devices.revokedAt),
      ),
    );
}
