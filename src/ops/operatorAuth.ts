import { createMiddleware } from "hono/factory";
import { AppError } from "../infra/errors.ts";
import { sameSecret } from "../infra/secrets.ts";

/** Bearer $OPERATOR_TOKEN, or Basic operator:$OPERATOR_TOKEN (so a browser can log in). */
export function presentedOperatorToken(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value = ""] = header.split(" ", 2);
  if (scheme?.toLowerCase() === "bearer") return value;
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return decoded.slice(0, colon) === "operator" ? decoded.slice(colon + 1) : null;
  }
  return null;
}

export const requireOperator = (token: string | undefined) =>
  createMiddleware(async (c, next) => {
    const presented = presentedOperatorToken(c.req.header("authorization"));
    if (!token || !presented || !sameSecret(presented, token)) {
      c.header("WWW-Authenticate", 'Basic realm="Simple Order operator", charset="UTF-8"');
      throw new AppError(401, "unauthorized", "Operator credentials are required.");
    }
    await next();
  });
