import type { MenuItemInput } from "../../src/store/menu/schema.ts";

/** Two required option groups: the customer is asked for both before the latte is added. */
export const temperature = {
  name: "온도",
  required: true,
  choices: [
    { name: "핫", priceDelta: 0 },
    { name: "아이스", priceDelta: 0 },
  ],
};
export const size = {
  name: "사이즈",
  required: true,
  choices: [
    { name: "레귤러", priceDelta: 0 },
    { name: "라지", priceDelta: 500 },
  ],
};

export const latteWithSizes = (extra: Partial<MenuItemInput> = {}): MenuItemInput => ({
  name: "카페라떼",
  price: 5000,
  category: "커피",
  soldOut: false,
  optionGroups: [temperature, size],
  ...extra,
});

export const americano: MenuItemInput = {
  name: "아메리카노",
  price: 4500,
  category: "커피",
  soldOut: false,
  optionGroups: [],
};
