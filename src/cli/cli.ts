import { parseArgs } from "node:util";
import { type Config, ConfigError, loadConfig } from "../config.ts";
import { openDatabase } from "../infra/database.ts";
import type { Db } from "../infra/db.ts";
import { type Command, commands, type Run } from "./commands.ts";
import { UsageError } from "./flags.ts";

export type CliIo = {
  out: (s: string) => void;
  err: (s: string) => void;
  env?: Record<string, string | undefined>;
};

const processIo: CliIo = { out: (s) => console.log(s), err: (s) => console.error(s) };

/** Runs one operator command; returns the process exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "help" || name === "--help" || name === "-h") {
    io.out(usage());
    return 0;
  }
  const command = name === undefined ? undefined : commands.get(name);
  if (name === undefined || command === undefined) {
    io.err(name === undefined ? "error: missing command" : `error: unknown command '${name}'`);
    io.err(usage());
    return 1;
  }
  try {
    const { json, run } = prepare(command, rest);
    const config = loadConfig(io.env ?? process.env);
    const result = await withDb(config, run);
    io.out(json ? JSON.stringify(result.json) : result.text);
    return 0;
  } catch (e) {
    for (const line of describeError(e, name, command)) io.err(line);
    return 1;
  }
}

function prepare(command: Command, args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: { ...command.options, json: { type: "boolean" } },
    strict: true,
    allowPositionals: command.takesFile === true,
  });
  return { json: values.json === true, run: command.prepare(values, positionals) };
}

/** The database is opened on first use: `restore` must find DATA_DIR as empty as it was. */
async function withDb(config: Config, run: Run) {
  let db: Promise<Db> | undefined;
  const ctx = {
    config,
    db: () => {
      db ??= openDatabase(config);
      return db;
    },
  };
  try {
    return await run(ctx);
  } finally {
    await (await db)?.close();
  }
}

function describeError(e: unknown, name: string, command: Command): string[] {
  const hint = `usage: bun run cli ${commandLine(name, command)}`;
  if (e instanceof UsageError || isParseArgsError(e)) return [`error: ${oneLine(e.message)}`, hint];
  if (e instanceof ConfigError) return e.lines;
  return [`error: ${oneLine(e instanceof Error ? e.message : String(e))}`];
}

function isParseArgsError(e: unknown): e is Error {
  return e instanceof Error && String((e as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS");
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, " ");

const commandLine = (name: string, c: Command) => `${name} ${c.args}${c.args ? " " : ""}[--json]`;

function usage(): string {
  const lines = [...commands].map(
    ([name, c]) => `  ${commandLine(name, c).padEnd(58)} ${c.summary}`,
  );
  return ["usage: bun run cli <command> [flags]", ...lines].join("\n");
}
