// bun run bench:stores [--stores 10000] [--runs 2000]: the stores skill's two searches in-process
// on a SQLite file of `--stores` stores across Korea: nearest first (the lat/lng index, widened
// until sure) and by name (the name-piece index), with and without the customer's place.
// Prints p50/p99 per kind (goal: p99 < 5 ms), wall clock and the process's CPU time (on a busy
// machine the wall clock also counts time spent waiting for a core). Figures only, no assertions.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openSqlite, sqliteClient } from "../src/infra/db.ts";
import { findStores } from "../src/kakao/skills/stores.ts";
import { nearestStores, type Place, storesByName } from "../src/store/storeSearch.ts";
import { insertManyStores } from "../test/helpers/manyStores.ts";

const { values } = parseArgs({
  options: {
    stores: { type: "string", default: "10000" },
    runs: { type: "string", default: "2000" },
  },
});
const storeCount = Number(values.stores);
const runs = Number(values.runs);

const db = openSqlite(join(mkdtempSync(join(tmpdir(), "so-bench-stores-")), "stores.db"));
const seedStart = performance.now();
const all = insertManyStores(db, storeCount);
const seedMs = performance.now() - seedStart;
sqliteClient(db).run("ANALYZE");

/** A place near a random store (where customers are), or anywhere in Korea now and then. */
function randomPlace(i: number): Place {
  if (i % 10 === 9) return { lat: 33.2 + Math.random() * 5.3, lng: 126 + Math.random() * 3.5 };
  const s = all[Math.floor(Math.random() * all.length)]!;
  return { lat: s.lat + (Math.random() - 0.5) * 0.02, lng: s.lng + (Math.random() - 0.5) * 0.02 };
}
const QUERIES = [
  "커피",
  "성수",
  "빵",
  "강남 베이커리",
  "coffee",
  "해운대 분식",
  "떡볶이 12",
  "1호점",
];
const query = (i: number) => QUERIES[i % QUERIES.length]!;

type Kind = { name: string; run: (i: number) => Promise<number> };
const kinds: Kind[] = [
  { name: "nearest (10)", run: async (i) => (await nearestStores(db, randomPlace(i))).length },
  { name: "by name", run: async (i) => (await storesByName(db, query(i), null)).length },
  {
    name: "by name, nearest first",
    run: async (i) => (await storesByName(db, query(i), randomPlace(i))).length,
  },
  {
    name: "skill: '근처 카페' + place",
    run: async (i) => (await findStores(db, "근처 카페", randomPlace(i))).length,
  },
];

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

console.log(
  `bench:stores — ${storeCount} stores (seeded in ${(seedMs / 1000).toFixed(1)} s), ${runs} searches per kind, in-process`,
);
for (const kind of kinds) {
  for (let i = 0; i < 100; i++) await kind.run(i); // warm up: compiled statements, page cache
  const ms: number[] = [];
  const cpu: number[] = [];
  let found = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    found += await kind.run(i);
    const used = process.cpuUsage(cpuStart);
    ms.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(3).padStart(7);
  console.log(
    `${kind.name.padEnd(26)} p50 ${f(pct(ms, 50))} ms  p99 ${f(pct(ms, 99))} ms  max ${f(ms.at(-1)!)} ms | CPU p50 ${f(pct(cpu, 50))} ms  p99 ${f(pct(cpu, 99))} ms | ${(found / runs).toFixed(1)} stores`,
  );
}
sqliteClient(db).close();
