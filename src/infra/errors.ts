import type { HTTPException } from "hono/http-exception";
import { type ErrorCode, type ErrorStatus, errorCatalogue } from "../shared/errors.ts";

/**
 * A refusal the client should see: a catalogued code (src/shared/errors.ts), one readable
 * sentence, details. The status is the catalogue's; it is restated at the call site so a
 * reader sees it, and the compiler checks the two agree.
 */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly status: ErrorStatus<C>,
    readonly code: C,
    message: string = errorCatalogue[code].en,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = "resource") =>
  new AppError(404, "not_found", `The ${what} does not exist.`);
export const unauthorized = (message = "Please log in first.") =>
  new AppError(401, "unauthorized", message);

/** The body of an answer that needs no more than the catalogue's sentence. */
export const catalogued = (code: ErrorCode) => ({ error: code, message: errorCatalogue[code].en });

const MALFORMED_JSON = "Malformed JSON in request body";

const httpCodes: Partial<Record<number, ErrorCode>> = {
  400: "bad_request",
  401: "unauthorized",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/**
 * Our JSON answer for an HTTPException thrown by Hono or a middleware. Only a body that is
 * not JSON is `invalid_json`; other 400s are `bad_request` with Hono's own sentence. A status
 * the catalogue has no code for is answered as `internal` (the caller logs it).
 */
export function httpExceptionAnswer(err: HTTPException): {
  status: ErrorStatus;
  body: { error: ErrorCode; message: string };
} {
  if (err.status === 400 && err.message === MALFORMED_JSON) {
    return {
      status: 400,
      body: { error: "invalid_json", message: errorCatalogue.invalid_json.en },
    };
  }
  const code = httpCodes[err.status];
  if (!code)
    return { status: 500, body: { error: "internal", message: errorCatalogue.internal.en } };
  return {
    status: errorCatalogue[code].status,
    body: { error: code, message: err.message || errorCatalogue[code].en },
  };
}
