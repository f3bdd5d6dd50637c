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

/** The body of POST /store/menu/items (also one entry of `menu:import`). Prices are integer KRW. */
export const menuItemInput = z
  .object({
    name: z.string().trim().min(1).max(50),
    price: z.number().int("price must be an integer KRW amount").positive().max(10_000_000),
    category: z.string().trim().min(1).max(30).default("메뉴"),
    description: z.string().trim().max(230).optional(),
    imageUrl: z.url({ protocol: /^https?$/ }).optional(),
    soldOut: z.boolean().default(false),
    optionGroups: z.array(optionGroupSchema).max(10).default([]),
  })
  .refine((i) => new Set(i.optionGroups.map((g) => g.name)).size === i.optionGroups.length, {
    message: "option group names must be unique",
    path: ["optionGroups"],
  });

export type MenuItemInput = z.output<typeof menuItemInput>;
