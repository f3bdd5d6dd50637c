import { Hono, type MiddlewareHandler } from "hono";
import { KakaoPayCode } from "../payment/kakaopayErrors.ts";
import type { EmulatorEnv } from "./faults.ts";
import {
  approveSchema,
  cancelSchema,
  orderSchema,
  PayRefusal,
  readParams,
  readySchema,
} from "./params.ts";
import { approvePayment, cancelPayment, orderOf, readyPayment } from "./payments.ts";
import type { EmulatorState } from "./state.ts";

/** `POST /online/v1/payment/ready|approve|cancel|order`, as KakaoPay's online single payment. */
export function kakaopayRoutes(state: EmulatorState) {
  const r = new Hono<EmulatorEnv>();
  r.use("*", requireSecretKey(state));

  r.post("/ready", async (c) => {
    const params = await readParams(c, readySchema);
    if (c.get("decline")) {
      throw new PayRefusal(400, KakaoPayCode.approvalFailure, "payment refused (emulated decline)");
    }
    return c.json(readyPayment(state, params));
  });
  r.post("/approve", async (c) =>
    c.json(approvePayment(state, await readParams(c, approveSchema), c.get("decline"))),
  );
  r.post("/cancel", async (c) =>
    c.json(cancelPayment(state, await readParams(c, cancelSchema), c.get("decline"))),
  );
  r.post("/order", async (c) => {
    const params = await readParams(c, orderSchema);
    if (c.get("decline")) throw new PayRefusal(400, KakaoPayCode.invalidTid, "order refused");
    return c.json(orderOf(state, params));
  });
  return r;
}

/** `Authorization: SECRET_KEY {secret key}`, as KakaoPay's docs ask; anything else is a 401. */
function requireSecretKey(state: EmulatorState): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const match = /^SECRET_KEY\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
    if (!match) {
      throw new PayRefusal(
        401,
        KakaoPayCode.invalidSecretKey,
        "missing header Authorization: SECRET_KEY {secret key}",
      );
    }
    if (match[1] !== state.config.secretKey) {
      throw new PayRefusal(401, KakaoPayCode.invalidSecretKey, "invalid secret key");
    }
    return next();
  };
}
