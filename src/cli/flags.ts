import { z } from "zod";
import { pinSchemaMessage } from "../store/admin.ts";

/** Bad command-line input: reported with the command's usage line. */
export class UsageError extends Error {}

const missingOr = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : message;

export const textFlag = (max: number) =>
  z
    .string({ error: missingOr("must be text") })
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`);

export const pinFlag = z
  .string({ error: missingOr("must be text") })
  .regex(/^\d{4,8}$/, pinSchemaMessage);

/** A decimal flag within ±limit ("abc" and "" are refused instead of becoming NaN or 0). */
export const coordinateFlag = (limit: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v),
    z
      .number({ error: missingOr("must be a number") })
      .min(-limit, `must be between -${limit} and ${limit}`)
      .max(limit, `must be between -${limit} and ${limit}`),
  );

/** `items[2].price` style path for an issue. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

export function parseFlags<T extends z.ZodType>(schema: T, values: unknown): z.output<T> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new UsageError(
    parsed.error.issues.map((i) => `--${formatPath(i.path)}: ${i.message}`).join("; "),
  );
}
