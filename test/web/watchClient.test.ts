// `bun run dev`: a change to a browser script is served without a restart (src/web/watchClient.ts).
// The watch runs on a copy of src/web and src/shared, so the real sources are never touched.
import { afterAll, expect, test } from "bun:test";
import { appendFile, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createLogger } from "../../src/infra/logger.ts";
import { assets } from "../../src/web/assets.ts";
import { chatAssets } from "../../src/web/chat/assets.ts";
import { rebundle } from "../../src/web/clientBundles.ts";
import { watchClient } from "../../src/web/watchClient.ts";
import { makeTestDeps } from "../helpers/testDeps.ts";

const SRC = `${import.meta.dir}/../../src`;
const t = makeTestDeps();
const tmp = await mkdtemp(`${tmpdir()}/watch-client-`);
afterAll(async () => {
  await rebundle(); // the real scripts again, for the files that run after this one
  await rm(tmp, { recursive: true, force: true });
  await t.close();
});

/** Waits until `done()` holds (a rebundle is asynchronous), failing after a generous while. */
async function until(done: () => boolean) {
  for (let i = 0; i < 400 && !done(); i++) await Bun.sleep(50);
}

test("a saved change to a browser script is served under a new ?v= without a restart", async () => {
  await cp(`${SRC}/web`, `${tmp}/src/web`, { recursive: true });
  await cp(`${SRC}/shared`, `${tmp}/src/shared`, { recursive: true });
  const stop = watchClient(createLogger("silent"), `${tmp}/src/web`);
  try {
    const store = assets["store.js"].path;
    const chat = chatAssets["chat.js"].path;
    await appendFile(`${tmp}/src/web/client/main.ts`, '\nconsole.info("store-edit-1");\n');
    await until(() => String(assets["store.js"].body).includes("store-edit-1"));

    const page = await (await t.app.request("/")).text();
    const linked = /<script src="([^"]+)"/.exec(page)?.[1] ?? "";
    expect(linked).not.toBe(store);
    expect(await (await t.app.request(linked)).text()).toContain("store-edit-1");

    // The chat simulator's script, under src/web/chat/client, is watched too.
    await appendFile(`${tmp}/src/web/chat/client/chat.ts`, '\nconsole.info("chat-edit-1");\n');
    await until(() => String(chatAssets["chat.js"].body).includes("chat-edit-1"));
    const chatPage = await (await t.app.request("/dev/chat")).text();
    const chatLinked = /<script src="([^"]+)"/.exec(chatPage)?.[1] ?? "";
    expect(chatLinked).not.toContain(chat);
    expect(await (await t.app.request(chatLinked)).text()).toContain("chat-edit-1");
  } finally {
    await stop();
  }
});
