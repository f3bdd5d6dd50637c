import type { Redis } from "ioredis";
import appendPaid from "./appendPaid.lua" with { type: "text" };
import cancelBegin from "./cancelBegin.lua" with { type: "text" };
import cancelEnd from "./cancelEnd.lua" with { type: "text" };
import cartSave from "./cartSave.lua" with { type: "text" };
import dayClose from "./dayClose.lua" with { type: "text" };
import dayMove from "./dayMove.lua" with { type: "text" };
import dayReady from "./dayReady.lua" with { type: "text" };
import dayRestore from "./dayRestore.lua" with { type: "text" };
import healMove from "./healMove.lua" with { type: "text" };
import orderMove from "./orderMove.lua" with { type: "text" };
import pickupFloor from "./pickupFloor.lua" with { type: "text" };
import storeLogin from "./storeLogin.lua" with { type: "text" };
import storeLogout from "./storeLogout.lua" with { type: "text" };

const sources = {
  appendPaid,
  cancelBegin,
  cancelEnd,
  cartSave,
  dayClose,
  dayMove,
  dayReady,
  dayRestore,
  healMove,
  orderMove,
  pickupFloor,
  storeLogin,
  storeLogout,
};
export type ScriptName = keyof typeof sources;
type ScriptReply = [string, string | number, ...(string | number)[]];

const shas = new Map<ScriptName, string>();
const sha1 = (text: string) => new Bun.CryptoHasher("sha1").update(text).digest("hex");

/** Runs a Lua script by EVALSHA, loading it on NOSCRIPT (e.g. after a Redis restart). */
export async function runScript(
  redis: Redis,
  name: ScriptName,
  keys: string[],
  args: (string | number)[],
): Promise<ScriptReply> {
  let sha = shas.get(name);
  if (!sha) {
    sha = sha1(sources[name]);
    shas.set(name, sha);
  }
  try {
    return (await redis.evalsha(sha, keys.length, ...keys, ...args)) as ScriptReply;
  } catch (err) {
    if (!String((err as Error).message).includes("NOSCRIPT")) throw err;
    return (await redis.eval(sources[name], keys.length, ...keys, ...args)) as ScriptReply;
  }
}
