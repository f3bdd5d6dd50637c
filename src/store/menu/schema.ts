import { z } from "zod";

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
const itemId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "not a menu item id");
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
