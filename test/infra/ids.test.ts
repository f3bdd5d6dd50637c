import { expect, test } from "bun:test";
import { newSecret } from "../../src/infra/ids.ts";

test("secrets are letters and digits only (a device token can be pasted into any CLI flag)", () => {
  const tokens = Array.from({ length: 5000 }, () => newSecret());
  for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9]{32}$/);
  expect(new Set(tokens).size).toBe(tokens.length);
  // Every character of the alphabet turns up (no bias toward a few).
  expect(new Set(tokens.join("")).size).toBe(62);
});
