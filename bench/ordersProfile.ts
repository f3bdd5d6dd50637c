/**
 * Reads a `.cpuprofile` (Bun's --cpu-prof, Chrome format) and prints where the samples went:
 * self samples per function, and inclusive samples of the app's own functions and of the
 * libraries on the order path (drizzle, bun:sqlite, ioredis, bullmq, hono, zod). Counts samples
 * (1 per ms of CPU), not the profile's time deltas, so idle gaps are not charged to anyone.
 * Samples under the functions named in `exclude` (default: cartAddSkill,addToCart — the carts
 * filled outside the timed windows) are left out; a continuation after an `await` has only the
 * frames since that await, so a little of the cart filling still counts.
 *
 *   bun bench/ordersProfile.ts DIR/server.cpuprofile [fnA,fnB]
 */

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; samples: number[] };

const APP = /(?:^|[\s/])(src|workers)\//;
const LIBS = /node_modules\/(drizzle-orm|ioredis|bullmq|hono|zod)\//;

/**
 * Layers, tried from a sample's leaf frame upwards: the first frame that matches one names the
 * layer the sample is charged to (so app code inside a drizzle transaction counts as SQLite).
 */
const LAYERS: [string, (url: string, fn: string) => boolean][] = [
  ["SQLite (bun:sqlite + drizzle query building)", (url) => /drizzle-orm|bun:sqlite/.test(url)],
  [
    "ioredis (commands, RESP parsing, socket writes)",
    (url, fn) => /ioredis/.test(url) || fn === "writeBuffered",
  ],
  ["BullMQ", (url) => /bullmq|msgpackr/.test(url)],
  [
    "KakaoPay client (fetch + zod)",
    (url, fn) => /payment\/kakaopay\.ts/.test(url) || fn === "fetch",
  ],
  ["zod (elsewhere)", (url) => /node_modules\/zod\//.test(url)],
  ["skill response build/validate", (url) => /src\/kakao\/skill\//.test(url)],
  ["approval page (JSX)", (url) => /approvalPage|hono\/dist\/(jsx|utils\/html)/.test(url)],
  ["Hono routing + middleware", (url) => /hono\/dist/.test(url)],
  ["garbage collector", (_url, fn) => fn === "(garbage collector)"],
];

function label(n: ProfileNode) {
  const url = n.callFrame.url
    .replace(/^file:\/\//, "")
    .replace(/^.*?\/(src|workers|node_modules|bench)\//, "$1/");
  const name = n.callFrame.functionName || "(anonymous)";
  return url ? `${name} ${url}:${n.callFrame.lineNumber + 1}` : name;
}

export async function summarizeProfile(file: string, exclude = "cartAddSkill,addToCart", top = 25) {
  const prof = (await Bun.file(file).json()) as Profile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of prof.nodes) byId.set(n.id, n);
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const skip = exclude.split(",").filter(Boolean);
  const self = new Map<string, number>();
  const layers = new Map<string, number>();
  const layerCache = new Map<number, string>();
  const layerOf = (leafId: number) => {
    let layer = layerCache.get(leafId);
    if (layer) return layer;
    layer = "other (app code, Bun's HTTP server, timers…)";
    for (let id: number | undefined = leafId; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      const hit =
        node && LAYERS.find(([, test]) => test(node.callFrame.url, node.callFrame.functionName));
      if (hit) {
        layer = hit[0];
        break;
      }
    }
    layerCache.set(leafId, layer);
    return layer;
  };
  const incl = new Map<string, number>();
  const stackCache = new Map<number, string[]>();
  let counted = 0;
  let excluded = 0;
  for (const leafId of prof.samples) {
    let names = stackCache.get(leafId);
    if (!names) {
      names = [];
      for (let id: number | undefined = leafId; id !== undefined; id = parent.get(id)) {
        const node = byId.get(id);
        if (node) names.push(label(node));
      }
      stackCache.set(leafId, names);
    }
    if (names.some((n) => skip.some((x) => n.startsWith(`${x} `)))) {
      excluded++;
      continue;
    }
    counted++;
    const layer = layerOf(leafId);
    layers.set(layer, (layers.get(layer) ?? 0) + 1);
    const leaf = names[0] ?? "?";
    self.set(leaf, (self.get(leaf) ?? 0) + 1);
    for (const n of new Set(names)) incl.set(n, (incl.get(n) ?? 0) + 1);
  }
  const pct = (v: number) => `${((100 * v) / Math.max(1, counted)).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>, keep: (name: string) => boolean) =>
    [...m]
      .filter(([name]) => keep(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, v]) => `  ${pct(v)} ${String(v).padStart(6)}  ${name}`)
      .join("\n");
  console.log(
    `profile ${file}: ${prof.samples.length} samples, ${excluded} under ${exclude} left out, ${counted} counted`,
  );
  console.log("by layer (first match from the leaf up):");
  console.log(list(layers, () => true));
  console.log("self (leaf) samples:");
  console.log(list(self, () => true));
  console.log("inclusive samples, app functions (src/, workers/):");
  console.log(list(incl, (n) => APP.test(n) && !n.includes("node_modules/")));
  console.log(
    "inclusive samples, libraries on the path (drizzle, bun:sqlite, ioredis, bullmq, hono, zod):",
  );
  console.log(list(incl, (n) => LIBS.test(n) || n.includes("bun:sqlite")));
}

if (import.meta.main) {
  const [file, exclude] = process.argv.slice(2);
  if (!file) {
    console.error("usage: bun bench/ordersProfile.ts FILE.cpuprofile [excludeFunction]");
    process.exit(2);
  }
  await summarizeProfile(file, exclude);
}
