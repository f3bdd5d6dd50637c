import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.ts";
import { validate } from "../../infra/validate.ts";
import type { SessionEnv } from "../auth/session.ts";
import {
  addMenuItems,
  categoriesOf,
  deleteMenuItem,
  listMenu,
  type MenuRow,
  setMenuOrder,
  updateMenuItem,
} from "./menu.ts";
import { menuItemInput, menuItemPatch, menuOrder } from "./schema.ts";

const itemParams = z.object({ id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "not a menu item id") });

/** The store's menu (session required by the parent app). Prices are integer KRW. */
export function menuRoutes(deps: Deps) {
  const app = new Hono<SessionEnv>();
  const storeOf = (c: { get(k: "session"): { storeId: string } }) => c.get("session").storeId;

  app.get("/", (c) => c.json(publicMenu(listMenu(deps.db, storeOf(c)))));

  /** The order the customer sees: categories, and items within their category. */
  app.post("/order", validate("json", menuOrder), (c) =>
    c.json(publicMenu(setMenuOrder(deps.db, storeOf(c), c.req.valid("json")))),
  );

  app.post("/items", validate("json", menuItemInput), (c) => {
    const [created] = addMenuItems(deps.db, storeOf(c), [c.req.valid("json")]);
    const item = listMenu(deps.db, storeOf(c)).find((i) => i.id === created!.itemId)!;
    return c.json(publicItem(item), 201);
  });

  app.patch("/items/:id", validate("param", itemParams), validate("json", menuItemPatch), (c) =>
    c.json(
      publicItem(updateMenuItem(deps.db, storeOf(c), c.req.valid("param").id, c.req.valid("json"))),
    ),
  );

  app.delete("/items/:id", validate("param", itemParams), (c) => {
    deleteMenuItem(deps.db, storeOf(c), c.req.valid("param").id, deps.clock.now());
    return c.body(null, 204);
  });

  return app;
}

/** `items` in the store's order (categories, then items within), and the category names in order. */
const publicMenu = (items: MenuRow[]) => ({
  items: items.map(publicItem),
  categories: categoriesOf(items),
});

function publicItem(i: MenuRow) {
  const { id, name, price, category, description, imageUrl, soldOut, optionGroups, sortOrder } = i;
  return { id, name, price, category, description, imageUrl, soldOut, optionGroups, sortOrder };
}
