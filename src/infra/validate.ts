import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { AppError } from "./errors.ts";

/** zod-style field errors, as every 400 carries them in `issues`. */
export function fieldIssues(error: z.core.$ZodError) {
  return error.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code }));
}

export function invalidInput(error: z.core.$ZodError) {
  const first = error.issues[0];
  const where = first?.path.length ? `${first.path.join(".")}: ` : "";
  return new AppError(400, "invalid_input", `${where}${first?.message ?? "Invalid input"}`, {
    issues: fieldIssues(error),
  });
}

/** zValidator whose refusal is our 400 JSON shape (never Hono's default text). */
export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) =>
  zValidator(target, schema, (result) => {
    if (!result.success) throw invalidInput(result.error);
  });
