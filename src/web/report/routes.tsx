import type { Context } from "hono";
import { Hono } from "hono";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../infra/errors.ts";
import { findStore } from "../../store/admin.ts";
import { requireSession, type SessionEnv } from "../../store/auth/session.ts";
import { sendAsset } from "../staticAsset.ts";
import { DaysPage, NotFoundPage, PendingPage, ReportPage } from "./pages.tsx";
import { findDayReport, listDays, pickupNumbers } from "./queries.ts";
import { reportCss } from "./reportCss.ts";

/** No script at all, styles only from this origin, nothing else; never framed, never cached. */
const CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const DAY_ID = /^[A-Za-z0-9-]{1,64}$/;

function page(c: Context, body: Child, status: 200 | 404 = 200) {
  c.header("Content-Security-Policy", CSP);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "no-referrer");
  c.header("Cache-Control", "no-store");
  return c.html(html`<!doctype html>${body}`, status);
}

/**
 * The store's day reports as server-rendered pages (no client script; printable):
 * GET /days (the list) and GET /days/:id (one day's report). Mounted by the app at /days.
 * Without a live store session the pages send the browser to `/`, where the login is.
 */
export function reportRoutes(deps: Deps) {
  const app = new Hono<SessionEnv>();

  // The stylesheet is public and versioned by its hash (registered before the session check).
  app.get("/report.css", (c) => sendAsset(c, reportCss));

  // The store API's own session check; its 401 (no or ended session) becomes a redirect to
  // the login at `/`. Only a refusal of the check itself is turned into the redirect.
  const session = requireSession(deps);
  app.use("*", async (c, next) => {
    let passed = false;
    try {
      await session(c, async () => {
        passed = true;
        await next();
      });
    } catch (err) {
      if (!passed && err instanceof AppError && err.status === 401) return c.redirect("/", 302);
      throw err;
    }
  });

  const storeNameOf = async (storeId: string) => (await findStore(deps.db, storeId))?.name ?? "";

  app.get("/", async (c) => {
    const { storeId } = c.get("session");
    const [storeName, days] = [await storeNameOf(storeId), await listDays(deps, storeId)];
    return page(c, <DaysPage storeName={storeName} days={days} />);
  });

  app.get("/:id", async (c) => {
    const { storeId } = c.get("session");
    const storeName = await storeNameOf(storeId);
    const id = c.req.param("id");
    const found = DAY_ID.test(id) ? await findDayReport(deps, storeId, id) : null;
    if (!found) return page(c, <NotFoundPage storeName={storeName} />, 404);
    const { day, report } = found;
    if (!report) {
      return page(
        c,
        <PendingPage
          storeName={storeName}
          businessDate={day.businessDate}
          closed={day.state === "CLOSED"}
        />,
      );
    }
    const pickups = await pickupNumbers(
      deps,
      day.id,
      report.findings.map((f) => f.orderId),
    );
    return page(
      c,
      <ReportPage storeName={storeName} day={day} report={report} pickups={pickups} />,
    );
  });

  return app;
}
