import { isObj, type Json, num, str } from "./common.ts";

/**
 * The order board's pure logic, shared by the browser and the unit tests.
 *
 * The board is a map orderId → order. It is built from GET /store/orders and moved by feed events;
 * every change is monotonic (an order only moves forward: PAID → ACCEPTED → READY → PICKED_UP, or
 * CANCELED), so applying an event twice, or an older snapshot after a newer event, changes nothing.
 */

export type Status = "PAID" | "ACCEPTED" | "READY" | "PICKED_UP" | "CANCELED";
export type Line = { name: string; qty: number; amount: number | null; options: string[] };
export type BoardOrder = {
  id: string;
  dayId: string | null;
  pickupNumber: number | null;
  status: Status;
  /** GET /store/orders said CANCELING: a refund is under way */
  canceling: boolean;
  totalAmount: number | null;
  customerName: string;
  items: Line[];
  paidAt: number | null;
  /** when the order last moved (the event's `at`, or the snapshot's stamp) */
  movedAt: number | null;
  cancelReason: string;
  refunded: number | null;
  /** items and total are known (from a snapshot or `order.paid`), not only the status */
  complete: boolean;
};
export type Snapshot = { dayId: string | null; orders: unknown[] };
export type OptionGroup = {
  name: string;
  required: boolean;
  choices: { name: string; priceDelta: number }[];
};

const RANK: Record<Status, number> = {
  PAID: 1,
  ACCEPTED: 2,
  READY: 3,
  PICKED_UP: 4,
  CANCELED: 5,
};
const EVENT_STATUS: Record<string, Status> = {
  "order.paid": "PAID",
  "order.accepted": "ACCEPTED",
  "order.ready": "READY",
  "order.picked_up": "PICKED_UP",
  "order.canceled": "CANCELED",
};

const isStatus = (v: unknown): v is Status => typeof v === "string" && v in RANK;

export function optionNames(options: unknown): string[] {
  if (Array.isArray(options)) {
    return options
      .map((o) => (isObj(o) ? str(o.choice) || str(o.choiceName) || str(o.name) : str(o)))
      .filter(Boolean);
  }
  if (isObj(options)) return Object.values(options).map(str).filter(Boolean);
  return [];
}

export function linesOf(items: unknown): Line[] {
  if (!Array.isArray(items)) return [];
  return items.filter(isObj).map((it) => ({
    name: str(it.name) || "메뉴",
    qty: num(it.qty) ?? num(it.quantity) ?? 1,
    amount: num(it.amount),
    options: optionNames(it.options),
  }));
}

/** `dayId:ms-seq` (the feed's event id) → its day id. */
export function dayOfEventId(id: string): string | null {
  const at = id.lastIndexOf(":");
  return at > 0 ? id.slice(0, at) : null;
}

/** Is event id `id` after `last`? A different day is always new (the feed moved on). */
export function isNewer(id: string, last: string | null): boolean {
  if (!last) return true;
  const a = id.lastIndexOf(":");
  const b = last.lastIndexOf(":");
  if (id.slice(0, a) !== last.slice(0, b)) return true;
  const [am = 0, as = 0] = id
    .slice(a + 1)
    .split("-")
    .map(Number);
  const [bm = 0, bs = 0] = last
    .slice(b + 1)
    .split("-")
    .map(Number);
  return am !== bm ? am > bm : as > bs;
}

function blank(id: string, dayId: string | null): BoardOrder {
  return {
    id,
    dayId,
    pickupNumber: null,
    status: "PAID",
    canceling: false,
    totalAmount: null,
    customerName: "",
    items: [],
    paidAt: null,
    movedAt: null,
    cancelReason: "",
    refunded: null,
    complete: false,
  };
}

/** Restores a saved order (localStorage), or null when it is not one. */
function restoreOrder(v: unknown): BoardOrder | null {
  if (!isObj(v) || typeof v.id !== "string" || !isStatus(v.status)) return null;
  const o = blank(v.id, typeof v.dayId === "string" ? v.dayId : null);
  o.status = v.status;
  o.canceling = v.canceling === true;
  o.pickupNumber = num(v.pickupNumber);
  o.totalAmount = num(v.totalAmount);
  o.customerName = str(v.customerName);
  o.paidAt = num(v.paidAt);
  o.movedAt = num(v.movedAt);
  o.cancelReason = str(v.cancelReason);
  o.refunded = num(v.refunded);
  o.complete = v.complete === true;
  if (Array.isArray(v.items)) {
    o.items = v.items.filter(isObj).map((l) => ({
      name: str(l.name),
      qty: num(l.qty) ?? 1,
      amount: num(l.amount),
      options: Array.isArray(l.options) ? l.options.map(str) : [],
    }));
  }
  return o;
}

export function createBoard() {
  const orders = new Map<string, BoardOrder>();
  let dayId: string | null = null;

  /** Moves `o` forward to `status` (never back); true when it moved. */
  function advance(o: BoardOrder, status: Status, at: number | null): boolean {
    if (RANK[status] <= RANK[o.status]) return false;
    o.status = status;
    o.canceling = false;
    if (at !== null) o.movedAt = at;
    return true;
  }

  /** Fills in what `src` knows and `o` does not yet; true when anything changed. */
  function fill(o: BoardOrder, src: Json): boolean {
    const before = JSON.stringify(o);
    const pickup = num(src.pickupNumber);
    if (pickup !== null) o.pickupNumber = pickup;
    const total = num(src.totalAmount) ?? num(src.total);
    if (total !== null) o.totalAmount = total;
    const name = str(src.customerName);
    if (name) o.customerName = name;
    const paidAt = num(src.paidAt);
    if (paidAt !== null) o.paidAt = paidAt;
    if (Array.isArray(src.items)) {
      o.items = linesOf(src.items);
      o.complete = true;
    }
    return JSON.stringify(o) !== before;
  }

  /** Starts the board over for `day` (a new day business, or a reset). */
  function clear(day: string | null) {
    orders.clear();
    dayId = day;
  }

  /**
   * Applies one feed event. `eventDay` is the day of its SSE id. Returns whether the board
   * changed and whether the order was new to it (a freshly paid order: beep).
   */
  function applyEvent(type: string, data: Json, eventDay: string | null) {
    const none = { changed: false, isNew: false, order: null as BoardOrder | null };
    if (type === "ready") {
      if (eventDay && eventDay !== dayId) {
        clear(eventDay);
        return { ...none, changed: true };
      }
      return none;
    }
    const status = EVENT_STATUS[type];
    if (!status) return none;
    const src = isObj(data.order) ? data.order : data;
    const id = str(src.orderId) || str(src.id);
    if (!id) return none;
    if (eventDay && dayId !== eventDay) clear(eventDay);
    let o = orders.get(id);
    const isNew = !o;
    if (!o) {
      o = blank(id, eventDay ?? dayId);
      orders.set(id, o);
    }
    const at = num(data.at) ?? num(src.paidAt);
    let changed = isNew;
    if (fill(o, src)) changed = true;
    if (advance(o, status, at)) changed = true;
    if (status === "CANCELED" && o.status === "CANCELED") {
      const reason = str(data.reason) || str(src.reason);
      if (reason && reason !== o.cancelReason) {
        o.cancelReason = reason;
        changed = true;
      }
      const refunded =
        num(data.refunded) ?? (data.refunded === true ? o.totalAmount : null) ?? o.refunded;
      if (refunded !== o.refunded) {
        o.refunded = refunded;
        changed = true;
      }
    }
    if (status === "PAID" && isNew && at !== null) o.movedAt = at;
    return { changed, isNew, order: o };
  }

  /** Applies our own request's answer (accept/ready/pickup/cancel) the same way. */
  function applyMove(id: string, status: string, extra: Json = {}) {
    const o = orders.get(id);
    if (!o) return false;
    if (status === "CANCELING") {
      if (o.canceling || RANK[o.status] >= RANK.PICKED_UP) return false;
      o.canceling = true;
      return true;
    }
    if (!isStatus(status)) return false;
    let changed = advance(o, status, Date.now());
    if (status === "CANCELED") {
      const reason = str(extra.reason);
      if (reason && !o.cancelReason) {
        o.cancelReason = reason;
        changed = true;
      }
      const refunded = num(extra.refunded);
      if (refunded !== null && o.refunded === null) {
        o.refunded = refunded;
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Merges GET /store/orders. Orders of the same day that the snapshot lacks are kept: the
   * feed can be ahead of the database by a moment. A snapshot of another day replaces all.
   */
  function applySnapshot(snap: Snapshot) {
    if (snap.dayId !== dayId) clear(snap.dayId);
    let changed = false;
    for (const raw of snap.orders) {
      if (!isObj(raw)) continue;
      const id = str(raw.id);
      if (!id) continue;
      let o = orders.get(id);
      if (!o) {
        o = blank(id, snap.dayId);
        orders.set(id, o);
        changed = true;
      }
      if (fill(o, raw)) changed = true;
      const status = str(raw.status);
      const stamp =
        num(raw.canceledAt) ?? num(raw.pickedUpAt) ?? num(raw.readyAt) ?? num(raw.acceptedAt);
      if (status === "CANCELING") {
        if (!o.canceling && RANK[o.status] < RANK.PICKED_UP) {
          o.canceling = true;
          changed = true;
        }
      } else if (isStatus(status)) {
        if (advance(o, status, stamp ?? num(raw.paidAt))) changed = true;
        if (o.canceling && o.status !== "CANCELED") {
          // the refund did not go through: the order is back where it was
          o.canceling = false;
          changed = true;
        }
      }
      if (o.movedAt === null) o.movedAt = stamp ?? o.paidAt;
      if (o.status === "CANCELED") {
        const reason = str(raw.cancelReason);
        if (reason && !o.cancelReason) o.cancelReason = reason;
        if (o.refunded === null) o.refunded = o.totalAmount;
      }
    }
    return changed;
  }

  const byNumber = (a: BoardOrder, b: BoardOrder) =>
    (a.pickupNumber ?? 1e9) - (b.pickupNumber ?? 1e9) || (a.paidAt ?? 0) - (b.paidAt ?? 0);

  /** The three columns (oldest first: the next to serve on top) and the finished ones. */
  function columns() {
    const all = [...orders.values()];
    const of = (s: Status) => all.filter((o) => o.status === s).sort(byNumber);
    const done = all
      .filter((o) => o.status === "PICKED_UP" || o.status === "CANCELED")
      .sort((a, b) => (b.movedAt ?? 0) - (a.movedAt ?? 0) || byNumber(b, a));
    return { PAID: of("PAID"), ACCEPTED: of("ACCEPTED"), READY: of("READY"), done };
  }

  /** Counts of the day as the board knows it. */
  function totals() {
    let pickedUp = 0;
    let canceled = 0;
    let refunded = 0;
    for (const o of orders.values()) {
      if (o.status === "PICKED_UP") pickedUp++;
      if (o.status === "CANCELED") {
        canceled++;
        refunded += o.refunded ?? o.totalAmount ?? 0;
      }
    }
    return { orders: orders.size, pickedUp, canceled, refunded };
  }

  function load(day: string | null, saved: unknown[]) {
    clear(day);
    for (const v of saved) {
      const o = restoreOrder(v);
      if (o && (o.dayId === null || o.dayId === day)) orders.set(o.id, o);
    }
  }

  return {
    get dayId() {
      return dayId;
    },
    get: (id: string) => orders.get(id),
    get size() {
      return orders.size;
    },
    list: () => [...orders.values()],
    clear,
    applyEvent,
    applyMove,
    applySnapshot,
    columns,
    totals,
    load,
  };
}

// ---------- menu option groups as text: `온도(필수): 핫, 아이스` / `사이즈: 레귤러, 라지 +500` ----------
export function formatOptions(groups: unknown): string {
  if (!Array.isArray(groups)) return "";
  return groups
    .filter(isObj)
    .map((g) => {
      const choices = Array.isArray(g.choices) ? g.choices.filter(isObj) : [];
      const list = choices
        .map((c) => {
          const d = num(c.priceDelta) ?? 0;
          return d ? `${str(c.name)} ${d > 0 ? "+" : "-"}${Math.abs(d)}` : str(c.name);
        })
        .join(", ");
      return `${str(g.name)}${g.required === true ? "(필수)" : ""}: ${list}`;
    })
    .join("\n");
}

export function parseOptions(text: string): { groups: OptionGroup[] } | { error: string } {
  const groups: OptionGroup[] = [];
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  for (const line of lines) {
    const colon = line.search(/[:：]/);
    if (colon < 0)
      return { error: `‘${line}’: 옵션 이름 뒤에 ‘:’를 쓰고 선택지를 쉼표로 나눠 적어 주세요.` };
    let name = line.slice(0, colon).trim();
    let required = false;
    if (/\(필수\)$/.test(name)) {
      required = true;
      name = name.replace(/\(필수\)$/, "").trim();
    }
    if (name.startsWith("*")) {
      required = true;
      name = name.slice(1).trim();
    }
    if (!name) return { error: `‘${line}’: 옵션 이름이 비어 있습니다.` };
    const choices: OptionGroup["choices"] = [];
    // A comma before exactly three digits is a thousands separator (`+1,000`), not a break.
    for (const part of line.slice(colon + 1).split(/[,，](?!\d{3}(?!\d))/)) {
      const c = part.trim();
      if (!c) continue;
      const m = /^(.*?)\s*([+-])\s*([\d,]+)\s*원?$/.exec(c);
      if (m?.[1]) {
        const amount = Number((m[3] ?? "0").replaceAll(",", ""));
        choices.push({ name: m[1].trim(), priceDelta: m[2] === "-" ? -amount : amount });
      } else choices.push({ name: c, priceDelta: 0 });
    }
    if (!choices.length) return { error: `‘${name}’: 선택지를 하나 이상 적어 주세요.` };
    groups.push({ name, required, choices });
  }
  return { groups };
}

/** "방금", "3분 전", "1시간 5분 전". */
export function ago(ms: number | null, now: number): string {
  if (ms === null) return "";
  const min = Math.floor(Math.max(0, now - ms) / 60000);
  if (min < 1) return "방금";
  if (min < 60) return `${min}분 전`;
  const h = Math.floor(min / 60);
  return min % 60 ? `${h}시간 ${min % 60}분 전` : `${h}시간 전`;
}

export type Board = ReturnType<typeof createBoard>;
