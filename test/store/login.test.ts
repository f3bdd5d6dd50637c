import { afterAll, describe, expect, test } from "bun:test";
import { revokeDevice } from "../../src/store/admin.ts";
import { login, makeTestDeps, post, SEOUL, seedStore } from "../helpers/testDeps.ts";

const t = makeTestDeps();
afterAll(() => t.close());
let addrSeq = 0;
const freshAddr = () => `10.1.0.${++addrSeq}`;

describe("store login", () => {
  test("the right PIN, device and place opens a session with a strict httpOnly cookie", async () => {
    const store = await seedStore(t.deps, { name: "성수 카페" });
    const { res } = await login(t.app, store, { addr: freshAddr() });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ storeId: store.storeId, storeName: "성수 카페" });
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).not.toContain("Secure");
  });

  test("a wrong PIN is 401 and opens no session", async () => {
    const store = await seedStore(t.deps);
    const { res, cookie } = await login(t.app, { ...store, pin: "9999" }, { addr: freshAddr() });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe("invalid_credentials");
    expect(cookie).toBe("");
    expect(await t.deps.redis.exists(t.deps.keys.storeSession(store.storeId))).toBe(0);
  });

  test("an unknown device, another store's device, or a revoked device is 401", async () => {
    const a = await seedStore(t.deps);
    const b = await seedStore(t.deps);
    expect(
      (await login(t.app, { ...a, deviceToken: "nope" }, { addr: freshAddr() })).res.status,
    ).toBe(401);
    expect(
      (await login(t.app, { ...a, deviceToken: b.deviceToken }, { addr: freshAddr() })).res.status,
    ).toBe(401);
    await revokeDevice(t.deps.db, a.storeId, a.deviceToken);
    expect((await login(t.app, a, { addr: freshAddr() })).res.status).toBe(401);
  });

  test("an unknown store is 401 with the same message as a wrong PIN", async () => {
    const { res } = await login(
      t.app,
      { storeId: "nope", pin: "1234", deviceToken: "x" },
      { addr: freshAddr() },
    );
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe("invalid_credentials");
  });

  test("too far from the store is 403 too_far with the distance", async () => {
    const store = await seedStore(t.deps);
    // Gangnam station is ~5 km from Seongsu.
    const { res } = await login(t.app, store, {
      location: { lat: 37.4979, lng: 127.0276 },
      addr: freshAddr(),
    });
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body.error).toBe("too_far");
    expect(body.distanceM).toBeGreaterThan(4000);
    // 200 m away is within the default 300 m.
    const near = await login(t.app, store, {
      location: { lat: SEOUL.lat + 0.0018, lng: SEOUL.lng },
      addr: freshAddr(),
    });
    expect(near.res.status).toBe(200);
  });

  test("a second device is refused while the first holds the store; the same device replaces its own session", async () => {
    const store = await seedStore(t.deps);
    const { registerDevice } = await import("../../src/store/admin.ts");
    const other = (await registerDevice(t.deps.db, store.storeId, "tablet 2")).deviceToken;
    const first = await login(t.app, store, { addr: freshAddr() });
    expect(first.res.status).toBe(200);
    const second = await login(t.app, { ...store, deviceToken: other }, { addr: freshAddr() });
    expect(second.res.status).toBe(409);
    expect((await second.res.json()).error).toBe("session_active");
    // The first session still works.
    expect((await t.app.request("/store/day", { headers: { cookie: first.cookie } })).status).toBe(
      200,
    );
    const again = await login(t.app, store, { addr: freshAddr() });
    expect(again.res.status).toBe(200);
    expect(again.cookie).not.toBe(first.cookie);
    expect((await t.app.request("/store/day", { headers: { cookie: first.cookie } })).status).toBe(
      401,
    );
    expect((await t.app.request("/store/day", { headers: { cookie: again.cookie } })).status).toBe(
      200,
    );
  });

  test("a session replaced by the same device's new login answers 401 session_replaced", async () => {
    const store = await seedStore(t.deps);
    const first = await login(t.app, store, { addr: freshAddr() });
    const again = await login(t.app, store, { addr: freshAddr() });
    expect(again.res.status).toBe(200);
    for (const path of ["/store/day", "/store/events", "/store/orders"]) {
      const res = await t.app.request(path, { headers: { cookie: first.cookie } });
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect((await res.json()).error).toBe("session_replaced");
    }
    // The next visit: the first screen logs in again and takes the store back; the second
    // screen is told in turn, and a plain logout stays a plain 401.
    const back = await login(t.app, store, { addr: freshAddr() });
    expect(back.res.status).toBe(200);
    const replaced = await t.app.request("/store/day", { headers: { cookie: again.cookie } });
    expect((await replaced.json()).error).toBe("session_replaced");
    expect((await post(t.app, "/store/auth/logout", back.cookie)).status).toBe(204);
    const out = await t.app.request("/store/day", { headers: { cookie: back.cookie } });
    expect(out.status).toBe(401);
    expect((await out.json()).error).toBe("unauthorized");
  });

  test("logout ends the session; the next device may log in", async () => {
    const store = await seedStore(t.deps);
    const { registerDevice } = await import("../../src/store/admin.ts");
    const other = (await registerDevice(t.deps.db, store.storeId)).deviceToken;
    const { cookie } = await login(t.app, store, { addr: freshAddr() });
    const out = await t.app.request("/store/auth/logout", { method: "POST", headers: { cookie } });
    expect(out.status).toBe(204);
    expect((await t.app.request("/store/day", { headers: { cookie } })).status).toBe(401);
    expect(
      (await login(t.app, { ...store, deviceToken: other }, { addr: freshAddr() })).res.status,
    ).toBe(200);
  });

  test("revoking the device ends its session at the next request", async () => {
    const store = await seedStore(t.deps);
    const { cookie } = await login(t.app, store, { addr: freshAddr() });
    await revokeDevice(t.deps.db, store.storeId, store.deviceToken);
    expect((await t.app.request("/store/day", { headers: { cookie } })).status).toBe(401);
  });

  test("5 failures for a store lock it for 10 minutes, even for the right PIN", async () => {
    const store = await seedStore(t.deps);
    for (let i = 0; i < 5; i++) {
      expect(
        (await login(t.app, { ...store, pin: "0000" }, { addr: freshAddr() })).res.status,
      ).toBe(401);
    }
    const locked = await login(t.app, store, { addr: freshAddr() });
    expect(locked.res.status).toBe(429);
    const body = await locked.res.json();
    expect(body.error).toBe("too_many_attempts");
    expect(body.retryAfterSeconds).toBeGreaterThan(590);
    expect(await t.deps.redis.exists(t.deps.keys.storeSession(store.storeId))).toBe(0);
  });

  test("a wrong PIN tells the attempts left before the lockout: 4, 3, 2, 1, 0, then 429", async () => {
    const store = await seedStore(t.deps);
    const left: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { res } = await login(t.app, { ...store, pin: "0000" }, { addr: freshAddr() });
      expect(res.status).toBe(401);
      left.push((await res.json()).attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    expect((await login(t.app, store, { addr: freshAddr() })).res.status).toBe(429);
  });

  test("the attempts left count the fewer of the store's and the address's", async () => {
    const addr = freshAddr();
    const a = await seedStore(t.deps);
    const b = await seedStore(t.deps);
    const wrong = async (s: typeof a, at: string) => {
      const { res } = await login(t.app, { ...s, pin: "0000" }, { addr: at });
      return (await res.json()).attemptsLeft as number;
    };
    expect(await wrong(a, addr)).toBe(4);
    expect(await wrong(a, addr)).toBe(3);
    // Another store from the same address: its own count is 4, the address's is 2.
    expect(await wrong(b, addr)).toBe(2);
    // Store a from elsewhere: the address there is fresh, the store has 2 left.
    expect(await wrong(a, freshAddr())).toBe(2);
  });

  test("an unknown store counts down and locks like a known one with a wrong PIN", async () => {
    const known = await seedStore(t.deps);
    const unknown = { storeId: `nope-${known.storeId}`, pin: "0000", deviceToken: "x" };
    for (const s of [{ ...known, pin: "0000" }, unknown]) {
      const answers: unknown[] = [];
      for (let i = 0; i < 5; i++) {
        const { res } = await login(t.app, s, { addr: freshAddr() });
        answers.push([res.status, (await res.json()).attemptsLeft]);
      }
      expect(answers).toEqual([
        [401, 4],
        [401, 3],
        [401, 2],
        [401, 1],
        [401, 0],
      ]);
      expect((await login(t.app, s, { addr: freshAddr() })).res.status).toBe(429);
    }
  });

  test("5 failures from one address lock that address for every store", async () => {
    const addr = freshAddr();
    const victim = await seedStore(t.deps);
    for (let i = 0; i < 5; i++) {
      const s = await seedStore(t.deps);
      await login(t.app, { ...s, pin: "0000" }, { addr });
    }
    expect((await login(t.app, victim, { addr })).res.status).toBe(429);
    expect((await login(t.app, victim, { addr: freshAddr() })).res.status).toBe(200);
  });

  test("bad input is 400 with zod field errors; unknown fields are ignored", async () => {
    const res = await t.app.request("/store/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ storeId: 1, pin: "1234", location: { lat: "north" }, extra: true }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe("invalid_input");
    const paths = body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(["storeId", "deviceToken", "location.lat", "location.lng"]),
    );
    const store = await seedStore(t.deps);
    const ok = await t.app.request("/store/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": freshAddr() },
      body: JSON.stringify({
        ...store,
        location: { ...SEOUL, accuracy: 20, altitude: 3 },
        color: "red",
      }),
    });
    expect(ok.status).toBe(200);
  });

  test("malformed JSON is 400 and an oversized body is 413", async () => {
    const bad = await t.app.request("/store/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe("invalid_json");
    const big = await t.app.request("/store/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ storeId: "x".repeat(70 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect((await big.json()).error).toBe("payload_too_large");
  });

  test("without a session cookie every store route is 401", async () => {
    const routes: [string, string][] = [
      ["GET", "/store/day"],
      ["POST", "/store/day/ready"],
      ["POST", "/store/day/open"],
      ["POST", "/store/day/break"],
      ["POST", "/store/day/reopen"],
      ["POST", "/store/day/closing"],
      ["POST", "/store/day/close"],
      ["GET", "/store/events"],
      ["POST", "/store/auth/logout"],
    ];
    for (const [method, path] of routes) {
      const res = await t.app.request(path, { method });
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect((await res.json()).error).toBe("unauthorized");
      const forged = await t.app.request(path, {
        method,
        headers: { cookie: "so_session=abc.def" },
      });
      expect({ path, status: forged.status }).toEqual({ path, status: 401 });
    }
  });
});
