import { type Context, Hono } from "hono";
import { notFound } from "../infra/errors.ts";
import { validate } from "../infra/validate.ts";
import { addFault, type EmulatorEnv, faultSchema } from "./faults.ts";
import { controlView, customerAction } from "./payments.ts";
import { missingPage, payPage } from "./payPage.ts";
import type { EmulatorState } from "./state.ts";

/**
 * Headers for the payment page. No form-action limit: its forms end in a 303 to the merchant's
 * approval/cancel/fail URL on another origin, which such a limit would block.
 */
function pageHeaders(c: Context) {
  c.header(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  );
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
}

/** Test and demo control under `/_emulator`: the payment page, inspection, faults, reset. */
export function controlRoutes(state: EmulatorState) {
  const r = new Hono<EmulatorEnv>();

  r.get("/pay/:tid", (c) => {
    pageHeaders(c);
    const pay = state.payments.get(c.req.param("tid"));
    return pay ? c.html(payPage(pay)) : c.html(missingPage(), 404);
  });

  r.post("/payments/:tid/:action{approve|cancel|fail}", (c) =>
    c.redirect(customerAction(state, c.req.param("tid"), c.req.param("action")), 303),
  );

  r.get("/payments/:tid", (c) => {
    const pay = state.payments.get(c.req.param("tid"));
    if (!pay) throw notFound("payment");
    return c.json(controlView(pay));
  });

  r.get("/payments", (c) => {
    const orderId = c.req.query("partner_order_id");
    const all = [...state.payments.values()];
    const payments = orderId ? all.filter((p) => p.partner_order_id === orderId) : all;
    return c.json({ payments: payments.map(controlView) });
  });

  r.get("/events", (c) => {
    const userId = c.req.query("userId");
    const events = userId
      ? state.events.filter((e) => e.user.some((u) => u.id === userId))
      : state.events;
    return c.json({ events });
  });

  r.post("/faults", validate("json", faultSchema), (c) =>
    c.json({ fault: addFault(state, c.req.valid("json")) }, 201),
  );
  r.get("/faults", (c) => c.json({ faults: [...state.faults.values()] }));

  r.post("/reset", (c) => {
    state.reset();
    return c.body(null, 204);
  });
  return r;
}
