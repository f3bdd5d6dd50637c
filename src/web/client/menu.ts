import { storePageIds as ids } from "../../shared/storePageIds.ts";
import * as api from "./api.ts";
import { formatOptions, parseOptions } from "./board.ts";
import {
  byId,
  confirmTap,
  disarm,
  el,
  hideToast,
  isObj,
  type Json,
  num,
  rememberFocus,
  restoreFocus,
  setMsg,
  showToast,
  str,
  won,
} from "./common.ts";
import { endSession } from "./session.ts";

export type MenuItem = {
  id: string;
  name: string;
  price: number;
  category: string;
  description: string | null;
  imageUrl: string | null;
  soldOut: boolean;
  optionGroups: unknown[];
};

/** The item dialog's values, checked and trimmed. */
export type ItemValues = {
  name: string;
  price: number;
  category: string;
  description: string;
  imageUrl: string;
  soldOut: boolean;
  optionGroups: unknown[];
};

/**
 * The menu tab (메뉴): the list by category with its 품절 switches and ▲▼ buttons (the order the
 * customer sees in the chat: categories, and items within their category), and the item dialog
 * (add, edit, delete). Option groups are edited as text (`온도(필수): 핫, 아이스`), read and
 * written by ./board.ts's parseOptions / formatOptions.
 */

/** The API's validation issues (by field) in the owner's words. */
const FIELD_MSG: Record<string, string> = {
  name: "메뉴 이름을 1~50자로 적어 주세요.",
  price: "가격은 1원 이상 1,000만 원 이하의 정수(원 단위)로 적어 주세요. 예: 4500",
  category: "분류는 1~30자로 적어 주세요.",
  description: "설명은 230자 이하로 적어 주세요.",
  imageUrl: "이미지 주소는 http:// 또는 https:// 로 시작하는 주소여야 합니다.",
  optionGroups:
    "옵션을 확인해 주세요: 옵션 이름은 서로 달라야 하고, 한 옵션 안의 선택지 이름도 서로 달라야 합니다.",
};

/** An item of GET /store/menu, or null when it is not one. */
export function toMenuItem(v: unknown): MenuItem | null {
  if (!isObj(v) || typeof v.id !== "string") return null;
  return {
    id: v.id,
    name: str(v.name),
    price: num(v.price) ?? 0,
    category: str(v.category) || "메뉴",
    description: typeof v.description === "string" ? v.description : null,
    imageUrl: typeof v.imageUrl === "string" ? v.imageUrl : null,
    soldOut: v.soldOut === true,
    optionGroups: Array.isArray(v.optionGroups) ? v.optionGroups : [],
  };
}

/** "온도(필수) · 샷": the option groups' names, for the list. */
export function optionSummary(groups: unknown[]): string {
  return groups
    .filter(isObj)
    .map((g) => `${str(g.name)}${g.required === true ? "(필수)" : ""}`)
    .join(" · ");
}

/**
 * The request body for saving `v`: everything for a new item (POST), only what changed for an
 * existing one (PATCH; null when nothing did).
 */
export function itemPayload(item: MenuItem | null, v: ItemValues): Json | null {
  if (!item) {
    const payload: Json = {
      name: v.name,
      price: v.price,
      soldOut: v.soldOut,
      optionGroups: v.optionGroups,
    };
    if (v.category) payload.category = v.category;
    if (v.description) payload.description = v.description;
    if (v.imageUrl) payload.imageUrl = v.imageUrl;
    return payload;
  }
  const payload: Json = {};
  if (v.name !== item.name) payload.name = v.name;
  if (v.price !== item.price) payload.price = v.price;
  if (v.category && v.category !== item.category) payload.category = v.category;
  if (v.description !== (item.description ?? ""))
    payload.description = v.description ? v.description : null;
  if (v.imageUrl !== (item.imageUrl ?? "")) payload.imageUrl = v.imageUrl ? v.imageUrl : null;
  if (v.soldOut !== item.soldOut) payload.soldOut = v.soldOut;
  if (formatOptions(v.optionGroups) !== formatOptions(item.optionGroups))
    payload.optionGroups = v.optionGroups;
  return Object.keys(payload).length ? payload : null;
}

let menuList: HTMLElement;
let menuEmpty: HTMLElement;
let menuMsg: HTMLElement;
let menuAdd: HTMLButtonElement;
let itemCategories: HTMLElement;
let menu: MenuItem[] = [];
let menuLoaded = false;
let reordering = false;
const menuPending = new Set<string>();

function showMenuMsg(text: string, tone: "error" | "ok" = "error") {
  setMsg(menuMsg, text, tone);
}

export async function loadMenu() {
  try {
    const res = await api.menu();
    if (res.status === 401) return endSession();
    if (!res.ok) throw new Error(String(res.status));
    takeMenu(await res.json());
  } catch {
    showMenuMsg("메뉴를 불러오지 못했습니다. 잠시 후 다시 시도해 주세요.");
  }
}

/** A menu answer (GET /store/menu, POST /store/menu/order): its items, in the store's order. */
function takeMenu(v: unknown) {
  menu = (isObj(v) && Array.isArray(v.items) ? v.items : [])
    .map(toMenuItem)
    .filter((i): i is MenuItem => i !== null);
  menuLoaded = true;
  renderMenu();
}

/** A ▲ or ▼ button; `what` names what moves, for screen readers. */
function moveButton(op: string, up: boolean, what: string, disabled: boolean) {
  const b = el("button", "mv", up ? "▲" : "▼");
  b.type = "button";
  b.dataset.op = op;
  b.setAttribute("aria-label", `${what} ${up ? "위로" : "아래로"}`);
  b.disabled = disabled || reordering;
  return b;
}

function itemElement(item: MenuItem, index: number, count: number): HTMLLIElement {
  const li = el("li", "mi");
  li.dataset.itemId = item.id;
  li.dataset.soldOut = String(item.soldOut);
  const main = el("div", "mi-main");
  main.append(el("b", "mi-name", item.name), el("span", "mi-price", won(item.price)));
  const opts = optionSummary(item.optionGroups);
  if (opts) main.append(el("small", "mi-opts", `옵션: ${opts}`));
  const toggle = el("button", "so-toggle", item.soldOut ? "품절" : "판매 중");
  toggle.type = "button";
  toggle.dataset.op = "soldout";
  toggle.setAttribute("role", "switch");
  toggle.setAttribute("aria-checked", String(item.soldOut));
  toggle.setAttribute("aria-label", `${item.name} 품절`);
  toggle.disabled = menuPending.has(item.id);
  const edit = el("button", "mi-edit", "수정");
  edit.type = "button";
  edit.dataset.op = "edit";
  edit.setAttribute("aria-label", `${item.name} 수정`);
  const moves = el("div", "mv-pair");
  moves.append(
    moveButton("up", true, item.name, index === 0),
    moveButton("down", false, item.name, index === count - 1),
  );
  li.append(moves, main, toggle, edit);
  return li;
}

function renderMenu() {
  const groups = new Map<string, MenuItem[]>();
  for (const item of menu) {
    const list = groups.get(item.category) ?? [];
    list.push(item);
    groups.set(item.category, list);
  }
  const sections = [...groups].map(([category, items], g) => {
    const section = el("section", "menu-group");
    section.dataset.category = category;
    const head = el("div", "menu-group-head");
    head.append(
      el("h3", undefined, category),
      moveButton("cat-up", true, `${category} 분류`, g === 0),
      moveButton("cat-down", false, `${category} 분류`, g === groups.size - 1),
    );
    const ul = el("ul", "menu-items");
    items.forEach((item, i) => {
      ul.append(itemElement(item, i, items.length));
    });
    section.append(head, ul);
    return section;
  });
  menuList.replaceChildren(...sections);
  menuEmpty.hidden = !menuLoaded || menu.length > 0;
  itemCategories.replaceChildren(
    ...[...groups.keys()].map((category) => {
      const o = el("option");
      o.value = category;
      return o;
    }),
  );
}

async function toggleSoldOut(id: string) {
  const item = menu.find((i) => i.id === id);
  if (!item || menuPending.has(id)) return;
  const next = !item.soldOut;
  item.soldOut = next;
  menuPending.add(id);
  renderMenu();
  showMenuMsg("");
  try {
    const res = await api.patchItem(id, { soldOut: next });
    if (res.status === 401) return endSession();
    if (!res.ok) throw new Error(str((await api.errorBody(res)).message));
    const updated = toMenuItem(await res.json());
    if (updated) Object.assign(item, updated);
    showToast(next ? `${item.name}: 품절로 바꿨습니다.` : `${item.name}: 다시 판매합니다.`);
  } catch {
    item.soldOut = !next;
    showMenuMsg(`${item.name}의 품절 상태를 바꾸지 못했습니다. 다시 눌러 주세요.`);
  } finally {
    menuPending.delete(id);
    renderMenu();
  }
}

const categories = () => [...new Set(menu.map((i) => i.category))];

/** `list` with its `at`-th entry swapped with the next (`by` 1) or the previous (`by` -1). */
function swapped<T>(list: T[], at: number, by: number): T[] | null {
  const to = at + by;
  if (at < 0 || to < 0 || to >= list.length) return null;
  const next = list.slice();
  [next[at], next[to]] = [next[to] as T, next[at] as T];
  return next;
}

/**
 * Moves a category or an item one place, on screen at once, then asks the server; the
 * server's answer (the whole menu in order) is what stays. A refusal reloads the menu.
 */
async function reorder(payload: Json, local: MenuItem[], what: string) {
  reordering = true;
  menu = local;
  renderMenu();
  showMenuMsg("");
  let answer: unknown = null;
  try {
    const res = await api.menuOrder(payload);
    if (res.status === 401) {
      reordering = false;
      return endSession();
    }
    if (res.ok) answer = await res.json();
  } catch {
    // the network: told below, and the menu read again
  }
  reordering = false;
  if (answer !== null) return takeMenu(answer);
  showMenuMsg(`${what}의 순서를 바꾸지 못했습니다. 다시 눌러 주세요.`);
  await loadMenu();
}

function moveCategory(category: string, by: number) {
  const order = swapped(categories(), categories().indexOf(category), by);
  if (!order) return;
  const local = order.flatMap((cat) => menu.filter((i) => i.category === cat));
  void reorder({ categories: order }, local, category);
}

function moveItem(id: string, by: number) {
  const item = menu.find((i) => i.id === id);
  if (!item) return;
  const inCategory = menu.filter((i) => i.category === item.category);
  const order = swapped(inCategory, inCategory.indexOf(item), by);
  if (!order) return;
  const local = categories().flatMap((cat) =>
    cat === item.category ? order : menu.filter((i) => i.category === cat),
  );
  void reorder({ items: order.map((i) => i.id) }, local, item.name);
}

/**
 * The item dialog (a new item, or one to edit): filling its form, checking it, saving and
 * deleting (then the menu is read again).
 */
let itemDialog: HTMLElement;
let itemForm: HTMLFormElement;
let itemTitle: HTMLElement;
let itemName: HTMLInputElement;
let itemPrice: HTMLInputElement;
let itemCategory: HTMLInputElement;
let itemDescription: HTMLTextAreaElement;
let itemOptions: HTMLTextAreaElement;
let itemImage: HTMLInputElement;
let itemSoldOut: HTMLInputElement;
let itemMsg: HTMLElement;
let itemDelete: HTMLButtonElement;
let itemSave: HTMLButtonElement;
let itemCancel: HTMLButtonElement;
let editing: MenuItem | null = null;

const fieldErrors = () => Array.from(itemForm.querySelectorAll<HTMLElement>(".field-error"));

function setFieldError(field: string, text: string) {
  const target = itemForm.querySelector<HTMLElement>(`.field-error[data-field="${field}"]`);
  if (!target) return false;
  target.textContent = text;
  target.hidden = !text;
  target.parentElement?.classList.toggle("invalid", Boolean(text));
  return true;
}

function clearErrors() {
  for (const e of fieldErrors()) {
    e.hidden = true;
    e.textContent = "";
    e.parentElement?.classList.remove("invalid");
  }
  itemMsg.hidden = true;
}

function showItemMsg(text: string) {
  itemMsg.textContent = text;
  itemMsg.hidden = false;
}

function openItem(item: MenuItem | null) {
  editing = item;
  rememberFocus();
  clearErrors();
  disarm(itemDelete);
  itemTitle.textContent = item ? `${item.name} 수정` : "메뉴 추가";
  itemName.value = item?.name ?? "";
  itemPrice.value = item ? String(item.price) : "";
  itemCategory.value = item?.category ?? "";
  itemDescription.value = item?.description ?? "";
  itemOptions.value = item ? formatOptions(item.optionGroups) : "";
  itemImage.value = item?.imageUrl ?? "";
  itemSoldOut.checked = item?.soldOut ?? false;
  itemDelete.hidden = !item;
  itemSave.disabled = false;
  hideToast();
  itemDialog.hidden = false;
  itemForm.scrollTop = 0;
  itemName.focus();
}

function closeItem() {
  itemDialog.hidden = true;
  editing = null;
  restoreFocus();
}

/** The form's values, or null after marking what is wrong. */
function readForm(): ItemValues | null {
  let bad = false;
  const name = itemName.value.trim();
  if (!name) bad = setFieldError("name", "메뉴 이름을 적어 주세요.");
  const rawPrice = itemPrice.value.replace(/[,\s원₩]/g, "");
  const price = Number(rawPrice);
  if (!rawPrice) bad = setFieldError("price", "가격을 적어 주세요. 예: 4500");
  else if (!Number.isFinite(price))
    bad = setFieldError("price", "가격은 숫자로 적어 주세요. 예: 4500");
  const parsed = parseOptions(itemOptions.value);
  if ("error" in parsed) bad = setFieldError("optionGroups", parsed.error);
  if (bad) return null;
  return {
    name,
    price,
    category: itemCategory.value.trim(),
    description: itemDescription.value.trim(),
    imageUrl: itemImage.value.trim(),
    soldOut: itemSoldOut.checked,
    optionGroups: "groups" in parsed ? parsed.groups : [],
  };
}

/** A refused save: the API's issues next to their fields, else one message. */
function showSaveError(status: number, e: Json) {
  const issues = Array.isArray(e.issues) ? e.issues.filter(isObj) : [];
  let shown = false;
  for (const issue of issues) {
    const field = str(issue.path).split(".")[0] ?? "";
    if (FIELD_MSG[field] && setFieldError(field, FIELD_MSG[field] ?? "")) shown = true;
  }
  if (!shown) {
    showItemMsg(
      api.errorCode(e) === "not_found"
        ? "이 메뉴는 이미 삭제되었습니다."
        : str(e.message) || `저장하지 못했습니다 (${status}).`,
    );
  }
}

async function submit(ev: SubmitEvent) {
  ev.preventDefault();
  clearErrors();
  const item = editing;
  const values = readForm();
  if (!values) return;
  const payload = itemPayload(item, values);
  if (!payload) return closeItem();

  itemSave.disabled = true;
  try {
    const res = item ? await api.patchItem(item.id, payload) : await api.createItem(payload);
    if (res.status === 401) return endSession();
    if (!res.ok) return showSaveError(res.status, await api.errorBody(res));
    closeItem();
    showToast(item ? `${values.name}: 저장했습니다.` : `${values.name}: 메뉴에 추가했습니다.`);
    await loadMenu();
  } catch {
    showItemMsg(api.MSG_NETWORK);
  } finally {
    itemSave.disabled = false;
  }
}

async function remove() {
  const item = editing;
  if (!item) return;
  if (!confirmTap(itemDelete, "한 번 더 누르면 삭제")) return;
  try {
    const res = await api.deleteItem(item.id);
    if (res.status === 401) return endSession();
    if (!res.ok && res.status !== 404) throw new Error(String(res.status));
    closeItem();
    showToast(`${item.name}: 메뉴에서 뺐습니다.`);
    await loadMenu();
  } catch {
    showItemMsg("삭제하지 못했습니다. 다시 시도해 주세요.");
  }
}

/** Finds the menu tab and the item dialog and listens to them (once, at page start). */
export function startMenu() {
  menuList = byId(ids.menuList);
  menuEmpty = byId(ids.menuEmpty);
  menuMsg = byId(ids.menuMsg);
  menuAdd = byId<HTMLButtonElement>(ids.menuAdd);
  itemCategories = byId(ids.itemCategories);
  itemDialog = byId(ids.itemDialog);
  itemForm = byId<HTMLFormElement>(ids.itemForm);
  itemTitle = byId(ids.itemTitle);
  itemName = byId<HTMLInputElement>(ids.itemName);
  itemPrice = byId<HTMLInputElement>(ids.itemPrice);
  itemCategory = byId<HTMLInputElement>(ids.itemCategory);
  itemDescription = byId<HTMLTextAreaElement>(ids.itemDescription);
  itemOptions = byId<HTMLTextAreaElement>(ids.itemOptions);
  itemImage = byId<HTMLInputElement>(ids.itemImage);
  itemSoldOut = byId<HTMLInputElement>(ids.itemSoldout);
  itemMsg = byId(ids.itemMsg);
  itemDelete = byId<HTMLButtonElement>(ids.itemDelete);
  itemSave = byId<HTMLButtonElement>(ids.itemSave);
  itemCancel = byId<HTMLButtonElement>(ids.itemCancel);
  menuAdd.addEventListener("click", () => openItem(null));
  menuList.addEventListener("click", (ev) => {
    const target = ev.target instanceof Element ? ev.target : null;
    const button = target?.closest<HTMLButtonElement>("button[data-op]");
    if (!button || button.disabled) return;
    const op = button.dataset.op ?? "";
    const category = button.closest<HTMLElement>("[data-category]")?.dataset.category;
    if ((op === "cat-up" || op === "cat-down") && category !== undefined) {
      return moveCategory(category, op === "cat-up" ? -1 : 1);
    }
    const id = button.closest<HTMLElement>("[data-item-id]")?.dataset.itemId;
    if (!id) return;
    if (op === "soldout") void toggleSoldOut(id);
    else if (op === "up" || op === "down") moveItem(id, op === "up" ? -1 : 1);
    else openItem(menu.find((i) => i.id === id) ?? null);
  });
  itemForm.addEventListener("submit", (ev) => void submit(ev as SubmitEvent));
  itemCancel.addEventListener("click", closeItem);
  itemDelete.addEventListener("click", () => void remove());
}

/** Esc: closes the item dialog; false when it was not open. */
export function escapeItem(): boolean {
  if (itemDialog.hidden) return false;
  closeItem();
  return true;
}

/** Hides the item dialog (back to the login view). */
export function hideItem() {
  itemDialog.hidden = true;
}
