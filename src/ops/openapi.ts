import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";

/**
 * /openapi.json: written from the routes' own declarations (createRoute in each
 * src/store/<feature>/routes.ts), so it cannot drift from what the server validates.
 */
export function openApiDocument<E extends Env>(api: OpenAPIHono<E>, publicUrl: string) {
  api.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "so_session",
  });
  return api.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Simple Order store API",
      version: "1.0.0",
      description:
        "The counter screen's API. Every error is {error, message, …details}, `error` being one of the codes in src/shared/errors.ts; a 400 `invalid_input` carries zod `issues`. Log in first: the other routes need the so_session cookie.",
    },
    servers: [{ url: publicUrl }],
    security: [{ session: [] }],
  });
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
