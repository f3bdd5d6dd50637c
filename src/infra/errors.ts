/** A refusal the client should see: status, a stable code, one readable sentence, details. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 502 | 503,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = "resource") =>
  new AppError(404, "not_found", `The ${what} does not exist.`);
export const unauthorized = (message = "Please log in first.") =>
  new AppError(401, "unauthorized", message);
