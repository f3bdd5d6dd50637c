import { createReadStream, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { migrationJournal } from "../../db/migrations/index.ts";
import pkg from "../../package.json" with { type: "json" };

/** The files of a backup directory; the manifest is written last, so a backup without one is unfinished. */
export const backupFiles = {
  db: "simple-order.db",
  redis: "redis-keys.jsonl",
  manifest: "manifest.json",
} as const;

const fileEntry = z.object({
  name: z.enum([backupFiles.db, backupFiles.redis]),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const manifestSchema = z.object({
  format: z.literal("simple-order-backup"),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  appVersion: z.string(),
  /** the last drizzle migration the database had: a newer app migrates it at start */
  schemaVersion: z.string(),
  redisKeyPrefix: z.string(),
  redis: z.object({
    version: z.string(),
    keys: z.number().int(),
    snapshotAt: z.string(),
    /** "bgsave": from an RDB snapshot; "script": one atomic DUMP script (a Redis on another host) */
    capture: z.enum(["bgsave", "script"]),
    /** why the script was used instead of BGSAVE */
    note: z.string().optional(),
  }),
  files: z.array(fileEntry).length(2),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type FileEntry = z.infer<typeof fileEntry>;

export const appVersion = pkg.version;
export const schemaVersion = () => migrationJournal.entries.at(-1)?.tag ?? "none";

/** Size and sha256 of a file, read in chunks (a day's database need not fit in memory twice). */
export async function digestFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hasher = new Bun.CryptoHasher("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hasher.update(chunk);
    bytes += chunk.byteLength;
  }
  return { bytes, sha256: hasher.digest("hex") };
}

/** Reads and checks DIR/manifest.json; every problem is one line naming the directory. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, backupFiles.manifest);
  if (!existsSync(path)) {
    throw new Error(`${dir} has no ${backupFiles.manifest}: not a backup, or an unfinished one`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new Error(`${path} is not valid JSON: the backup is damaged`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${path} is not a simple-order backup manifest (${first?.path.join(".")})`);
  }
  return parsed.data;
}

/** Every file the manifest lists has its recorded size and sha256; nothing is restored otherwise. */
export async function verifyFiles(dir: string, manifest: Manifest) {
  for (const entry of manifest.files) {
    const path = join(dir, entry.name);
    if (!existsSync(path)) throw new Error(`backup ${dir} is damaged: ${entry.name} is missing`);
    const actual = await digestFile(path);
    if (actual.sha256 !== entry.sha256 || actual.bytes !== entry.bytes) {
      throw new Error(
        `backup ${dir} is damaged: ${entry.name} does not match its checksum in the manifest`,
      );
    }
  }
}
