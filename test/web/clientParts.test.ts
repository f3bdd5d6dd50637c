import { describe, expect, test } from "bun:test";
import * as api from "../../src/web/client/api.ts";
import * as lib from "../../src/web/client/board.ts";
import * as view from "../../src/web/client/boardView.ts";
import * as c from "../../src/web/client/common.ts";
import type { Row } from "../../src/web/client/log.ts";
import * as log from "../../src/web/client/log.ts";
import * as login from "../../src/web/client/login.ts";
import type { MenuItem } from "../../src/web/client/menu.ts";
import * as menu from "../../src/web/client/menu.ts";
import * as orders from "../../src/web/client/orders.ts";
import * as session from "../../src/web/client/session.ts";

/** The board's merge rules, without a browser: the same code the page runs. */
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

  test("an order.paid delivered again (re-appended after a lossy Redis failover) is one card, no news", () => {
    const b = lib.createBoard();
    expect(b.applyEvent("order.paid", paid("a", 1), DAY).changed).toBe(true);
    b.applyEvent("order.accepted", move("a", 1), DAY);
    expect(b.applyEvent("order.paid", paid("a", 1), DAY).changed).toBe(false);
    expect(b.size).toBe(1);
    expect(b.get("a")!.status).toBe("ACCEPTED");
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

/** The store client's other pure parts (formatting, messages, the log, saved state, the menu). */
describe("store client parts", () => {
  test("won and Seoul times, in Korean", () => {
    expect(c.won(4500)).toBe("4,500원");
    expect(c.won(1234567)).toBe("1,234,567원");
    const at = Date.UTC(2025, 0, 1, 3, 4, 5); // 12:04:05 in Seoul
    expect(c.fmtTime(at)).toBe("오후 12:04:05");
    expect(c.fmtShort(at)).toBe("오후 12:04");
    expect(c.fmtShort(at + 12 * 3600_000)).toBe("오전 12:04");
    expect([c.str(7), c.str(null), c.num("7"), c.num(Number.NaN)]).toEqual(["7", "", null, null]);
    expect([c.isState("OPEN"), c.isState("NONE")]).toEqual([true, false]);
  });

  test("API error codes become Korean messages", async () => {
    expect(api.dayError(409, { error: "invalid_transition", state: "OPEN" })).toContain(
      "지금 상태(영업 중)에서는",
    );
    expect(api.dayError(409, { error: "orders_open", pickupNumbers: [3, "7"] })).toContain(
      "아직 끝나지 않은 주문이 있습니다 (3번, 7번).",
    );
    expect(api.dayError(409, { error: "client_behind", missed: 2 })).toContain("알림이 2건");
    expect(api.dayError(500, {})).toBe("요청을 처리하지 못했습니다 (500).");
    expect(api.orderError("7번", 409, { error: "invalid_transition", state: "READY" })).toBe(
      "7번 주문은 이미 ‘픽업 대기’ 상태입니다. 화면을 최신 상태로 맞췄습니다.",
    );
    expect(api.orderError("이", 404, { error: "not_found" })).toContain(
      "이 주문을 찾을 수 없습니다",
    );
    expect(api.loginError(403, { error: "too_far", distanceM: 1234, radiusM: 100 }, false)).toBe(
      "매장에서 약 1.2km 떨어져 있습니다. 매장 100m 안에서 로그인해 주세요.",
    );
    expect(
      api.loginError(429, { error: "too_many_attempts", retryAfterSeconds: 90 }, false),
    ).toContain("2분 후에");
    expect(api.loginError(401, { error: "invalid_credentials" }, false)).toBe(
      "PIN 또는 기기 토큰이 맞지 않습니다.",
    );
    expect(api.loginError(401, { error: "invalid_credentials" }, true)).toContain("‘기기 변경’");
    expect(api.loginError(401, { error: "invalid_credentials", attemptsLeft: 2 }, false)).toBe(
      "PIN 또는 기기 토큰이 맞지 않습니다. 남은 시도 2번: 모두 틀리면 10분 동안 잠깁니다.",
    );
    expect(api.loginError(401, { error: "invalid_credentials", attemptsLeft: 0 }, true)).toContain(
      "10분 동안 잠겼습니다",
    );
    expect(await api.errorBody(new Response("not json", { status: 500 }))).toEqual({});
    expect(await api.errorBody(Response.json({ error: "conflict" }))).toEqual({
      error: "conflict",
    });
    expect(login.geoMessage(1, true)).toContain("위치 접근을 허용한 뒤");
    expect(login.geoMessage(3, true)).toContain("시간이 초과");
    expect(login.geoMessage(1, false)).toContain("https://");
  });

  test("feed events as log rows, naming orders by their pickup number", () => {
    const noPickup = () => null;
    expect(log.describe("state", { state: "OPEN" }, "BREAK", noPickup).label).toBe("영업 재개");
    expect(log.describe("state", { state: "OPEN" }, "READY", noPickup).label).toBe("영업 시작");
    expect(log.describe("ready", { businessDate: "2025-01-01" }, null, noPickup)).toEqual({
      label: "영업 준비",
      detail: "영업일 2025-01-01",
      tone: "day",
    });
    const b = lib.createBoard();
    b.applyEvent("order.paid", paid("a", 7), DAY);
    const rows: Row[] = [];
    const pickup = (o: Record<string, unknown>) => log.pickupOf(o, b, rows);
    const row = log.makeRow("order.paid", "day-1:1-0", { order: paid("a", 7) }, null, pickup);
    expect(row).toMatchObject({
      id: "day-1:1-0",
      label: "새 주문 7번",
      detail: "카페라떼 ×1 (아이스, 샷 추가) · 5,500원 · 손님 AB12",
      tone: "order",
      orderId: "a",
      pickup: 7,
    });
    // No number in the event: the board knows it, else an earlier row of the same order.
    const canceled = { orderId: "a", reason: "재료 소진", refunded: true };
    expect(log.makeRow("order.canceled", "", canceled, null, pickup)).toMatchObject({
      label: "주문 취소 7번",
      detail: "사유: 재료 소진 · 전액 환불",
      pickup: 7,
    });
    rows.push({ ...row, orderId: "gone" });
    expect(pickup({ orderId: "gone" })).toBe(7);
    expect(pickup({ orderId: "unknown" })).toBeNull();
    expect(log.makeRow("order.accepted", "", { orderId: "unknown" }, null, pickup).label).toBe(
      "주문 접수",
    );
  });

  test("saved state: anything unreadable counts as nothing, bad rows are dropped", () => {
    expect(session.parseSaved(null)).toEqual(session.emptySaved());
    expect(session.parseSaved("{not json")).toEqual(session.emptySaved());
    expect(session.parseSaved(JSON.stringify({ rows: "x" }))).toEqual(session.emptySaved());
    const good: Row = {
      id: "d:1-0",
      type: "ready",
      at: 1,
      label: "영업 준비",
      detail: "",
      tone: "day",
    };
    const rows = [good, { ...good, at: "1" }, ...Array.from({ length: 250 }, () => good)];
    const saved = session.parseSaved(
      JSON.stringify({ lastEventId: "d:1-0", state: "NOPE", rows, dayId: "d", orders: [{}] }),
    );
    expect(saved.rows).toHaveLength(log.MAX_ROWS);
    expect(saved.rows.every((r) => r.at === 1)).toBe(true);
    expect(saved).toMatchObject({ lastEventId: "d:1-0", state: null, dayId: "d", orders: [{}] });
  });

  test("the finished orders and the cancel dialog describe an order", () => {
    const b = lib.createBoard();
    b.applyEvent("order.paid", paid("a", 7), DAY);
    b.applyEvent("order.paid", paid("b", 8), DAY);
    b.applyEvent("order.picked_up", move("a", 7, Date.UTC(2025, 0, 1, 3, 4)), DAY);
    b.applyEvent(
      "order.canceled",
      { orderId: "b", reason: "재료 소진", refunded: 5500, at: Date.UTC(2025, 0, 1, 3, 5) },
      DAY,
    );
    expect(view.doneText(b.get("a")!)).toEqual({
      title: "픽업 완료 · 오후 12:04",
      detail: "카페라떼 ×1 · 5,500원",
    });
    expect(view.doneText(b.get("b")!)).toEqual({
      title: "취소 · 오후 12:05",
      detail: "사유: 재료 소진 · 5,500원 환불",
    });
    expect(orders.pickupName(b.get("a"))).toBe("7번");
    expect(orders.pickupName(undefined)).toBe("이");
    expect(orders.cancelSummary(b.get("a")!)).toBe("카페라떼 ×1 · 5,500원 · 손님 AB12");
  });

  test("menu items: read from the API, summarized, saved as only what changed", () => {
    expect(menu.toMenuItem({ id: "m1", name: "라떼", price: 5000 })).toEqual({
      id: "m1",
      name: "라떼",
      price: 5000,
      category: "메뉴",
      description: null,
      imageUrl: null,
      soldOut: false,
      optionGroups: [],
    });
    expect(menu.toMenuItem({ name: "no id" })).toBeNull();
    const options = lib.parseOptions("온도(필수): 핫, 아이스\n샷: 샷 추가 +500");
    if (!("groups" in options)) throw new Error("not parsed");
    expect(menu.optionSummary(options.groups)).toBe("온도(필수) · 샷");

    const values = {
      name: "라떼",
      price: 5000,
      category: "",
      description: "",
      imageUrl: "",
      soldOut: false,
      optionGroups: options.groups,
    };
    expect(menu.itemPayload(null, values)).toEqual({
      name: "라떼",
      price: 5000,
      soldOut: false,
      optionGroups: options.groups,
    });
    const item: MenuItem = {
      id: "m1",
      name: "라떼",
      price: 5000,
      category: "커피",
      description: "고소한 라떼",
      imageUrl: null,
      soldOut: false,
      optionGroups: options.groups,
    };
    const same = { ...values, category: "커피", description: "고소한 라떼" };
    expect(menu.itemPayload(item, same)).toBeNull();
    expect(menu.itemPayload(item, { ...same, price: 5500, description: "" })).toEqual({
      price: 5500,
      description: null,
    });
    expect(menu.itemPayload(item, { ...same, optionGroups: [] })).toEqual({ optionGroups: [] });
  });
});
