import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import { z } from "zod";
import { type ErrorCode, type ErrorStatus, errorCatalogue } from "../shared/errors.ts";
import { invalidInput } from "./validate.ts";

/**
 * A router whose routes are declared once with `createRoute` (method, path, request and
 * response schemas, error codes): the same declaration validates the request and writes
 * /openapi.json. A request that fails its schema is our 400 `invalid_input` with `issues`.
 */
export const apiRouter = <E extends Env>() =>
  new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) throw invalidInput(result.error);
    },
  });

const issues = z
  .array(z.object({ path: z.string(), message: z.string(), code: z.string() }))
  .describe("the fields the schema refused");

const errorBody = (codes: readonly ErrorCode[]) => {
  const body = z.object({
    error: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
  });
  return (codes.includes("invalid_input") ? body.extend({ issues: issues.optional() }) : body)
    .catchall(z.unknown())
    .describe("{error, message} and the details of that code");
};

/**
 * The error responses of a route, by status, from catalogued codes; every route behind the
 * session also answers 401 `unauthorized` / `session_replaced`.
 */
export function errors(...codes: ErrorCode[]) {
  const byStatus = new Map<ErrorStatus, ErrorCode[]>();
  for (const code of codes) {
    const status = errorCatalogue[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      {
        description: list.map((c) => `\`${c}\`: ${errorCatalogue[c].en}`).join(" "),
        content: { "application/json": { schema: errorBody(list) } },
      },
    ]),
  ) as Record<
    number,
    { description: string; content: { "application/json": { schema: z.ZodType } } }
  >;
}

export const sessionErrors = ["unauthorized", "session_replaced", "forbidden_origin"] as const;

/** A JSON response declaration. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const noContent = (description: string) => ({ description });

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});
