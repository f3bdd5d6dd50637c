import { z } from "zod";
import { loginBody } from "../store/auth/routes.ts";
import { closeBody } from "../store/day/routes.ts";
import { menuItemInput, menuItemPatch, menuOrder } from "../store/menu/schema.ts";
import { cancelBody, ordersQuery } from "../store/orders/routes.ts";

type Op = {
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  ok: { status: number; description: string };
  errors?: Record<number, string>;
  pathParam?: string;
  public?: boolean;
};

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
const error = { $ref: "#/components/schemas/Error" };

/** The store API, from the same zod schemas its routes validate with. */
const operations: Record<string, Record<string, Op>> = {
  "/store/auth/login": {
    post: {
      summary:
        "Log in a counter device (PIN, registered device, distance); sets the session cookie",
      body: loginBody,
      public: true,
      ok: { status: 200, description: "{storeId, storeName}" },
      errors: {
        400: "invalid_input",
        401: "invalid_credentials",
        403: "too_far",
        409: "session_active",
        429: "too_many_attempts",
      },
    },
  },
  "/store/auth/logout": {
    post: {
      summary: "End the session and its feed",
      ok: { status: 204, description: "logged out" },
    },
  },
  "/store/day": {
    get: {
      summary: "The live day business, or {day: null}",
      ok: { status: 200, description: "{day}" },
    },
  },
  "/store/day/ready": {
    post: {
      summary: "Start a new day business (READY)",
      ok: { status: 204, description: "ready" },
      errors: { 409: "invalid_transition" },
    },
  },
  "/store/day/open": {
    post: {
      summary: "READY → OPEN",
      ok: { status: 204, description: "open" },
      errors: { 409: "invalid_transition" },
    },
  },
  "/store/day/break": {
    post: {
      summary: "OPEN → BREAK",
      ok: { status: 204, description: "on break" },
      errors: { 409: "invalid_transition" },
    },
  },
  "/store/day/reopen": {
    post: {
      summary: "BREAK → OPEN",
      ok: { status: 204, description: "open" },
      errors: { 409: "invalid_transition" },
    },
  },
  "/store/day/closing": {
    post: {
      summary: "OPEN or BREAK → CLOSING",
      ok: { status: 204, description: "closing" },
      errors: { 409: "invalid_transition" },
    },
  },
  "/store/day/close": {
    post: {
      summary: "Close check, CLOSED, accounting queued",
      body: closeBody,
      ok: { status: 202, description: "{accountingJobId}" },
      errors: {
        400: "invalid_input / invalid_last_event_id",
        409: "invalid_transition, client_behind {missed}, orders_open {pickupNumbers}",
      },
    },
  },
  "/store/events": {
    get: {
      summary: "The live feed (Server-Sent Events); Last-Event-ID or ?lastEventId= resumes",
      ok: { status: 200, description: "text/event-stream" },
    },
  },
  "/store/orders": {
    get: {
      summary: "Today's orders with items",
      query: ordersQuery,
      ok: { status: 200, description: "{dayId, orders}" },
    },
  },
  "/store/orders/{id}/accept": {
    post: {
      summary: "PAID → ACCEPTED (idempotent)",
      pathParam: "id",
      ok: { status: 200, description: "{orderId, status, pickupNumber}" },
      errors: { 404: "not_found", 409: "invalid_transition" },
    },
  },
  "/store/orders/{id}/ready": {
    post: {
      summary: "→ READY; the customer is told (idempotent)",
      pathParam: "id",
      ok: { status: 200, description: "{orderId, status, pickupNumber}" },
      errors: { 404: "not_found", 409: "invalid_transition" },
    },
  },
  "/store/orders/{id}/pickup": {
    post: {
      summary: "READY → PICKED_UP (idempotent)",
      pathParam: "id",
      ok: { status: 200, description: "{orderId, status, pickupNumber}" },
      errors: { 404: "not_found", 409: "invalid_transition" },
    },
  },
  "/store/orders/{id}/cancel": {
    post: {
      summary: "Full refund through KakaoPay, then CANCELED (never refunds twice)",
      pathParam: "id",
      body: cancelBody,
      ok: { status: 200, description: "{orderId, status, refunded, reason}" },
      errors: {
        400: "invalid_input",
        404: "not_found",
        409: "invalid_transition",
        502: "payment_provider",
      },
    },
  },
  "/store/menu": {
    get: {
      summary: "The menu in the store's order",
      ok: { status: 200, description: "{items, categories} (categories in order)" },
    },
  },
  "/store/menu/order": {
    post: {
      summary: "Set the order of categories and/or of items within their category",
      body: menuOrder,
      ok: { status: 200, description: "{items, categories}, as GET /store/menu" },
      errors: { 400: "invalid_input / unknown_category", 404: "not_found" },
    },
  },
  "/store/menu/items": {
    post: {
      summary: "Add a menu item (integer KRW)",
      body: menuItemInput,
      ok: { status: 201, description: "the item" },
      errors: { 400: "invalid_input" },
    },
  },
  "/store/menu/items/{id}": {
    patch: {
      summary: "Change a menu item (e.g. soldOut)",
      pathParam: "id",
      body: menuItemPatch,
      ok: { status: 200, description: "the item" },
      errors: { 400: "invalid_input", 404: "not_found" },
    },
    delete: {
      summary: "Remove a menu item (past orders keep their copy)",
      pathParam: "id",
      ok: { status: 204, description: "removed" },
      errors: { 404: "not_found" },
    },
  },
  "/store/days": {
    get: { summary: "Past day businesses", ok: { status: 200, description: "{days}" } },
  },
  "/store/days/{id}/report": {
    get: {
      summary: "A day's accounting report",
      pathParam: "id",
      ok: { status: 200, description: "the report" },
      errors: { 404: "not_found / report_not_ready" },
    },
  },
};

function operation(op: Op) {
  const responses: Record<string, unknown> = { [op.ok.status]: { description: op.ok.description } };
  if (!op.public)
    responses[401] = {
      description: "unauthorized",
      content: { "application/json": { schema: error } },
    };
  for (const [status, description] of Object.entries(op.errors ?? {})) {
    responses[status] = { description, content: { "application/json": { schema: error } } };
  }
  const parameters = [
    ...(op.pathParam
      ? [{ name: op.pathParam, in: "path", required: true, schema: { type: "string" } }]
      : []),
    ...Object.entries(op.query?.shape ?? {}).map(([name, s]) => ({
      name,
      in: "query",
      required: false,
      schema: schema(s as z.ZodType),
    })),
  ];
  return {
    summary: op.summary,
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: schema(op.body) } },
          },
        }
      : {}),
    responses,
    ...(op.public ? { security: [] } : {}),
  };
}

export function openApiDocument(publicUrl: string) {
  const paths = Object.fromEntries(
    Object.entries(operations).map(([path, ops]) => [
      path,
      Object.fromEntries(Object.entries(ops).map(([m, op]) => [m, operation(op)])),
    ]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "Simple Order store API",
      version: "1.0.0",
      description:
        "The counter screen's API. Every error is {error, message, …details}; a 400 carries zod `issues`.",
    },
    servers: [{ url: publicUrl }],
    security: [{ session: [] }],
    components: {
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "so_session" } },
      schemas: {
        Error: {
          type: "object",
          required: ["error", "message"],
          properties: {
            error: { type: "string" },
            message: { type: "string" },
            issues: { type: "array", items: { type: "object" } },
          },
        },
      },
    },
    paths,
  };
}
