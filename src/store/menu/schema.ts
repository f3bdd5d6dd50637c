import { z } from "zod";
import { idOf, idParams } from "../../infra/idSchema.ts";

export const choiceSchema = z.object({
  name: z.string().trim().min(1).max(30),
  priceDelta: z.number().int().min(-1_000_000).max(1_000_000).default(0),
});

export const optionGroupSchema = z
  .object({
    name: z.string().trim().min(1).max(30),
    required: z.boolean().default(false),
    choices: z.array(choiceSchema).min(1).max(20),
  })
  .refine((g) => new Set(g.choices.map((c) => c.name)).size === g.choices.length, {
    message: "choice names must be unique within a group",
    path: ["choices"],
  });

const menuItemFields = z.object({
  name: z.string().trim().min(1).max(50),
  price: z.number().int("price must be an integer KRW amount").positive().max(10_000_000),
  category: z.string().trim().min(1).max(30).default("메뉴"),
  description: z.string().trim().max(230).optional(),
  imageUrl: z.url({ protocol: /^https?$/ }).optional(),
  soldOut: z.boolean().default(false),
  optionGroups: z.array(optionGroupSchema).max(10).default([]),
});

const uniqueGroups = (groups: { name: string }[] | undefined) =>
  !groups || new Set(groups.map((g) => g.name)).size === groups.length;

/** The body of POST /store/menu/items (also one entry of `menu:import`). Prices are integer KRW. */
export const menuItemInput = menuItemFields.refine((i) => uniqueGroups(i.optionGroups), {
  message: "option group names must be unique",
  path: ["optionGroups"],
});

/** PATCH: any subset of the fields (no defaults filled in), at least one. */
export const menuItemPatch = z
  .object({
    name: menuItemFields.shape.name.optional(),
    price: menuItemFields.shape.price.optional(),
    category: z.string().trim().min(1).max(30).optional(),
    description: menuItemFields.shape.description.nullable(),
    imageUrl: menuItemFields.shape.imageUrl.nullable(),
    soldOut: z.boolean().optional(),
    optionGroups: z.array(optionGroupSchema).max(10).optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: "nothing to change" })
  .refine((p) => uniqueGroups(p.optionGroups), {
    message: "option group names must be unique",
    path: ["optionGroups"],
  });
export type MenuItemPatch = z.output<typeof menuItemPatch>;

export type MenuItemInput = z.output<typeof menuItemInput>;

const categoryName = z.string().trim().min(1).max(30);
const itemId = idOf("menu item");
const unique = (list: string[] | undefined) => !list || new Set(list).size === list.length;

/**
 * The body of POST /store/menu/order: the categories in the order the customer should see them,
 * and/or item ids in the order they should appear within their categories. Either list may be
 * partial: what it leaves out keeps its order after what it names.
 */
export const menuOrder = z
  .object({
    categories: z.array(categoryName).min(1).max(100).optional(),
    items: z.array(itemId).min(1).max(1000).optional(),
  })
  .refine((o) => o.categories || o.items, { message: "give categories, items or both" })
  .refine((o) => unique(o.categories), {
    message: "a category appears twice",
    path: ["categories"],
  })
  .refine((o) => unique(o.items), { message: "an item appears twice", path: ["items"] });
export type MenuOrder = z.output<typeof menuOrder>;

export const itemParams = idParams("menu item");

export const menuItem = z.object({
  id: z.string(),
  name: z.string(),
  price: z.number().int().describe("KRW"),
  category: z.string(),
  description: z.string().nullable(),
  imageUrl: z.string().nullable(),
  soldOut: z.boolean(),
  optionGroups: z.array(
    z.object({
      name: z.string(),
      required: z.boolean(),
      choices: z.array(z.object({ name: z.string(), priceDelta: z.number().int() })),
    }),
  ),
  sortOrder: z.number().int(),
});

export const menuList = z.object({
  items: z.array(menuItem).describe("in the store's order: by category, then within it"),
  categories: z.array(z.string()).describe("category names in order"),
});
