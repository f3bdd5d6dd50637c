import { afterAll, describe, expect, test } from "bun:test";
import { newId } from "../../src/infra/ids.ts";
import { queueNotify } from "../../src/infra/queues.ts";
import { dayClose, dayMove, dayReady, pickupFloor } from "../../src/stream/scripts/index.ts";
import { makeTestDeps } from "../helpers/testDeps.ts";

const t = makeTestDeps();
afterAll(() => t.close());

const keysOf = (storeId: string, dayId: string) => ({
  day: t.deps.keys.day(storeId),
  stream: t.deps.keys.dayStream(storeId, dayId),
  lastDay: t.deps.keys.lastDay(storeId),
  control: t.deps.keys.control(storeId),
});
const ready = (storeId: string, dayId: string) =>
  dayReady(t.deps.redis, keysOf(storeId, dayId), {
    dayId,
    now: Date.now(),
    businessDate: "2026-11-30",
    data: JSON.stringify({ dayId }),
  });
const open = (storeId: string, dayId: string) =>
  dayMove(t.deps.redis, keysOf(storeId, dayId), {
    dayId,
    now: Date.now(),
    from: ["READY"],
    to: "OPEN",
    data: "{}",
    stamp: "openedAt",
  });

describe("Lua scripts, typed", () => {
  test("replies are parsed: ok with its entry, a refusal with the state, no day as null", async () => {
    const storeId = newId();
    const dayId = newId();
    const first = await ready(storeId, dayId);
    expect(first).toEqual({ outcome: "ok", entryId: expect.stringMatching(/^\d+-\d+$/) });
    expect(await ready(storeId, newId())).toEqual({ outcome: "refused", state: "READY" });
    expect((await open(storeId, newId())).outcome).toBe("stale");
    expect(
      await pickupFloor(t.deps.redis, { day: t.deps.keys.day(storeId) }, { dayId, floor: 5 }),
    ).toEqual({ outcome: "raised", nextPickup: 5 });
    const noDay = await dayClose(t.deps.redis, keysOf(newId(), dayId), {
      dayId,
      seenEntry: "",
      data: "{}",
    });
    expect(noDay).toEqual({ outcome: "refused", state: null });
  });

  test("after Redis forgets its scripts (a restart), concurrent auto-pipelined calls still run", async () => {
    const stores = Array.from({ length: 20 }, () => ({ storeId: newId(), dayId: newId() }));
    await Promise.all(stores.map((s) => ready(s.storeId, s.dayId)));
    await t.deps.redis.script("FLUSH");
    const opened = await Promise.all(stores.map((s) => open(s.storeId, s.dayId)));
    expect(opened.map((o) => o.outcome)).toEqual(stores.map(() => "ok"));
    const states = await Promise.all(
      stores.map((s) => t.deps.redis.hget(t.deps.keys.day(s.storeId), "state")),
    );
    expect(states).toEqual(stores.map(() => "OPEN"));
  });
});

describe("queues", () => {
  test("a job queued without options still gets its queue's retries (defaultJobOptions)", async () => {
    const order = { id: newId(), storeId: newId() };
    await queueNotify(t.deps, order, "ready");
    const queued = await t.deps.queues.notify.getJob(`notify-${order.id}-ready`);
    expect(queued?.opts.attempts).toBe(6);
    // e.g. a job added by hand (bull-board, a script): same retries and backoff
    const byHand = await t.deps.queues.notify.add("notify", {
      storeId: order.storeId,
      orderId: order.id,
      kind: "canceled",
    });
    expect(byHand.opts.attempts).toBe(6);
    expect(byHand.opts.backoff).toEqual({ type: "exponential", delay: 1000 });
  });
});
