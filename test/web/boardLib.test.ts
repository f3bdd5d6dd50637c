import { describe, expect, test } from "bun:test";
import { boardLib } from "../../src/web/client/boardLib.ts";

/** The board's merge rules, without a browser: the same code the page runs. */
const lib = boardLib();
const DAY = "day-1";
const paid = (id: string, n: number, extra: Record<string, unknown> = {}) => ({
  orderId: id,
  pickupNumber: n,
  totalAmount: 5500,
  customerName: "손님 AB12",
  paidAt: 1000 + n,
  items: [
    {
      name: "카페라떼",
      qty: 1,
      unitPrice: 5000,
      options: [
        { group: "온도", choice: "아이스", priceDelta: 0 },
        { group: "샷", choice: "샷 추가", priceDelta: 500 },
      ],
      amount: 5500,
    },
  ],
  ...extra,
});
const move = (id: string, n: number, at = 5000) => ({ orderId: id, pickupNumber: n, at });
const statusOf = (b: ReturnType<typeof lib.createBoard>) =>
  Object.fromEntries(b.list().map((o) => [o.id, o.status]));

describe("board merge rules", () => {
  test("events build the board; applying any event twice changes nothing", () => {
    const b = lib.createBoard();
    const events: [string, Record<string, unknown>][] = [
      ["order.paid", paid("a", 1)],
      ["order.paid", paid("b", 2)],
      ["order.accepted", move("a", 1)],
      ["order.ready", move("a", 1)],
      [
        "order.canceled",
        { orderId: "b", pickupNumber: 2, reason: "재료 소진", refunded: 5500, at: 6000 },
      ],
      ["order.picked_up", move("a", 1)],
    ];
    for (const [type, data] of events) {
      expect(b.applyEvent(type, data, DAY).changed).toBe(true);
      const before = JSON.stringify(b.list());
      expect(b.applyEvent(type, data, DAY)).toMatchObject({ changed: false, isNew: false });
      expect(JSON.stringify(b.list())).toBe(before);
    }
    expect(statusOf(b)).toEqual({ a: "PICKED_UP", b: "CANCELED" });
    const cols = b.columns();
    expect(cols.PAID).toHaveLength(0);
    expect(cols.done.map((o) => o.id)).toEqual(["b", "a"]);
    expect(b.get("b")).toMatchObject({ cancelReason: "재료 소진", refunded: 5500 });
    expect(b.get("a")!.items[0]).toEqual({
      name: "카페라떼",
      qty: 1,
      amount: 5500,
      options: ["아이스", "샷 추가"],
    });
    expect(b.totals()).toEqual({ orders: 2, pickedUp: 1, canceled: 1, refunded: 5500 });
  });

  test("an order never moves backwards: old events and old snapshots are ignored", () => {
    const b = lib.createBoard();
    b.applyEvent("order.paid", paid("a", 1), DAY);
    b.applyEvent("order.ready", move("a", 1), DAY);
    expect(b.applyEvent("order.accepted", move("a", 1), DAY).changed).toBe(false);
    b.applySnapshot({ dayId: DAY, orders: [{ ...paid("a", 1), id: "a", status: "ACCEPTED" }] });
    expect(b.get("a")!.status).toBe("READY");
    expect(b.columns().READY.map((o) => o.id)).toEqual(["a"]);
  });

  test("a snapshot fills the board; same-day orders it lacks stay (the feed may be ahead)", () => {
    const b = lib.createBoard();
    b.applyEvent("order.paid", paid("new", 3), DAY);
    b.applySnapshot({
      dayId: DAY,
      orders: [
        { ...paid("a", 1), id: "a", status: "ACCEPTED", acceptedAt: 2000 },
        {
          ...paid("b", 2),
          id: "b",
          status: "CANCELED",
          canceledAt: 3000,
          cancelReason: "손님 요청",
        },
        { ...paid("c", 4), id: "c", status: "CANCELING" },
      ],
    });
    expect(statusOf(b)).toEqual({ new: "PAID", a: "ACCEPTED", b: "CANCELED", c: "PAID" });
    expect(b.get("b")).toMatchObject({ refunded: 5500, cancelReason: "손님 요청" });
    expect(b.get("c")!.canceling).toBe(true);
    // the refund failed: the next snapshot shows the order as it was
    b.applySnapshot({ dayId: DAY, orders: [{ ...paid("c", 4), id: "c", status: "PAID" }] });
    expect(b.get("c")!.canceling).toBe(false);
    // the same snapshot again changes nothing
    const snap = { dayId: DAY, orders: [{ ...paid("a", 1), id: "a", status: "ACCEPTED" }] };
    b.applySnapshot(snap);
    expect(b.applySnapshot(snap)).toBe(false);
  });

  test("a move of an order never seen paid is a stub until the snapshot fills it", () => {
    const b = lib.createBoard();
    const r = b.applyEvent("order.accepted", move("x", 9), DAY);
    expect(r.isNew).toBe(true);
    expect(r.order).toMatchObject({ status: "ACCEPTED", pickupNumber: 9, complete: false });
    b.applySnapshot({ dayId: DAY, orders: [{ ...paid("x", 9), id: "x", status: "ACCEPTED" }] });
    expect(b.get("x")).toMatchObject({ complete: true, totalAmount: 5500 });
  });

  test("a new day (its `ready`, or a snapshot of another day) starts the board over", () => {
    const b = lib.createBoard();
    b.applyEvent("order.paid", paid("a", 1), DAY);
    b.applyEvent("ready", { dayId: "day-2" }, "day-2");
    expect(b.size).toBe(0);
    expect(b.dayId).toBe("day-2");
    b.applyEvent("order.paid", paid("z", 1), "day-2");
    b.applySnapshot({ dayId: "day-3", orders: [] });
    expect(b.size).toBe(0);
    // what was saved for another day is not restored
    b.load("day-4", [{ ...paid("q", 1), id: "q", dayId: "day-3", status: "PAID" }]);
    expect(b.size).toBe(0);
  });

  test("event ids: newer within a day, any other day is new", () => {
    expect(lib.isNewer("d:1700000000000-1", "d:1700000000000-0")).toBe(true);
    expect(lib.isNewer("d:1700000000000-0", "d:1700000000000-0")).toBe(false);
    expect(lib.isNewer("d:1699999999999-5", "d:1700000000000-0")).toBe(false);
    expect(lib.isNewer("e:1-0", "d:1700000000000-0")).toBe(true);
    expect(lib.dayOfEventId("0190-ab:1700000000000-0")).toBe("0190-ab");
  });

  test("menu options as text, both ways", () => {
    const text =
      "온도(필수): 핫, 아이스\n샷: 샷 추가 +500, 디카페인 +1,000원\n*사이즈: 톨, 그란데 -200";
    const parsed = lib.parseOptions(text);
    expect(parsed).toEqual({
      groups: [
        {
          name: "온도",
          required: true,
          choices: [
            { name: "핫", priceDelta: 0 },
            { name: "아이스", priceDelta: 0 },
          ],
        },
        {
          name: "샷",
          required: false,
          choices: [
            { name: "샷 추가", priceDelta: 500 },
            { name: "디카페인", priceDelta: 1000 },
          ],
        },
        {
          name: "사이즈",
          required: true,
          choices: [
            { name: "톨", priceDelta: 0 },
            { name: "그란데", priceDelta: -200 },
          ],
        },
      ],
    });
    if (!("groups" in parsed)) throw new Error("not parsed");
    expect(lib.parseOptions(lib.formatOptions(parsed.groups))).toEqual(parsed);
    expect(lib.parseOptions("")).toEqual({ groups: [] });
    expect(lib.parseOptions("온도 핫 아이스")).toMatchObject({
      error: expect.stringContaining("‘:’"),
    });
    expect(lib.parseOptions("온도:")).toMatchObject({ error: expect.stringContaining("선택지") });
  });

  test("how long ago, in Korean", () => {
    expect(lib.ago(0, 30_000)).toBe("방금");
    expect(lib.ago(0, 5 * 60_000)).toBe("5분 전");
    expect(lib.ago(0, 65 * 60_000)).toBe("1시간 5분 전");
    expect(lib.ago(0, 120 * 60_000)).toBe("2시간 전");
    expect(lib.ago(null, 0)).toBe("");
  });
});
