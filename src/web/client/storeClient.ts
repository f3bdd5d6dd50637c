import type { BoardLib } from "./boardLib.ts";

/**
 * The store client's browser code. It is type-checked here and served as plain JS:
 * `(${storeClient.toString()})((${boardLib.toString()})())` (see ../assets.ts), so it must stay
 * self-contained — no imports at run time (the type import above is erased), no references to
 * anything outside this function but its parameter, no enums or decorators.
 */
export function storeClient(lib: BoardLib): void {
  type DayState = "READY" | "OPEN" | "BREAK" | "CLOSING";
  type Row = {
    id: string;
    type: string;
    at: number;
    label: string;
    detail: string;
    tone: string;
    /** order events: the order and its pickup number, so later events can name it */
    orderId?: string;
    pickup?: number;
  };
  type Saved = {
    lastEventId: string | null;
    state: DayState | null;
    rows: Row[];
    dayId: string | null;
    orders: unknown[];
  };
  type Json = Record<string, unknown>;
  type DayView = {
    id: string;
    state: DayState;
    openedAt: number | null;
    orderCount: number;
    grossAmount: number;
  } | null;
  type BoardOrder = NonNullable<ReturnType<ReturnType<BoardLib["createBoard"]>["get"]>>;
  type MenuItem = {
    id: string;
    name: string;
    price: number;
    category: string;
    description: string | null;
    imageUrl: string | null;
    soldOut: boolean;
    optionGroups: unknown[];
  };

  const MAX_ROWS = 200;
  const FEED_TYPES = [
    "ready",
    "state",
    "closed",
    "order.paid",
    "order.accepted",
    "order.ready",
    "order.picked_up",
    "order.canceled",
  ];
  const STATE_LABEL: Record<string, string> = {
    NONE: "영업 전",
    READY: "준비",
    OPEN: "영업 중",
    BREAK: "휴식 중",
    CLOSING: "마감 중",
  };
  const ORDER_STATE_LABEL: Record<string, string> = {
    PAID: "신규",
    ACCEPTED: "준비 중",
    READY: "픽업 대기",
    PICKED_UP: "픽업 완료",
    CANCELING: "취소 처리 중",
    CANCELED: "취소",
  };
  const STATE_NOTE: Record<string, string> = {
    NONE: "영업 전입니다. ‘영업 준비’ → ‘영업 시작’을 누르면 카카오톡 주문을 받습니다.",
    READY: "준비 상태입니다. ‘영업 시작’을 누르면 손님이 주문할 수 있습니다.",
    BREAK: "휴식 중: 새 주문을 받지 않습니다. 받은 주문은 계속 처리할 수 있습니다.",
    CLOSING: "마감 준비 중: 새 주문을 받지 않습니다. 남은 주문을 끝낸 뒤 ‘영업 종료’를 누르세요.",
  };
  const ALLOWED: Record<string, string[]> = {
    NONE: ["ready"],
    READY: ["open", "close"],
    OPEN: ["break", "closing"],
    BREAK: ["reopen", "closing"],
    CLOSING: ["close"],
  };
  /** The card's main button per column. */
  const NEXT: Record<string, { op: string; label: string } | undefined> = {
    PAID: { op: "accept", label: "접수" },
    ACCEPTED: { op: "ready", label: "준비 완료" },
    READY: { op: "pickup", label: "픽업 완료" },
  };
  const KEY_STORE = "so:storeId";
  const KEY_DEVICE = "so:deviceToken";
  const KEY_NAME = "so:storeName";
  const KEY_SOUND = "so:sound";
  const MSG_EXPIRED = "로그인이 끝났습니다. 다시 로그인해 주세요.";
  const MSG_NETWORK = "서버에 연결할 수 없습니다. 인터넷 연결을 확인해 주세요.";
  /** Orders waiting longer than this are marked late. */
  const LATE_MS = 10 * 60_000;

  // ---------- small helpers ----------
  const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
    const el = document.getElementById(id);
    if (!el) throw new Error(`#${id} is missing`);
    return el as T;
  };
  const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null;
  const num = (v: unknown): number | null =>
    typeof v === "number" && Number.isFinite(v) ? v : null;
  const str = (v: unknown): string =>
    typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
  const isState = (v: unknown): v is DayState =>
    v === "READY" || v === "OPEN" || v === "BREAK" || v === "CLOSING";
  const won = (n: number) => `${n.toLocaleString("ko-KR")}원`;
  const timeFmt = new Intl.DateTimeFormat("ko-KR", {
    hour: "numeric",
    minute: "2-digit",
    second: "2-digit",
    timeZone: "Asia/Seoul",
  });
  const shortTimeFmt = new Intl.DateTimeFormat("ko-KR", {
    hour: "numeric",
    minute: "2-digit",
    timeZone: "Asia/Seoul",
  });
  const fmtTime = (ms: number) => timeFmt.format(new Date(ms));
  const fmtShort = (ms: number) => shortTimeFmt.format(new Date(ms));
  const el = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    cls?: string,
    text?: string,
  ): HTMLElementTagNameMap[K] => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const json = { "content-type": "application/json", accept: "application/json" };
  const serverNow = () => Date.now() + skew;
  /** The server's clock from an answer's Date header (whole seconds: the middle of it). */
  function learnSkew(res: Response, sentAt: number) {
    const date = Date.parse(res.headers.get("date") ?? "");
    if (Number.isFinite(date)) skew = date + 500 - (sentAt + Date.now()) / 2;
  }

  const storage = {
    get(key: string): string | null {
      try {
        return localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set(key: string, value: string) {
      try {
        localStorage.setItem(key, value);
      } catch {
        // storage full or disabled: the screen still works, it just forgets on reload
      }
    },
  };

  // ---------- elements ----------
  const body = document.body;
  const loginView = byId("login-view");
  const dayView = byId("day-view");
  const loginForm = byId<HTMLFormElement>("login-form");
  const storeIdInput = byId<HTMLInputElement>("store-id");
  const pinInput = byId<HTMLInputElement>("pin");
  const tokenInput = byId<HTMLInputElement>("device-token");
  const tokenField = byId("device-field");
  const tokenSaved = byId("device-saved");
  const tokenHint = byId("device-hint");
  const tokenChange = byId<HTMLButtonElement>("device-change");
  const loginButton = byId<HTMLButtonElement>("login-submit");
  const loginMsg = byId("login-msg");
  const storeName = byId("store-name");
  const conn = byId("conn");
  const connBanner = byId("conn-banner");
  const tabs = byId("tabs");
  const tabButtons = Array.from(tabs.querySelectorAll<HTMLButtonElement>("[data-tab]"));
  const soundButton = byId<HTMLButtonElement>("sound");
  const logoutButton = byId<HTMLButtonElement>("logout");
  const badge = byId("state-badge");
  const statsEl = byId("day-summary");
  const statOrders = byId("stat-orders");
  const statSales = byId("stat-sales");
  const statCancel = byId("stat-cancel");
  const dayMsg = byId("day-msg");
  const boardNote = byId("board-note");
  const actionButtons = Array.from(document.querySelectorAll<HTMLButtonElement>("[data-action]"));
  const boardEl = byId("board");
  const columnEls = {
    PAID: byId<HTMLOListElement>("col-PAID"),
    ACCEPTED: byId<HTMLOListElement>("col-ACCEPTED"),
    READY: byId<HTMLOListElement>("col-READY"),
  };
  const countEls = {
    PAID: byId("count-PAID"),
    ACCEPTED: byId("count-ACCEPTED"),
    READY: byId("count-READY"),
  };
  const doneToggle = byId<HTMLButtonElement>("done-toggle");
  const doneCount = byId("done-count");
  const donePanel = byId("done-panel");
  const doneList = byId<HTMLOListElement>("done-list");
  const doneEmpty = byId("done-empty");
  const doneSummary = byId("done-summary");
  const logToggle = byId<HTMLButtonElement>("log-toggle");
  const logPanel = byId("log-panel");
  const list = byId<HTMLOListElement>("feed-list");
  const listEmpty = byId("feed-empty");
  const cancelDialog = byId("cancel-dialog");
  const cancelForm = byId<HTMLFormElement>("cancel-form");
  const cancelTitle = byId("cancel-title");
  const cancelSummary = byId("cancel-summary");
  const cancelReason = byId<HTMLTextAreaElement>("cancel-reason");
  const cancelMsg = byId("cancel-msg");
  const cancelBack = byId<HTMLButtonElement>("cancel-back");
  const cancelConfirm = byId<HTMLButtonElement>("cancel-confirm");
  const menuView = byId("menu-view");
  const menuList = byId("menu-list");
  const menuEmpty = byId("menu-empty");
  const menuMsg = byId("menu-msg");
  const menuAdd = byId<HTMLButtonElement>("menu-add");
  const itemDialog = byId("item-dialog");
  const itemForm = byId<HTMLFormElement>("item-form");
  const itemTitle = byId("item-title");
  const itemName = byId<HTMLInputElement>("item-name");
  const itemPrice = byId<HTMLInputElement>("item-price");
  const itemCategory = byId<HTMLInputElement>("item-category");
  const itemCategories = byId("item-categories");
  const itemDescription = byId<HTMLTextAreaElement>("item-description");
  const itemOptions = byId<HTMLTextAreaElement>("item-options");
  const itemImage = byId<HTMLInputElement>("item-image");
  const itemSoldOut = byId<HTMLInputElement>("item-soldout");
  const itemMsg = byId("item-msg");
  const itemDelete = byId<HTMLButtonElement>("item-delete");
  const itemCancel = byId<HTMLButtonElement>("item-cancel");
  const itemSave = byId<HTMLButtonElement>("item-save");
  const replaced = byId("replaced");
  const reconnectButton = byId<HTMLButtonElement>("reconnect");
  const toast = byId("toast");

  // ---------- session state ----------
  const board = lib.createBoard();
  let currentStore: string | null = null;
  let feed: EventSource | null = null;
  let feedFailed = false; // the feed dropped since it last opened: resync the board on reopen
  let saved: Saved = { lastEventId: null, state: null, rows: [], dayId: null, orders: [] };
  let stateSeq = 0; // bumped by every feed event that sets the day state
  let daySeq = 0; // bumped whenever the board starts over (new day, reset)
  let syncSeq = 0;
  let syncTimer: ReturnType<typeof setTimeout> | undefined;
  let boardSynced = false; // the board holds GET /store/orders of its day
  let dayInfo: DayView = null;
  let liveDayId: string | null = null;
  let busy = false;
  let awaitingFeed = false;
  let awaitTimer: ReturnType<typeof setTimeout> | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let toastTimer: ReturnType<typeof setTimeout> | undefined;
  let retryDelay = 2000;
  let skew = 0; // the server's clock minus this device's, from a Date header (±1 s)
  /** Server time from which a paid order is news: the feed replays the day before it. */
  let replayFrom = 0;
  let wake: WakeLockSentinel | null = null;
  const pending = new Set<string>(); // orders with a request in flight
  const fresh = new Map<string, number>(); // newly paid orders → when they arrived (highlight)

  const feedKey = () => `so:feed:${currentStore ?? ""}`;

  function loadSaved(): Saved {
    const empty: Saved = { lastEventId: null, state: null, rows: [], dayId: null, orders: [] };
    const raw = storage.get(feedKey());
    if (!raw) return empty;
    try {
      const v: unknown = JSON.parse(raw);
      if (!isObj(v) || !Array.isArray(v.rows)) return empty;
      const rows = v.rows
        .filter(
          (r): r is Row =>
            isObj(r) &&
            typeof r.id === "string" &&
            typeof r.type === "string" &&
            typeof r.at === "number" &&
            typeof r.label === "string" &&
            typeof r.detail === "string" &&
            typeof r.tone === "string" &&
            (r.orderId === undefined || typeof r.orderId === "string") &&
            (r.pickup === undefined || typeof r.pickup === "number"),
        )
        .slice(0, MAX_ROWS);
      return {
        lastEventId: typeof v.lastEventId === "string" ? v.lastEventId : null,
        state: isState(v.state) ? v.state : null,
        rows,
        dayId: typeof v.dayId === "string" ? v.dayId : null,
        orders: Array.isArray(v.orders) ? v.orders : [],
      };
    } catch {
      return empty;
    }
  }

  function saveNow() {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!currentStore) return;
    saved.dayId = board.dayId;
    saved.orders = board.list();
    storage.set(feedKey(), JSON.stringify(saved));
  }

  /** Rows, board and lastEventId are written together, so a reload never shows a row twice. */
  function scheduleSave() {
    if (saveTimer === undefined) saveTimer = setTimeout(saveNow, 100);
  }

  function showToast(text: string, tone: "ok" | "error" = "ok") {
    toast.textContent = text;
    toast.dataset.tone = tone;
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => {
      toast.hidden = true;
    }, 4000);
  }

  // ---------- sound and title ----------
  let audio: AudioContext | null = null;
  let soundOn = storage.get(KEY_SOUND) !== "off";
  const baseTitle = document.title;
  let flashTimer: ReturnType<typeof setInterval> | undefined;
  let flashUntil = 0;
  let flashText = "";
  let lastBeep = 0;

  function renderSound() {
    const locked = soundOn && audio?.state !== "running";
    soundButton.setAttribute("aria-pressed", String(soundOn));
    soundButton.dataset.locked = String(locked);
    // Same width in every state: the tap that unlocks the audio must not move the buttons.
    soundButton.textContent = !soundOn ? "알림음 끔" : locked ? "알림음 켜기" : "알림음 켬";
    soundButton.title = !soundOn
      ? "새 주문 알림음이 꺼져 있습니다. 누르면 켭니다."
      : locked
        ? "브라우저는 화면을 한 번 눌러야 소리를 냅니다. 눌러서 알림음을 켜 주세요."
        : "새 주문이 오면 알림음이 울립니다. 누르면 끕니다.";
  }

  /** Browsers start audio only after a user gesture: every tap on the page tries. */
  function unlockAudio() {
    if (!soundOn) return;
    try {
      audio ??= new AudioContext();
      if (audio.state !== "running") void audio.resume().then(renderSound, renderSound);
    } catch {
      // no WebAudio here: the title still flashes
    }
    renderSound();
  }

  function beep() {
    if (!soundOn || !audio || audio.state !== "running") return;
    const now = Date.now();
    if (now - lastBeep < 1500) return; // a burst of orders is one beep
    lastBeep = now;
    try {
      const t0 = audio.currentTime + 0.02;
      const gain = audio.createGain();
      gain.connect(audio.destination);
      gain.gain.setValueAtTime(0.0001, t0);
      [880, 1175, 1568].forEach((freq, i) => {
        const start = t0 + i * 0.16;
        const osc = audio!.createOscillator();
        osc.type = "sine";
        osc.frequency.setValueAtTime(freq, start);
        osc.connect(gain);
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.45, start + 0.015);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.14);
        osc.start(start);
        osc.stop(start + 0.15);
      });
    } catch {
      // the beep is a nicety; the card and the title still show the order
    }
  }

  function stopFlash() {
    clearInterval(flashTimer);
    flashTimer = undefined;
    document.title = baseTitle;
  }

  function flashTitle(text: string) {
    flashText = text;
    flashUntil = Date.now() + 60_000;
    document.title = text;
    if (flashTimer !== undefined) return;
    flashTimer = setInterval(() => {
      if (Date.now() > flashUntil) return stopFlash();
      document.title = document.title === baseTitle ? flashText : baseTitle;
    }, 1000);
  }

  /** A new paid order reached the board: sound, title, highlight. */
  function alertNewOrder(o: BoardOrder) {
    body.dataset.alerts = String(Number(body.dataset.alerts ?? "0") + 1);
    fresh.set(o.id, Date.now());
    flashTitle(`● 새 주문 ${o.pickupNumber ?? ""}번 · 심플오더`);
    beep();
  }

  // ---------- the log (기록) ----------
  function rowElement(r: Row): HTMLLIElement {
    const li = el("li", `row tone-${r.tone}`);
    li.dataset.id = r.id;
    li.dataset.type = r.type;
    const time = el("time", undefined, fmtTime(r.at));
    time.dateTime = new Date(r.at).toISOString();
    const text = el("div", "row-text");
    text.append(el("strong", undefined, r.label));
    if (r.detail) text.append(el("span", undefined, r.detail));
    li.append(time, text);
    return li;
  }

  function renderList() {
    list.replaceChildren(...saved.rows.map(rowElement));
    listEmpty.hidden = saved.rows.length > 0;
  }

  function prependRow(r: Row) {
    list.prepend(rowElement(r));
    while (list.children.length > MAX_ROWS) list.lastElementChild?.remove();
    listEmpty.hidden = true;
  }

  function orderOf(data: Json): Json {
    return isObj(data.order) ? data.order : data;
  }

  /** The pickup number: in the event, on the board, or from an earlier row of the same order. */
  function pickupOf(o: Json): number | null {
    const n = num(o.pickupNumber) ?? num(o.pickup_number);
    if (n !== null) return n;
    const id = str(o.orderId) || str(o.id);
    if (!id) return null;
    const onBoard = board.get(id)?.pickupNumber;
    if (onBoard !== undefined && onBoard !== null) return onBoard;
    return saved.rows.find((r) => r.orderId === id && r.pickup !== undefined)?.pickup ?? null;
  }

  function orderTitle(o: Json, what: string) {
    const n = pickupOf(o);
    return n === null ? what : `${what} ${n}번`;
  }

  function itemsText(items: unknown): string {
    return lib
      .linesOf(items)
      .map((l) => `${l.name} ×${l.qty}${l.options.length ? ` (${l.options.join(", ")})` : ""}`)
      .join(", ");
  }

  function describe(type: string, data: Json, prev: DayState | null) {
    const join = (...parts: string[]) => parts.filter(Boolean).join(" · ");
    switch (type) {
      case "ready":
        return {
          label: "영업 준비",
          detail: data.businessDate ? `영업일 ${str(data.businessDate)}` : "",
          tone: "day",
        };
      case "state":
        if (data.state === "OPEN") {
          return prev === "BREAK"
            ? { label: "영업 재개", detail: "다시 주문을 받습니다", tone: "open" }
            : { label: "영업 시작", detail: "주문을 받습니다", tone: "open" };
        }
        if (data.state === "BREAK")
          return { label: "휴식", detail: "잠시 주문을 받지 않습니다", tone: "break" };
        if (data.state === "CLOSING")
          return { label: "마감 준비", detail: "새 주문을 받지 않습니다", tone: "closing" };
        return {
          label: "상태 변경",
          detail: STATE_LABEL[str(data.state)] ?? str(data.state),
          tone: "day",
        };
      case "closed":
        return { label: "영업 종료", detail: "정산을 시작합니다", tone: "closed" };
      case "order.paid": {
        const o = orderOf(data);
        const total = num(o.total) ?? num(o.totalAmount) ?? num(o.amount);
        return {
          label: orderTitle(o, "새 주문"),
          detail: join(itemsText(o.items), total === null ? "" : won(total), str(o.customerName)),
          tone: "order",
        };
      }
      case "order.accepted":
        return { label: orderTitle(orderOf(data), "주문 접수"), detail: "", tone: "progress" };
      case "order.ready":
        return {
          label: orderTitle(orderOf(data), "준비 완료"),
          detail: "손님께 알림을 보냈습니다",
          tone: "progress",
        };
      case "order.picked_up":
        return { label: orderTitle(orderOf(data), "픽업 완료"), detail: "", tone: "done" };
      case "order.canceled": {
        const o = orderOf(data);
        const refunded = data.refunded ?? o.refunded;
        const refund =
          typeof refunded === "number"
            ? `${won(refunded)} 환불`
            : refunded === true
              ? "전액 환불"
              : refunded === false
                ? "환불 없음"
                : "";
        const reason = str(data.reason) || str(o.reason);
        return {
          label: orderTitle(o, "주문 취소"),
          detail: join(reason ? `사유: ${reason}` : "", refund),
          tone: "canceled",
        };
      }
      default:
        return { label: type, detail: "", tone: "day" };
    }
  }

  // ---------- the board ----------
  const cardEls = new Map<string, HTMLLIElement>();
  const cardKeys = new Map<string, string>();

  function card(o: BoardOrder): HTMLLIElement {
    const key = JSON.stringify([o, pending.has(o.id), fresh.has(o.id)]);
    const existing = cardEls.get(o.id);
    if (existing && cardKeys.get(o.id) === key) return existing;
    const li = existing ?? el("li", "order");
    li.dataset.orderId = o.id;
    li.dataset.status = o.status;
    li.dataset.pickup = String(o.pickupNumber ?? "");
    li.classList.toggle("fresh", fresh.has(o.id));
    li.classList.toggle("canceling", o.canceling);
    li.setAttribute("aria-busy", String(pending.has(o.id)));

    const head = el("div", "o-head");
    const numEl = el("span", "o-num", o.pickupNumber === null ? "–" : String(o.pickupNumber));
    numEl.setAttribute("aria-label", `픽업 번호 ${o.pickupNumber ?? ""}번`);
    const meta = el("div", "o-meta");
    const ago = el("span", "o-ago");
    ago.dataset.since = String(o.paidAt ?? "");
    meta.append(ago);
    if (o.customerName) meta.append(el("span", "o-name", o.customerName));
    head.append(numEl, meta);

    const items = el("ul", "o-items");
    if (!o.items.length) items.append(el("li", "o-loading", "주문 내용을 불러오는 중…"));
    for (const l of o.items) {
      const line = el("li");
      const top = el("div", "o-line");
      top.append(el("b", "o-item", l.name), el("span", "o-qty", `×${l.qty}`));
      line.append(top);
      if (l.options.length) line.append(el("small", "o-opts", l.options.join(" · ")));
      items.append(line);
    }

    const foot = el("div", "o-foot");
    foot.append(el("span", "o-total", o.totalAmount === null ? "" : won(o.totalAmount)));
    if (o.canceling) foot.append(el("span", "o-flag", "취소 처리 중"));

    const actions = el("div", "o-actions");
    const next = NEXT[o.status];
    if (next && !o.canceling) {
      const b = el("button", `o-next op-${next.op}`, next.label);
      b.type = "button";
      b.dataset.op = next.op;
      b.disabled = pending.has(o.id);
      actions.append(b);
    }
    const cancel = el("button", "o-cancel", "취소");
    cancel.type = "button";
    cancel.dataset.op = "cancel";
    cancel.disabled = pending.has(o.id);
    cancel.setAttribute("aria-label", `${o.pickupNumber ?? ""}번 주문 취소`);
    actions.append(cancel);

    li.replaceChildren(head, items, foot, actions);
    updateAge(li);
    cardEls.set(o.id, li);
    cardKeys.set(o.id, key);
    return li;
  }

  function updateAge(li: HTMLElement) {
    const ago = li.querySelector<HTMLElement>(".o-ago");
    if (!ago) return;
    const since = Number(ago.dataset.since) || null;
    const now = Date.now();
    ago.textContent = since === null ? "" : `${lib.ago(since, now)} 결제`;
    li.classList.toggle(
      "late",
      since !== null && now - since > LATE_MS && li.dataset.status !== "READY",
    );
  }

  function doneItem(o: BoardOrder): HTMLLIElement {
    const li = el("li", `done-item done-${o.status === "CANCELED" ? "canceled" : "picked"}`);
    li.dataset.orderId = o.id;
    li.append(el("b", "done-num", String(o.pickupNumber ?? "–")));
    const text = el("div", "done-text");
    const when = o.movedAt === null ? "" : fmtShort(o.movedAt);
    if (o.status === "CANCELED") {
      text.append(el("strong", undefined, `취소${when ? ` · ${when}` : ""}`));
      const parts = [
        o.cancelReason ? `사유: ${o.cancelReason}` : "",
        o.refunded !== null ? `${won(o.refunded)} 환불` : "",
      ];
      text.append(el("span", undefined, parts.filter(Boolean).join(" · ")));
    } else {
      text.append(el("strong", undefined, `픽업 완료${when ? ` · ${when}` : ""}`));
      const parts = [
        o.items.map((l) => `${l.name} ×${l.qty}`).join(", "),
        o.totalAmount === null ? "" : won(o.totalAmount),
      ];
      text.append(el("span", undefined, parts.filter(Boolean).join(" · ")));
    }
    li.append(text);
    return li;
  }

  function renderBoard() {
    const now = Date.now();
    for (const [id, at] of fresh) if (now - at > 30_000) fresh.delete(id);
    const cols = board.columns();
    const live = new Set<string>();
    for (const status of ["PAID", "ACCEPTED", "READY"] as const) {
      const target = columnEls[status];
      const cards = cols[status].map((o) => {
        live.add(o.id);
        return card(o);
      });
      // Reorder only what moved: focus and animations of the others stay.
      cards.forEach((c, i) => {
        if (target.children[i] !== c) target.insertBefore(c, target.children[i] ?? null);
      });
      while (target.children.length > cards.length) target.lastElementChild?.remove();
      countEls[status].textContent = String(cards.length);
      target.parentElement?.classList.toggle("is-empty", cards.length === 0);
    }
    for (const id of [...cardEls.keys()]) {
      if (!live.has(id)) {
        cardEls.get(id)?.remove();
        cardEls.delete(id);
        cardKeys.delete(id);
      }
    }
    doneList.replaceChildren(...cols.done.map(doneItem));
    doneEmpty.hidden = cols.done.length > 0;
    const totals = board.totals();
    doneCount.textContent = totals.canceled
      ? `${totals.pickedUp} · 취소 ${totals.canceled}`
      : String(totals.pickedUp);
    doneSummary.textContent = `픽업 완료 ${totals.pickedUp}건 · 취소 ${totals.canceled}건`;
    renderStats();
  }

  function renderStats() {
    statsEl.hidden = !dayInfo; // no live day: nothing to count yet
    if (!dayInfo) return;
    const totals = board.totals();
    statOrders.textContent = `${dayInfo.orderCount.toLocaleString("ko-KR")}건`;
    statSales.textContent = won(Math.max(0, dayInfo.grossAmount - totals.refunded));
    statCancel.hidden = totals.canceled === 0;
    statCancel.textContent = `취소 ${totals.canceled}건 · 환불 ${won(totals.refunded)}`;
  }

  function tickAges() {
    for (const li of cardEls.values()) updateAge(li);
    if (fresh.size) {
      const now = Date.now();
      for (const [id, at] of fresh) {
        if (now - at > 30_000) {
          fresh.delete(id);
          cardEls.get(id)?.classList.remove("fresh");
          cardKeys.delete(id);
        }
      }
    }
  }

  /** GET /store/day, then GET /store/orders merged into the board (never backwards). */
  async function syncBoard() {
    clearTimeout(syncTimer);
    const seq = ++syncSeq;
    const daysAt = daySeq;
    const r = await refreshDay();
    if (r === "login") return showLogin(MSG_EXPIRED);
    if (r !== "ok" || seq !== syncSeq || !currentStore) return;
    if (!liveDayId) {
      // No live day: yesterday's orders are not this board's business.
      if (board.size || board.dayId) {
        board.clear(null);
        daySeq++;
        renderBoard();
        scheduleSave();
      }
      boardSynced = true;
      return;
    }
    let snap: unknown;
    try {
      const res = await fetch("/store/orders", { headers: { accept: "application/json" } });
      if (res.status === 401) return showLogin(MSG_EXPIRED);
      if (!res.ok) throw new Error(String(res.status));
      snap = await res.json();
    } catch {
      if (seq === syncSeq) syncTimer = setTimeout(() => void syncBoard(), 3000);
      return;
    }
    if (seq !== syncSeq || !currentStore) return;
    if (daysAt !== daySeq) {
      // The feed started another day meanwhile: this answer may be of the old one.
      syncTimer = setTimeout(() => void syncBoard(), 200);
      return;
    }
    if (!isObj(snap) || !Array.isArray(snap.orders)) return;
    const dayBefore = board.dayId;
    board.applySnapshot({
      dayId: typeof snap.dayId === "string" ? snap.dayId : null,
      orders: snap.orders,
    });
    if (board.dayId !== dayBefore) daySeq++;
    boardSynced = true;
    renderBoard();
    scheduleSave();
  }

  function scheduleSync(ms = 300) {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(() => void syncBoard(), ms);
  }

  // ---------- feed events ----------
  function onFeedEvent(type: string, ev: MessageEvent<string>) {
    const id = ev.lastEventId;
    if (id && !lib.isNewer(id, saved.lastEventId)) return; // never apply an entry twice
    let data: Json = {};
    try {
      const parsed: unknown = JSON.parse(ev.data);
      if (isObj(parsed)) data = parsed;
    } catch {
      // keep {}: the row still shows what kind of event it was
    }
    const prev = saved.state;
    let setsState = true;
    if (type === "ready") saved.state = "READY";
    else if (type === "state" && isState(data.state)) saved.state = data.state;
    else if (type === "closed") saved.state = null;
    else setsState = false;

    // The board first: the log row can then name the order by its pickup number.
    const dayBefore = board.dayId;
    const known = type === "order.paid" ? board.get(str(orderOf(data).orderId)) : undefined;
    const applied = board.applyEvent(type, data, id ? lib.dayOfEventId(id) : board.dayId);
    if (board.dayId !== dayBefore) {
      // A new day on the board: GET /store/orders confirms it is empty (or catches up).
      daySeq++;
      boardSynced = false;
      scheduleSync();
    }

    const row: Row = {
      id: id || `local-${Date.now()}`,
      type,
      at: num(data.at) ?? num(data.paidAt) ?? Date.now(),
      ...describe(type, data, prev),
    };
    if (type.startsWith("order.")) {
      const o = orderOf(data);
      const orderId = str(o.orderId) || str(o.id);
      const pickup = pickupOf(o);
      if (orderId) row.orderId = orderId;
      if (pickup !== null) row.pickup = pickup;
    }
    saved.rows.unshift(row);
    if (saved.rows.length > MAX_ROWS) saved.rows.length = MAX_ROWS;
    if (id) saved.lastEventId = id;
    prependRow(row);

    const order = applied.order;
    if (type === "order.paid" && order && !known && order.status === "PAID") {
      // Every order this screen has not seen is news (also those paid while it was offline and
      // resent on resume), except the day's old orders replayed after a reset or a fresh start.
      if ((order.paidAt ?? serverNow()) >= replayFrom) alertNewOrder(order);
      if (dayInfo && boardSynced) {
        // At once; GET /store/day below confirms.
        dayInfo.orderCount++;
        dayInfo.grossAmount += order.totalAmount ?? 0;
      }
    }
    if (order && !order.complete) scheduleSync(); // a move of an order we never saw paid
    if (applied.changed || type === "ready") renderBoard();
    scheduleSave();

    if (setsState) {
      stateSeq++;
      setBadge(saved.state);
      feedCaughtUp();
    }
    scheduleDayRefresh();
  }

  function onReset(ev: MessageEvent<string>) {
    replayFrom = serverNow(); // the whole day follows: orders paid before now are not news
    saved = { lastEventId: null, state: null, rows: [], dayId: null, orders: [] };
    board.clear(null);
    daySeq++;
    boardSynced = false;
    renderList();
    renderBoard();
    saveNow();
    let dayId: unknown = null;
    try {
      const parsed: unknown = JSON.parse(ev.data);
      if (isObj(parsed)) dayId = parsed.dayId;
    } catch {
      // no day id: what follows rebuilds the board anyway
    }
    if (!dayId) {
      // No live day: nothing will follow, so the badge is "영업 전" now.
      stateSeq++;
      setBadge(null);
    }
    // The feed replays the whole day next; GET /store/orders rebuilds the board meanwhile.
    scheduleSync(100);
  }

  // ---------- the feed connection ----------
  function setConn(mode: "connecting" | "live" | "retry" | "down") {
    conn.dataset.mode = mode;
    body.dataset.conn = mode;
    conn.textContent =
      mode === "live"
        ? "연결됨"
        : mode === "retry"
          ? "재연결 중…"
          : mode === "down"
            ? "연결 끊김"
            : "연결 중…";
    connBanner.hidden = !(mode === "retry" || (mode === "down" && replaced.hidden));
  }

  function closeFeed() {
    clearTimeout(retryTimer);
    if (feed) {
      feed.close();
      feed = null;
    }
  }

  function openFeed() {
    closeFeed();
    replaced.hidden = true;
    const url = saved.lastEventId
      ? `/store/events?lastEventId=${encodeURIComponent(saved.lastEventId)}`
      : "/store/events";
    const es = new EventSource(url);
    feed = es;
    // Without an id the feed replays the whole day: its old orders are not news.
    replayFrom = saved.lastEventId ? 0 : serverNow();
    setConn(feedFailed ? "retry" : "connecting");
    es.onopen = () => {
      if (feed !== es) return;
      retryDelay = 2000;
      setConn("live");
      if (feedFailed) {
        // Back after a drop (or a server restart): the feed resumes by Last-Event-ID; the
        // snapshot catches anything the feed cannot tell (e.g. a refund that failed).
        feedFailed = false;
        scheduleSync(500);
      }
    };
    es.onerror = () => {
      if (feed !== es) return;
      feedFailed = true;
      if (es.readyState === EventSource.CLOSED) {
        // The server refused the feed (e.g. 401): the browser will not retry by itself.
        setConn("down");
        void recoverFeed();
      } else {
        setConn("retry");
      }
    };
    for (const type of FEED_TYPES) {
      es.addEventListener(type, (ev) => {
        if (feed === es) onFeedEvent(type, ev as MessageEvent<string>);
      });
    }
    es.addEventListener("reset", (ev) => {
      if (feed === es) onReset(ev as MessageEvent<string>);
    });
    es.addEventListener("replaced", () => {
      if (feed !== es) return;
      closeFeed();
      replaced.hidden = false;
      setConn("down");
      setActions();
    });
  }

  async function recoverFeed() {
    closeFeed();
    try {
      const res = await fetch("/store/day", { headers: { accept: "application/json" } });
      if (res.status === 401) return showLogin(MSG_EXPIRED);
    } catch {
      // offline: try again below
    }
    if (!currentStore) return;
    setConn("retry");
    retryTimer = setTimeout(openFeed, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  // ---------- day state ----------
  function setBadge(state: DayState | null) {
    const key = state ?? "NONE";
    badge.textContent = STATE_LABEL[key] ?? key;
    badge.dataset.state = key;
    body.dataset.state = key;
    const note = STATE_NOTE[key] ?? "";
    boardNote.textContent = note;
    boardNote.hidden = !note;
    boardNote.dataset.state = key;
    setActions();
  }

  function setActions() {
    const allowed = ALLOWED[badge.dataset.state ?? "NONE"] ?? [];
    const locked = busy || awaitingFeed || !replaced.hidden;
    for (const b of actionButtons) {
      b.hidden = !allowed.includes(b.dataset.action ?? "");
      b.disabled = locked;
    }
  }

  /** GET /store/day; its state is used only when no feed event changed the state meanwhile. */
  async function refreshDay(): Promise<"ok" | "login" | "error"> {
    const seq = stateSeq;
    const sentAt = Date.now();
    let res: Response;
    try {
      res = await fetch("/store/day", { headers: { accept: "application/json" } });
    } catch {
      return "error";
    }
    learnSkew(res, sentAt);
    if (res.status === 401) return "login";
    if (!res.ok) return "error";
    const { day } = (await res.json()) as { day: DayView };
    if (!currentStore) return "ok";
    liveDayId = day ? day.id : null;
    dayInfo = day;
    renderStats();
    // A feed event meanwhile is newer than this answer (and schedules its own refresh).
    // The badge only: `saved.state` stays what the feed said (it names the next transition).
    if (seq === stateSeq) setBadge(day ? day.state : null);
    return "ok";
  }

  /** At most one GET /store/day per 400 ms, however busy the feed is (a throttle, not a debounce). */
  function scheduleDayRefresh() {
    if (refreshTimer !== undefined) return;
    refreshTimer = setTimeout(async () => {
      refreshTimer = undefined;
      const r = await refreshDay();
      if (r === "login") return showLogin(MSG_EXPIRED);
      if (r === "ok" && !liveDayId && board.size) {
        board.clear(null);
        daySeq++;
        renderBoard();
        scheduleSave();
      }
    }, 400);
  }

  function feedCaughtUp() {
    clearTimeout(awaitTimer);
    if (awaitingFeed) {
      awaitingFeed = false;
      setActions();
    }
  }

  /** After a change, the buttons wait for the feed to confirm it (or 3 s, then ask the server). */
  function awaitFeed() {
    awaitingFeed = true;
    setActions();
    clearTimeout(awaitTimer);
    awaitTimer = setTimeout(async () => {
      awaitingFeed = false;
      if ((await refreshDay()) === "login") return showLogin(MSG_EXPIRED);
      setActions();
    }, 3000);
  }

  function showDayMsg(text: string, tone: "error" | "ok" | "" = "") {
    dayMsg.textContent = text;
    dayMsg.dataset.tone = tone;
    dayMsg.hidden = !text;
  }

  function dayError(res: Response, e: Json): string {
    switch (e.error) {
      case "invalid_transition":
        return `지금 상태(${STATE_LABEL[str(e.state) || "NONE"] ?? str(e.state)})에서는 할 수 없습니다. 화면을 최신 상태로 맞췄습니다.`;
      case "client_behind":
        return `이 화면이 아직 받지 못한 알림이 ${num(e.missed) ?? "몇"}건 있습니다. 목록이 갱신된 뒤 다시 눌러 주세요.`;
      case "orders_open": {
        const ns = Array.isArray(e.pickupNumbers) ? e.pickupNumbers.map(str).filter(Boolean) : [];
        const which = ns.length ? ` (${ns.map((n) => `${n}번`).join(", ")})` : "";
        return `아직 끝나지 않은 주문이 있습니다${which}. 픽업 완료 또는 취소한 뒤 영업을 종료해 주세요.`;
      }
      case "invalid_last_event_id":
        return "실시간 목록이 아직 준비되지 않았습니다. 잠시 후 다시 시도해 주세요.";
      case "conflict":
        return "다른 요청과 겹쳤습니다. 다시 시도해 주세요.";
      default:
        return str(e.message) || `요청을 처리하지 못했습니다 (${res.status}).`;
    }
  }

  async function errorBody(res: Response): Promise<Json> {
    try {
      const v: unknown = await res.json();
      return isObj(v) ? v : {};
    } catch {
      return {};
    }
  }

  // Destructive buttons ask for a second tap instead of a blocking dialog.
  const armed = new Map<HTMLButtonElement, ReturnType<typeof setTimeout>>();
  function disarm(button: HTMLButtonElement) {
    const timer = armed.get(button);
    if (timer === undefined) return;
    clearTimeout(timer);
    armed.delete(button);
    button.textContent = button.dataset.label ?? button.textContent;
    button.classList.remove("armed");
  }
  function confirmTap(button: HTMLButtonElement, prompt: string): boolean {
    if (armed.has(button)) {
      disarm(button);
      return true;
    }
    button.dataset.label = button.textContent ?? "";
    button.textContent = prompt;
    button.classList.add("armed");
    armed.set(
      button,
      setTimeout(() => disarm(button), 4000),
    );
    return false;
  }

  async function act(button: HTMLButtonElement) {
    const action = button.dataset.action ?? "";
    if (busy || !action) return;
    if (action === "close") {
      if (!saved.lastEventId) {
        showDayMsg(
          "실시간 목록을 아직 받지 못했습니다. 연결을 확인한 뒤 다시 시도해 주세요.",
          "error",
        );
        return;
      }
      if (!confirmTap(button, "한 번 더 누르면 영업 종료")) return;
    }
    busy = true;
    setActions();
    showDayMsg("");
    const seqBefore = stateSeq;
    try {
      const res = await fetch(`/store/day/${action}`, {
        method: "POST",
        headers: json,
        body: action === "close" ? JSON.stringify({ lastEventId: saved.lastEventId }) : undefined,
      });
      if (res.status === 401) return showLogin(MSG_EXPIRED);
      if (!res.ok) {
        showDayMsg(dayError(res, await errorBody(res)), "error");
        void refreshDay();
        return;
      }
      if (action === "close") showDayMsg("영업을 종료했습니다. 정산을 시작합니다.", "ok");
      // The feed's entry may arrive before the POST's answer; then there is nothing to wait for.
      if (stateSeq === seqBefore) awaitFeed();
    } catch {
      showDayMsg(MSG_NETWORK, "error");
    } finally {
      busy = false;
      setActions();
    }
  }

  // ---------- order actions ----------
  const pickupName = (o: BoardOrder | undefined) =>
    o?.pickupNumber === null || o?.pickupNumber === undefined ? "이" : `${o.pickupNumber}번`;

  function orderError(o: BoardOrder | undefined, res: Response, e: Json): string {
    const which = pickupName(o);
    switch (e.error) {
      case "invalid_transition":
        return `${which} 주문은 이미 ‘${ORDER_STATE_LABEL[str(e.state)] ?? str(e.state)}’ 상태입니다. 화면을 최신 상태로 맞췄습니다.`;
      case "not_found":
        return `${which} 주문을 찾을 수 없습니다. 화면을 새로 맞췄습니다.`;
      case "payment_provider":
        return "카카오페이가 환불을 확인해 주지 않아 주문은 그대로입니다. 잠시 후 다시 시도해 주세요.";
      case "cancel_in_progress":
        return `${which} 주문은 지금 취소가 진행 중입니다. 잠시 후 확인해 주세요.`;
      case "invalid_input":
        return "취소 사유를 200자 이내로 적어 주세요.";
      default:
        return str(e.message) || `요청을 처리하지 못했습니다 (${res.status}).`;
    }
  }

  async function moveOrder(id: string, op: string) {
    const o = board.get(id);
    if (pending.has(id)) return;
    pending.add(id);
    renderBoard();
    try {
      const res = await fetch(`/store/orders/${encodeURIComponent(id)}/${op}`, {
        method: "POST",
        headers: json,
      });
      if (res.status === 401) return showLogin(MSG_EXPIRED);
      const answer: Json = res.ok ? ((await res.json()) as Json) : await errorBody(res);
      if (res.ok) {
        board.applyMove(id, str(answer.status));
        if (op === "ready")
          showToast(`${pickupName(o)} 준비 완료: 손님께 카카오톡으로 알렸습니다.`);
      } else {
        if (answer.error === "invalid_transition") board.applyMove(id, str(answer.state));
        showToast(orderError(o, res, answer), "error");
        scheduleSync(0);
      }
    } catch {
      showToast(MSG_NETWORK, "error");
    } finally {
      pending.delete(id);
      renderBoard();
      scheduleSave();
    }
  }

  let cancelId: string | null = null;
  const chips = Array.from(cancelForm.querySelectorAll<HTMLButtonElement>("[data-reason]"));
  function markChips() {
    const reason = cancelReason.value.trim();
    for (const c of chips) c.setAttribute("aria-pressed", String(c.dataset.reason === reason));
  }
  let lastFocus: HTMLElement | null = null;

  function openCancel(id: string) {
    const o = board.get(id);
    if (!o) return;
    cancelId = id;
    lastFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    cancelTitle.textContent = `${pickupName(o)} 주문을 취소할까요?`;
    cancelSummary.textContent = [
      o.items.map((l) => `${l.name} ×${l.qty}`).join(", "),
      o.totalAmount === null ? "" : won(o.totalAmount),
      o.customerName,
    ]
      .filter(Boolean)
      .join(" · ");
    cancelConfirm.textContent =
      o.totalAmount === null ? "취소하고 환불" : `취소하고 ${won(o.totalAmount)} 환불`;
    cancelReason.value = "";
    markChips();
    cancelMsg.hidden = true;
    toast.hidden = true;
    cancelConfirm.disabled = false;
    cancelBack.disabled = false;
    cancelDialog.hidden = false;
    cancelReason.focus();
  }

  function closeCancel() {
    cancelDialog.hidden = true;
    cancelId = null;
    lastFocus?.focus();
  }

  async function submitCancel(ev: SubmitEvent) {
    ev.preventDefault();
    const id = cancelId;
    if (!id) return;
    const reason = cancelReason.value.trim();
    if (!reason) {
      cancelMsg.textContent = "취소 사유를 적거나 위에서 골라 주세요. 손님께 그대로 안내됩니다.";
      cancelMsg.hidden = false;
      cancelReason.focus();
      return;
    }
    const o = board.get(id);
    const label = cancelConfirm.textContent;
    cancelConfirm.disabled = true;
    cancelBack.disabled = true;
    cancelConfirm.textContent = "환불 처리 중…";
    cancelMsg.hidden = true;
    pending.add(id);
    renderBoard();
    try {
      const res = await fetch(`/store/orders/${encodeURIComponent(id)}/cancel`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ reason }),
      });
      if (res.status === 401) return showLogin(MSG_EXPIRED);
      const answer: Json = res.ok ? ((await res.json()) as Json) : await errorBody(res);
      if (res.ok) {
        board.applyMove(id, "CANCELED", answer);
        closeCancel();
        const refunded = num(answer.refunded);
        showToast(
          `${pickupName(o)} 주문을 취소했습니다${refunded === null ? "" : ` · ${won(refunded)} 환불`}.`,
        );
        return;
      }
      if (answer.error === "invalid_transition") board.applyMove(id, str(answer.state));
      cancelMsg.textContent = orderError(o, res, answer);
      cancelMsg.hidden = false;
      if (res.status !== 502) scheduleSync(0);
    } catch {
      cancelMsg.textContent = MSG_NETWORK;
      cancelMsg.hidden = false;
    } finally {
      pending.delete(id);
      cancelConfirm.disabled = false;
      cancelBack.disabled = false;
      cancelConfirm.textContent = label;
      renderBoard();
      scheduleSave();
    }
  }

  // ---------- menu editor ----------
  let menu: MenuItem[] = [];
  let menuLoaded = false;
  let editing: MenuItem | null = null;
  const menuPending = new Set<string>();

  function toMenuItem(v: unknown): MenuItem | null {
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

  function showMenuMsg(text: string, tone: "error" | "ok" = "error") {
    menuMsg.textContent = text;
    menuMsg.dataset.tone = tone;
    menuMsg.hidden = !text;
  }

  async function loadMenu() {
    try {
      const res = await fetch("/store/menu", { headers: { accept: "application/json" } });
      if (res.status === 401) return showLogin(MSG_EXPIRED);
      if (!res.ok) throw new Error(String(res.status));
      const v: unknown = await res.json();
      menu = (isObj(v) && Array.isArray(v.items) ? v.items : [])
        .map(toMenuItem)
        .filter((i): i is MenuItem => i !== null);
      menuLoaded = true;
      renderMenu();
    } catch {
      showMenuMsg("메뉴를 불러오지 못했습니다. 잠시 후 다시 시도해 주세요.");
    }
  }

  function optionSummary(groups: unknown[]): string {
    return groups
      .filter(isObj)
      .map((g) => `${str(g.name)}${g.required === true ? "(필수)" : ""}`)
      .join(" · ");
  }

  function renderMenu() {
    const groups = new Map<string, MenuItem[]>();
    for (const item of menu) {
      const list = groups.get(item.category) ?? [];
      list.push(item);
      groups.set(item.category, list);
    }
    const sections = [...groups].map(([category, items]) => {
      const section = el("section", "menu-group");
      section.append(el("h3", undefined, category));
      const ul = el("ul", "menu-items");
      for (const item of items) {
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
        li.append(main, toggle, edit);
        ul.append(li);
      }
      section.append(ul);
      return section;
    });
    menuList.replaceChildren(...sections);
    menuEmpty.hidden = !menuLoaded || menu.length > 0;
    itemCategories.replaceChildren(
      ...[...groups.keys()].map((c) => {
        const o = el("option");
        o.value = c;
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
      const res = await fetch(`/store/menu/items/${encodeURIComponent(id)}`, {
        method: "PATCH",
        headers: json,
        body: JSON.stringify({ soldOut: next }),
      });
      if (res.status === 401) return showLogin(MSG_EXPIRED);
      if (!res.ok) throw new Error(str((await errorBody(res)).message));
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

  const fieldErrors = () => Array.from(itemForm.querySelectorAll<HTMLElement>(".field-error"));

  function setFieldError(field: string, text: string) {
    const target = itemForm.querySelector<HTMLElement>(`.field-error[data-field="${field}"]`);
    if (!target) return false;
    target.textContent = text;
    target.hidden = !text;
    target.parentElement?.classList.toggle("invalid", Boolean(text));
    return true;
  }

  function clearItemErrors() {
    for (const e of fieldErrors()) {
      e.hidden = true;
      e.textContent = "";
      e.parentElement?.classList.remove("invalid");
    }
    itemMsg.hidden = true;
  }

  const FIELD_MSG: Record<string, string> = {
    name: "메뉴 이름을 1~50자로 적어 주세요.",
    price: "가격은 1원 이상 1,000만 원 이하의 정수(원 단위)로 적어 주세요. 예: 4500",
    category: "분류는 1~30자로 적어 주세요.",
    description: "설명은 230자 이하로 적어 주세요.",
    imageUrl: "이미지 주소는 http:// 또는 https:// 로 시작하는 주소여야 합니다.",
    optionGroups:
      "옵션을 확인해 주세요: 옵션 이름은 서로 달라야 하고, 한 옵션 안의 선택지 이름도 서로 달라야 합니다.",
  };

  function openItem(item: MenuItem | null) {
    editing = item;
    lastFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    clearItemErrors();
    disarm(itemDelete);
    itemTitle.textContent = item ? `${item.name} 수정` : "메뉴 추가";
    itemName.value = item?.name ?? "";
    itemPrice.value = item ? String(item.price) : "";
    itemCategory.value = item?.category ?? "";
    itemDescription.value = item?.description ?? "";
    itemOptions.value = item ? lib.formatOptions(item.optionGroups) : "";
    itemImage.value = item?.imageUrl ?? "";
    itemSoldOut.checked = item?.soldOut ?? false;
    itemDelete.hidden = !item;
    itemSave.disabled = false;
    toast.hidden = true;
    itemDialog.hidden = false;
    itemForm.scrollTop = 0;
    itemName.focus();
  }

  function closeItem() {
    itemDialog.hidden = true;
    editing = null;
    lastFocus?.focus();
  }

  async function submitItem(ev: SubmitEvent) {
    ev.preventDefault();
    clearItemErrors();
    const item = editing;
    let bad = false;
    const name = itemName.value.trim();
    if (!name) bad = setFieldError("name", "메뉴 이름을 적어 주세요.");
    const rawPrice = itemPrice.value.replace(/[,\s원₩]/g, "");
    const price = Number(rawPrice);
    if (!rawPrice) bad = setFieldError("price", "가격을 적어 주세요. 예: 4500");
    else if (!Number.isFinite(price))
      bad = setFieldError("price", "가격은 숫자로 적어 주세요. 예: 4500");
    const parsed = lib.parseOptions(itemOptions.value);
    if ("error" in parsed) bad = setFieldError("optionGroups", parsed.error);
    if (bad) return;
    const category = itemCategory.value.trim();
    const description = itemDescription.value.trim();
    const imageUrl = itemImage.value.trim();
    const groups = "groups" in parsed ? parsed.groups : [];

    let payload: Json;
    if (!item) {
      payload = { name, price, soldOut: itemSoldOut.checked, optionGroups: groups };
      if (category) payload.category = category;
      if (description) payload.description = description;
      if (imageUrl) payload.imageUrl = imageUrl;
    } else {
      payload = {};
      if (name !== item.name) payload.name = name;
      if (price !== item.price) payload.price = price;
      if (category && category !== item.category) payload.category = category;
      if (description !== (item.description ?? ""))
        payload.description = description ? description : null;
      if (imageUrl !== (item.imageUrl ?? "")) payload.imageUrl = imageUrl ? imageUrl : null;
      if (itemSoldOut.checked !== item.soldOut) payload.soldOut = itemSoldOut.checked;
      if (lib.formatOptions(groups) !== lib.formatOptions(item.optionGroups))
        payload.optionGroups = groups;
      if (!Object.keys(payload).length) return closeItem();
    }

    itemSave.disabled = true;
    try {
      const res = await fetch(
        item ? `/store/menu/items/${encodeURIComponent(item.id)}` : "/store/menu/items",
        { method: item ? "PATCH" : "POST", headers: json, body: JSON.stringify(payload) },
      );
      if (res.status === 401) return showLogin(MSG_EXPIRED);
      if (!res.ok) {
        const e = await errorBody(res);
        const issues = Array.isArray(e.issues) ? e.issues.filter(isObj) : [];
        let shown = false;
        for (const issue of issues) {
          const field = str(issue.path).split(".")[0] ?? "";
          if (FIELD_MSG[field] && setFieldError(field, FIELD_MSG[field] ?? "")) shown = true;
        }
        if (!shown) {
          itemMsg.textContent =
            e.error === "not_found"
              ? "이 메뉴는 이미 삭제되었습니다."
              : str(e.message) || `저장하지 못했습니다 (${res.status}).`;
          itemMsg.hidden = false;
        }
        return;
      }
      closeItem();
      showToast(item ? `${name}: 저장했습니다.` : `${name}: 메뉴에 추가했습니다.`);
      await loadMenu();
    } catch {
      itemMsg.textContent = MSG_NETWORK;
      itemMsg.hidden = false;
    } finally {
      itemSave.disabled = false;
    }
  }

  async function deleteItem() {
    const item = editing;
    if (!item) return;
    if (!confirmTap(itemDelete, "한 번 더 누르면 삭제")) return;
    try {
      const res = await fetch(`/store/menu/items/${encodeURIComponent(item.id)}`, {
        method: "DELETE",
      });
      if (res.status === 401) return showLogin(MSG_EXPIRED);
      if (!res.ok && res.status !== 404) throw new Error(String(res.status));
      closeItem();
      showToast(`${item.name}: 메뉴에서 뺐습니다.`);
      await loadMenu();
    } catch {
      itemMsg.textContent = "삭제하지 못했습니다. 다시 시도해 주세요.";
      itemMsg.hidden = false;
    }
  }

  // ---------- tabs and drawers ----------
  function showTab(tab: "board" | "menu") {
    body.dataset.tab = tab;
    boardEl.hidden = tab !== "board";
    menuView.hidden = tab !== "menu";
    for (const b of tabButtons) b.setAttribute("aria-pressed", String(b.dataset.tab === tab));
    if (tab === "menu") void loadMenu();
  }

  function toggleDrawer(panel: HTMLElement, button: HTMLButtonElement, open?: boolean) {
    const show = open ?? panel.hidden;
    for (const [p, b] of [
      [donePanel, doneToggle],
      [logPanel, logToggle],
    ] as const) {
      const mine = p === panel;
      p.hidden = !(mine && show);
      b.setAttribute("aria-expanded", String(mine && show));
    }
    if (show) panel.querySelector<HTMLElement>(".close")?.focus();
    else button.focus();
  }

  // ---------- login ----------
  function showLoginMsg(text: string, tone: "error" | "ok" = "error") {
    loginMsg.textContent = text;
    loginMsg.dataset.tone = tone;
    loginMsg.hidden = !text;
  }

  function prefillLogin() {
    const sid = storage.get(KEY_STORE);
    if (sid && !storeIdInput.value) storeIdInput.value = sid;
    const token = storage.get(KEY_DEVICE);
    const hasToken = Boolean(token);
    tokenField.hidden = hasToken;
    tokenSaved.hidden = !hasToken;
    tokenInput.required = !hasToken;
    tokenInput.value = "";
    if (token) tokenHint.textContent = `등록된 기기 · 끝자리 ${token.slice(-4)}`;
  }

  function locate(): Promise<{ lat: number; lng: number; accuracy: number }> {
    return new Promise((resolve, reject) => {
      if (!("geolocation" in navigator)) {
        reject(new Error("unsupported"));
        return;
      }
      navigator.geolocation.getCurrentPosition(
        (p) =>
          resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy }),
        reject,
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
      );
    });
  }

  function geoMessage(err: unknown): string {
    const code = isObj(err) ? num(err.code) : null;
    if (!window.isSecureContext)
      return "위치 권한이 필요합니다. 위치 확인은 보안 연결(https://)에서만 동작하니 https 주소로 접속해 주세요.";
    if (code === 1)
      return "위치 권한이 필요합니다. 브라우저(또는 기기) 설정에서 이 사이트의 위치 접근을 허용한 뒤 다시 로그인해 주세요.";
    if (code === 2)
      return "위치 권한은 있지만 현재 위치를 확인할 수 없습니다. GPS와 Wi-Fi를 켜고 다시 시도해 주세요.";
    if (code === 3)
      return "위치 확인 시간이 초과되었습니다. 신호가 잘 잡히는 곳에서 다시 시도해 주세요.";
    return "위치 권한이 필요합니다. 이 브라우저에서는 위치를 확인할 수 없습니다.";
  }

  function loginError(res: Response, e: Json): string {
    switch (e.error) {
      case "invalid_credentials":
        return tokenField.hidden
          ? "PIN 또는 기기 정보가 맞지 않습니다. 기기가 바뀌었다면 ‘기기 변경’을 눌러 기기 토큰을 다시 입력해 주세요."
          : "PIN 또는 기기 토큰이 맞지 않습니다.";
      case "too_far": {
        const d = num(e.distanceM);
        const r = num(e.radiusM);
        const dist =
          d === null ? "" : d >= 1000 ? `${(d / 1000).toFixed(1)}km` : `${Math.round(d)}m`;
        return `매장에서${dist ? ` 약 ${dist}` : ""} 떨어져 있습니다. 매장${r === null ? " 근처" : ` ${r}m 안`}에서 로그인해 주세요.`;
      }
      case "session_active":
        return "다른 기기에서 이 매장에 이미 로그인되어 있습니다. 그 기기에서 로그아웃한 뒤 다시 시도해 주세요.";
      case "too_many_attempts": {
        const s = num(e.retryAfterSeconds);
        const min = s === null ? 10 : Math.max(1, Math.ceil(s / 60));
        return `로그인 실패가 너무 많아 잠시 잠겼습니다. ${min}분 후에 다시 시도해 주세요.`;
      }
      case "invalid_input":
        return `입력한 값을 확인해 주세요. (${str(e.message)})`;
      default:
        return str(e.message) || `로그인하지 못했습니다 (${res.status}).`;
    }
  }

  async function onLogin(ev: SubmitEvent) {
    ev.preventDefault();
    const storeId = storeIdInput.value.trim();
    const pin = pinInput.value.trim();
    const deviceToken = tokenInput.value.trim() || storage.get(KEY_DEVICE) || "";
    if (!storeId) return showLoginMsg("매장 ID를 입력해 주세요.");
    if (!pin) return showLoginMsg("PIN을 입력해 주세요.");
    if (!deviceToken) return showLoginMsg("기기 토큰을 입력해 주세요.");
    showLoginMsg("");
    loginButton.disabled = true;
    try {
      loginButton.textContent = "위치 확인 중…";
      let location: { lat: number; lng: number; accuracy: number };
      try {
        location = await locate();
      } catch (err) {
        return showLoginMsg(geoMessage(err));
      }
      loginButton.textContent = "로그인 중…";
      let res: Response;
      try {
        res = await fetch("/store/auth/login", {
          method: "POST",
          headers: json,
          body: JSON.stringify({ storeId, pin, deviceToken, location }),
        });
      } catch {
        return showLoginMsg(MSG_NETWORK);
      }
      if (!res.ok) return showLoginMsg(loginError(res, await errorBody(res)));
      const ok = (await res.json()) as { storeId: string; storeName: string };
      storage.set(KEY_STORE, ok.storeId);
      storage.set(KEY_DEVICE, deviceToken);
      storage.set(KEY_NAME, ok.storeName);
      pinInput.value = "";
      enterDay(ok.storeId, ok.storeName);
    } finally {
      loginButton.disabled = false;
      loginButton.textContent = "로그인";
    }
  }

  // ---------- views ----------
  async function keepAwake() {
    try {
      if (!currentStore || wake || document.visibilityState !== "visible") return;
      if (!("wakeLock" in navigator)) return;
      wake = await navigator.wakeLock.request("screen");
      wake.addEventListener("release", () => {
        wake = null;
      });
    } catch {
      // not allowed here (e.g. battery saver): the screen may dim, nothing else changes
    }
  }

  function enterDay(storeId: string, name: string, shown?: DayState | null) {
    if (currentStore !== storeId) {
      currentStore = storeId;
      saved = loadSaved();
      board.load(saved.dayId, saved.orders);
      boardSynced = false;
      daySeq++;
    }
    body.dataset.view = "day";
    loginView.hidden = true;
    dayView.hidden = false;
    conn.hidden = false;
    tabs.hidden = false;
    soundButton.hidden = false;
    logoutButton.hidden = false;
    storeName.textContent = name;
    showDayMsg("");
    renderList();
    renderBoard();
    renderSound();
    showTab("board");
    setBadge(shown === undefined ? saved.state : shown);
    feedFailed = false;
    openFeed();
    void syncBoard();
    void keepAwake();
  }

  function showLogin(message = "", tone: "error" | "ok" = "error") {
    saveNow();
    closeFeed();
    currentStore = null;
    awaitingFeed = false;
    dayInfo = null;
    liveDayId = null;
    clearTimeout(awaitTimer);
    clearTimeout(refreshTimer);
    refreshTimer = undefined;
    clearTimeout(syncTimer);
    syncSeq++;
    stopFlash();
    void wake?.release();
    body.dataset.view = "login";
    dayView.hidden = true;
    replaced.hidden = true;
    cancelDialog.hidden = true;
    itemDialog.hidden = true;
    connBanner.hidden = true;
    loginView.hidden = false;
    conn.hidden = true;
    tabs.hidden = true;
    soundButton.hidden = true;
    logoutButton.hidden = true;
    storeName.textContent = "";
    prefillLogin();
    showLoginMsg(message, tone);
  }

  async function logout() {
    if (!confirmTap(logoutButton, "한 번 더 누르면 로그아웃")) return;
    logoutButton.disabled = true;
    try {
      await fetch("/store/auth/logout", { method: "POST" });
    } catch {
      // the session will expire on its own; this screen forgets it now
    } finally {
      logoutButton.disabled = false;
      showLogin("로그아웃했습니다.", "ok");
    }
  }

  // ---------- wiring ----------
  loginForm.addEventListener("submit", (ev) => void onLogin(ev as SubmitEvent));
  tokenChange.addEventListener("click", () => {
    tokenSaved.hidden = true;
    tokenField.hidden = false;
    tokenInput.required = true;
    tokenInput.focus();
  });
  for (const b of actionButtons) b.addEventListener("click", () => void act(b));
  logoutButton.addEventListener("click", () => void logout());
  reconnectButton.addEventListener("click", () => {
    replaced.hidden = true;
    feedFailed = true; // resync the board once the feed is back
    openFeed();
    setActions();
  });

  boardEl.addEventListener("click", (ev) => {
    const target = ev.target instanceof Element ? ev.target : null;
    const button = target?.closest<HTMLButtonElement>("button[data-op]");
    const id = button?.closest<HTMLElement>("[data-order-id]")?.dataset.orderId;
    if (!button || !id || button.disabled) return;
    if (button.dataset.op === "cancel") openCancel(id);
    else void moveOrder(id, button.dataset.op ?? "");
  });
  cancelForm.addEventListener("submit", (ev) => void submitCancel(ev as SubmitEvent));
  cancelBack.addEventListener("click", closeCancel);
  for (const chip of chips) {
    chip.addEventListener("click", () => {
      cancelReason.value = chip.dataset.reason ?? "";
      markChips();
      cancelMsg.hidden = true;
      cancelConfirm.focus();
    });
  }
  cancelReason.addEventListener("input", markChips);

  for (const b of tabButtons)
    b.addEventListener("click", () => showTab(b.dataset.tab === "menu" ? "menu" : "board"));
  menuAdd.addEventListener("click", () => openItem(null));
  menuList.addEventListener("click", (ev) => {
    const target = ev.target instanceof Element ? ev.target : null;
    const button = target?.closest<HTMLButtonElement>("button[data-op]");
    const id = button?.closest<HTMLElement>("[data-item-id]")?.dataset.itemId;
    if (!button || !id || button.disabled) return;
    if (button.dataset.op === "soldout") void toggleSoldOut(id);
    else openItem(menu.find((i) => i.id === id) ?? null);
  });
  itemForm.addEventListener("submit", (ev) => void submitItem(ev as SubmitEvent));
  itemCancel.addEventListener("click", closeItem);
  itemDelete.addEventListener("click", () => void deleteItem());

  doneToggle.addEventListener("click", () => toggleDrawer(donePanel, doneToggle));
  logToggle.addEventListener("click", () => toggleDrawer(logPanel, logToggle));
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>("[data-close]"))) {
    b.addEventListener("click", () => {
      const panel = b.dataset.close === "log-panel" ? logPanel : donePanel;
      toggleDrawer(panel, panel === logPanel ? logToggle : doneToggle, false);
    });
  }

  soundButton.addEventListener("click", () => {
    const locked = soundButton.dataset.locked === "true";
    soundOn = locked ? true : !soundOn;
    storage.set(KEY_SOUND, soundOn ? "on" : "off");
    unlockAudio();
    renderSound();
    if (soundOn) {
      lastBeep = 0;
      // a short sample so the owner hears how loud it is
      setTimeout(beep, 50);
    }
  });
  // Any tap unlocks the audio; it also means someone is looking: stop the title flashing.
  for (const type of ["pointerdown", "keydown"] as const) {
    document.addEventListener(
      type,
      () => {
        unlockAudio();
        if (document.visibilityState === "visible") stopFlash();
      },
      { capture: true },
    );
  }
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape") return;
    if (!cancelDialog.hidden && !cancelBack.disabled) closeCancel();
    else if (!itemDialog.hidden) closeItem();
    else if (!donePanel.hidden) toggleDrawer(donePanel, doneToggle, false);
    else if (!logPanel.hidden) toggleDrawer(logPanel, logToggle, false);
  });
  document.addEventListener("visibilitychange", () => {
    void keepAwake();
    if (document.visibilityState !== "visible" || !currentStore) return;
    // Back from sleep: ages and numbers may be old; the feed reconnects on its own.
    tickAges();
    scheduleDayRefresh();
  });
  window.addEventListener("pagehide", saveNow);
  setInterval(tickAges, 15_000);

  // The server rendered the view it believes in; GET /store/day decides.
  const ssrStore = body.dataset.storeId ?? "";
  const ssrName = body.dataset.storeName ?? "";
  prefillLogin();
  renderSound();
  const ssrState = badge.dataset.state;
  if (ssrStore) enterDay(ssrStore, ssrName, isState(ssrState) ? ssrState : null);
  else {
    void fetch("/store/day", { headers: { accept: "application/json" } })
      .then((res) => {
        const sid = storage.get(KEY_STORE);
        if (res.ok && sid) enterDay(sid, storage.get(KEY_NAME) ?? "");
      })
      .catch(() => undefined);
  }
}
