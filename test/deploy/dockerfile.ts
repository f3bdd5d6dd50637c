// Just enough of Docker's build semantics to replay the Dockerfile without a Docker engine:
// stages and their instructions, .dockerignore, and COPY from the build context.

import { copyFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, posix } from "node:path";

export type Instruction = { op: string; flags: Record<string, string>; args: string };
export type Stage = { name: string; image: string; instructions: Instruction[] };

/** Stages in order; comment lines dropped, `\` continuations joined, leading --flags parsed. */
export function parseDockerfile(text: string): Stage[] {
  const lines: string[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    if (/^\s*#/.test(raw)) continue;
    const continued = /\\\s*$/.test(raw);
    pending += `${raw.replace(/\\\s*$/, "").trim()} `;
    if (continued) continue;
    if (pending.trim()) lines.push(pending.trim());
    pending = "";
  }
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op = "", rest = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const { flags, args } = leadingFlags(rest);
    if (op.toUpperCase() === "FROM") {
      const [image = "", , name = ""] = args.split(/\s+/);
      stages.push({ name, image, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ op: op.toUpperCase(), flags, args });
    }
  }
  return stages;
}

function leadingFlags(rest: string) {
  const flags: Record<string, string> = {};
  let args = rest;
  for (
    let m = /^--([\w-]+)(?:=(\S*))?\s*/.exec(args);
    m;
    m = /^--([\w-]+)(?:=(\S*))?\s*/.exec(args)
  ) {
    flags[m[1]!] = m[2] ?? "";
    args = args.slice(m[0].length);
  }
  return { flags, args: args.trim() };
}

export function stage(stages: Stage[], name: string): Stage {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage "${name}" in the Dockerfile`);
  return found;
}

/** `ENV A=1 B=2` (and the old `ENV A 1` form). */
export function envOf(s: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { op, args } of s.instructions) {
    if (op !== "ENV") continue;
    if (!args.includes("=")) {
      const [key = "", ...value] = args.split(/\s+/);
      env[key] = value.join(" ");
      continue;
    }
    for (const pair of args.split(/\s+/)) {
      const at = pair.indexOf("=");
      env[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"(.*)"$/, "$1");
    }
  }
  return env;
}

/** The exec-form (JSON array) argument of e.g. ENTRYPOINT, CMD or HEALTHCHECK … CMD. */
export function execForm(s: Stage, op: string): string[] {
  const found = s.instructions.findLast((i) => i.op === op);
  if (!found) return [];
  const json = op === "HEALTHCHECK" ? found.args.replace(/^.*?\bCMD\s+/, "") : found.args;
  return JSON.parse(json) as string[];
}

/** A .dockerignore as a predicate over context-relative paths (later lines win, `!` re-includes). */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const include = l.startsWith("!");
      const pattern = posix.normalize((include ? l.slice(1) : l).replace(/^\/+/, ""));
      return { include, glob: new Bun.Glob(pattern) };
    });
  return (path) => {
    // As Docker does, a pattern matching a parent directory matches everything under it.
    const parts = path.split("/");
    let excluded = false;
    for (const { include, glob } of rules) {
      for (let n = 1; n <= parts.length; n++) {
        if (glob.match(parts.slice(0, n).join("/"))) {
          excluded = !include;
          break;
        }
      }
    }
    return excluded;
  };
}

/**
 * COPY <src>... <dest> from the build context into `root` (the image's `/`), relative to
 * `workdir`: a directory's contents go into dest, files into dest/ or onto dest.
 */
export function copyFromContext(
  args: string,
  opts: { context: string; root: string; workdir: string; ignored: (path: string) => boolean },
) {
  const words = args.startsWith("[") ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  const dest = words.pop()!;
  const target = join(opts.root, posix.resolve(opts.workdir, dest));
  for (const src of words) {
    const rel = posix.normalize(src).replace(/^\.?\/+/, "");
    if (/[*?[]/.test(rel)) throw new Error(`COPY wildcards are not replayed: ${src}`);
    const from = join(opts.context, rel);
    if (opts.ignored(rel) || !statSync(from, { throwIfNoEntry: false })) {
      throw new Error(`COPY ${src}: not in the build context (missing or .dockerignore'd)`);
    }
    if (statSync(from).isDirectory()) {
      copyTree(from, rel, target, opts);
    } else {
      const to = dest.endsWith("/") || words.length > 1 ? join(target, basename(rel)) : target;
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
    }
  }
}

function copyTree(
  from: string,
  rel: string,
  to: string,
  opts: { context: string; ignored: (path: string) => boolean },
) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const childRel = `${rel}/${entry.name}`;
    if (opts.ignored(childRel)) continue;
    if (entry.isDirectory()) copyTree(join(from, entry.name), childRel, join(to, entry.name), opts);
    else if (entry.isFile()) copyFileSync(join(from, entry.name), join(to, entry.name));
  }
}
