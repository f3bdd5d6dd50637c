import { describe, expect, test } from "bun:test";
import { HTTPException } from "hono/http-exception";
import { httpExceptionAnswer } from "../../src/infra/errors.ts";
import { errorCatalogue, errorCodes } from "../../src/shared/errors.ts";

describe("error catalogue", () => {
  test("only a body that is not JSON is invalid_json; other 400s keep Hono's sentence", () => {
    const json = httpExceptionAnswer(
      new HTTPException(400, { message: "Malformed JSON in request body" }),
    );
    expect(json).toEqual({
      status: 400,
      body: { error: "invalid_json", message: "The request body is not valid JSON." },
    });
    const mount = httpExceptionAnswer(new HTTPException(400, { message: "Invalid mounted path" }));
    expect(mount).toEqual({
      status: 400,
      body: { error: "bad_request", message: "Invalid mounted path" },
    });
  });

  test("every code has a status and a message in Korean and English", () => {
    for (const code of errorCodes) {
      const entry = errorCatalogue[code];
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.ko.length).toBeGreaterThan(0);
      expect(entry.en.length).toBeGreaterThan(0);
    }
  });
});
