import type { Db } from "../infra/db.ts";
import { particle } from "../infra/korean.ts";
import { prepared } from "../infra/prepared.ts";

export type MenuItem = Db["t"]["menuItems"]["$inferSelect"];
export type ChosenOption = { group: string; choice: string; priceDelta: number };

export function findMenuItem(db: Db, itemId: string): Promise<MenuItem | undefined> {
  return prepared(db).menuItem(itemId);
}

type Choice =
  | { kind: "ok"; options: ChosenOption[] }
  | { kind: "missing"; group: MenuItem["optionGroups"][number] }
  | { kind: "invalid"; detail: string };

/**
 * Checks `{groupName: choiceName}` against the item's option groups and prices each choice from
 * the menu. Options are listed in the menu's group order, so equal choices compare equal.
 */
export function chooseOptions(item: MenuItem, picked: Record<string, string>): Choice {
  for (const name of Object.keys(picked)) {
    if (!item.optionGroups.some((g) => g.name === name)) {
      return { kind: "invalid", detail: `${item.name}에는 '${name}' 옵션이 없어요.` };
    }
  }
  const options: ChosenOption[] = [];
  for (const group of item.optionGroups) {
    const choiceName = picked[group.name];
    if (choiceName === undefined) {
      if (group.required) return { kind: "missing", group };
      continue;
    }
    const choice = group.choices.find((c) => c.name === choiceName);
    if (!choice) {
      return {
        kind: "invalid",
        detail: `'${group.name}'에서 '${choiceName}'${particle(choiceName, "은/는")} 고를 수 없어요.`,
      };
    }
    options.push({ group: group.name, choice: choice.name, priceDelta: choice.priceDelta });
  }
  return { kind: "ok", options };
}

/** The first optional group (in menu order) the customer has neither chosen from nor passed over. */
export function nextOptionalGroup(
  item: MenuItem,
  picked: Record<string, string>,
  skipped: string[],
) {
  return item.optionGroups.find(
    (g) =>
      !g.required &&
      g.choices.length > 0 &&
      picked[g.name] === undefined &&
      !skipped.includes(g.name),
  );
}
