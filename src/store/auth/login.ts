import type { Deps } from "../../deps.ts";
import { AppError } from "../../infra/errors.ts";
import { findActiveDevice, findStore } from "../admin.ts";
import { withinRadius } from "./geo.ts";
import { clearStoreFailures, recordFailure, refuseIfLocked } from "./loginThrottle.ts";
import { openSession } from "./session.ts";

export type LoginInput = {
  storeId: string;
  pin: string;
  deviceToken: string;
  location: { lat: number; lng: number; accuracy?: number | undefined };
};

let dummyHash: Promise<string> | null = null;
const unknownStoreHash = () => {
  dummyHash ??= Bun.password.hash("not-a-store-pin", { algorithm: "argon2id" });
  return dummyHash;
};

const badCredentials = (attemptsLeft: number) =>
  new AppError(401, "invalid_credentials", "The PIN or this device is not right for the store.", {
    attemptsLeft,
  });

/** Store login: lockout, PIN, registered device, distance, then the one session. */
export async function loginStore(deps: Deps, input: LoginInput, addr: string) {
  const who = { storeId: input.storeId, addr };
  await refuseIfLocked(deps, who);
  const store = await findStore(deps.db, input.storeId);
  // An unknown store costs the same hash as a known one, so timing does not tell them apart.
  const pinOk = await Bun.password.verify(input.pin, store?.pinHash ?? (await unknownStoreHash()));
  const device =
    store && pinOk ? await findActiveDevice(deps.db, store.id, input.deviceToken) : undefined;
  if (!store || !device) {
    // An unknown store id is counted (and locked) like a known one, so the attempts left do
    // not tell them apart.
    const attemptsLeft = await recordFailure(deps, who);
    deps.metrics.loginAttempts.inc({ outcome: "bad_credentials" });
    throw badCredentials(attemptsLeft);
  }
  const where = withinRadius(store, input.location, deps.config.loginRadiusM);
  if (!where.ok) {
    deps.metrics.loginAttempts.inc({ outcome: "too_far" });
    throw new AppError(
      403,
      "too_far",
      `This device is ${where.distance} m from the store; log in within ${deps.config.loginRadiusM} m.`,
      { distanceM: where.distance, radiusM: deps.config.loginRadiusM },
    );
  }
  const { cookie } = await openSession(deps, store.id, device.id);
  await clearStoreFailures(deps, store.id);
  deps.metrics.loginAttempts.inc({ outcome: "ok" });
  return { cookie, storeId: store.id, storeName: store.name };
}
