import { afterAll, expect, test } from "bun:test";
import diagnostics from "node:diagnostics_channel";
import { makeTestDeps } from "../helpers/testDeps.ts";

// Redis commands are traced only while someone listens (an APM agent subscribing to ioredis'
// channels): the listener still sees every command, and nobody listening costs nothing.
const t = makeTestDeps();
afterAll(() => t.close());

test("ioredis' command trace: seen by a subscriber, skipped when nobody listens", async () => {
  const channel = diagnostics.tracingChannel("ioredis:command");
  expect((channel as unknown as { hasSubscribers: boolean }).hasSubscribers).toBe(false);
  const seen: string[] = [];
  const listener = {
    start: (ctx: unknown) => seen.push((ctx as { command: string }).command),
    end: () => {},
    asyncStart: () => {},
    asyncEnd: () => {},
    error: () => {},
  };
  channel.subscribe(listener);
  try {
    expect((channel as unknown as { hasSubscribers: boolean }).hasSubscribers).toBe(true);
    await t.deps.redis.set(t.deps.keys.day("trace-probe"), "1");
    expect(seen).toContain("set");
  } finally {
    channel.unsubscribe(listener);
  }
  expect((channel as unknown as { hasSubscribers: boolean }).hasSubscribers).toBe(false);
  const before = seen.length;
  await t.deps.redis.get(t.deps.keys.day("trace-probe"));
  expect(seen).toHaveLength(before);
});
