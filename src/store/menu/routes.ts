import { createRoute } from "@hono/zod-openapi";
import type { Deps } from "../../deps.ts";
import { apiRouter, errors, json, jsonBody, noContent, sessionErrors } from "../../infra/api.ts";
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
import { menuChanged } from "./menuCache.ts";
import {
  itemParams,
  menuItem,
  menuItemInput,
  menuItemPatch,
  menuList,
  menuOrder,
} from "./schema.ts";

const tags = ["menu"];
const bodyErrors = ["invalid_input", "invalid_json"] as const;

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "The menu in the store's order",
  responses: { 200: json(menuList, "the menu"), ...errors(...sessionErrors) },
});

const order = createRoute({
  method: "post",
  path: "/order",
  tags,
  summary: "Set the order of categories and/or of items within their category",
  request: { body: jsonBody(menuOrder) },
  responses: {
    200: json(menuList, "the menu in its new order, as GET /store/menu"),
    ...errors(...sessionErrors, ...bodyErrors, "unknown_category", "not_found"),
  },
});

const add = createRoute({
  method: "post",
  path: "/items",
  tags,
  summary: "Add a menu item (integer KRW)",
  request: { body: jsonBody(menuItemInput) },
  responses: { 201: json(menuItem, "the new item"), ...errors(...sessionErrors, ...bodyErrors) },
});

const change = createRoute({
  method: "patch",
  path: "/items/{id}",
  tags,
  summary: "Change a menu item (e.g. soldOut)",
  request: { params: itemParams, body: jsonBody(menuItemPatch) },
  responses: {
    200: json(menuItem, "the changed item"),
    ...errors(...sessionErrors, ...bodyErrors, "not_found"),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/items/{id}",
  tags,
  summary: "Remove a menu item (past orders keep their copy)",
  request: { params: itemParams },
  responses: {
    204: noContent("removed"),
    ...errors(...sessionErrors, "invalid_input", "not_found"),
  },
});

/** The store's menu (session required by the parent app). Prices are integer KRW. */
export function menuRoutes(deps: Deps) {
  const app = apiRouter<SessionEnv>();
  const storeOf = (c: { get(k: "session"): { storeId: string } }) => c.get("session").storeId;

  app.openapi(list, async (c) => c.json(publicMenu(await listMenu(deps.db, storeOf(c))), 200));

  // Each change bumps the store's menu version once committed: every process's copy of the menu
  // (./menuCache.ts) is read afresh on the next menu call.
  app.openapi(order, async (c) => {
    const menu = await setMenuOrder(deps.db, storeOf(c), c.req.valid("json"));
    await menuChanged(deps, storeOf(c));
    return c.json(publicMenu(menu), 200);
  });

  app.openapi(add, async (c) => {
    const [created] = await addMenuItems(deps.db, storeOf(c), [c.req.valid("json")]);
    await menuChanged(deps, storeOf(c));
    const menu = await listMenu(deps.db, storeOf(c));
    const item = menu.find((i) => i.id === created!.itemId)!;
    return c.json(publicItem(item), 201);
  });

  app.openapi(change, async (c) => {
    const { id } = c.req.valid("param");
    const item = await updateMenuItem(deps.db, storeOf(c), id, c.req.valid("json"));
    await menuChanged(deps, storeOf(c));
    return c.json(publicItem(item), 200);
  });

  app.openapi(remove, async (c) => {
    await deleteMenuItem(deps.db, storeOf(c), c.req.valid("param").id, deps.clock.now());
    await menuChanged(deps, storeOf(c));
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
