/**
 * The store client's browser code. It is type-checked here and served as plain JS:
 * `(${storeClient.toString()})()` (see ../assets.ts), so it must stay self-contained — no
 * imports, no references to anything outside this function, no enums or decorators.
 */
export function storeClient(): void {
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
  type Saved = { lastEventId: string | null; state: DayState | null; rows: Row[] };
  type Json = Record<string, unknown>;
  type DayView = {
    id: string;
    state: DayState;
    openedAt: number | null;
    orderCount: number;
    grossAmount: number;
  } | null;

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
  const ALLOWED: Record<string, string[]> = {
    NONE: ["ready"],
    READY: ["open", "close"],
    OPEN: ["break", "closing"],
    BREAK: ["reopen", "closing"],
    CLOSING: ["close"],
  };
  const KEY_STORE = "so:storeId";
  const KEY_DEVICE = "so:deviceToken";
  const KEY_NAME = "so:storeName";
  const MSG_EXPIRED = "로그인이 끝났습니다. 다시 로그인해 주세요.";
  const MSG_NETWORK = "서버에 연결할 수 없습니다. 인터넷 연결을 확인해 주세요.";

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
  const fmtTime = (ms: number) => timeFmt.format(new Date(ms));

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
  const logoutButton = byId<HTMLButtonElement>("logout");
  const badge = byId("state-badge");
  const summary = byId("day-summary");
  const dayMsg = byId("day-msg");
  const actionButtons = Array.from(document.querySelectorAll<HTMLButtonElement>("[data-action]"));
  const list = byId<HTMLOListElement>("feed-list");
  const listEmpty = byId("feed-empty");
  const replaced = byId("replaced");
  const reconnectButton = byId<HTMLButtonElement>("reconnect");

  // ---------- session state ----------
  let currentStore: string | null = null;
  let feed: EventSource | null = null;
  let saved: Saved = { lastEventId: null, state: null, rows: [] };
  let stateSeq = 0; // bumped by every feed event that sets the day state
  let busy = false;
  let awaitingFeed = false;
  let awaitTimer: ReturnType<typeof setTimeout> | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryDelay = 2000;
  let wake: WakeLockSentinel | null = null;

  const feedKey = () => `so:feed:${currentStore ?? ""}`;

  function loadSaved(): Saved {
    const empty: Saved = { lastEventId: null, state: null, rows: [] };
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
      };
    } catch {
      return empty;
    }
  }

  function saveNow() {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (currentStore) storage.set(feedKey(), JSON.stringify(saved));
  }

  /** Rows and lastEventId are always written together, so a reload never shows a row twice. */
  function scheduleSave() {
    if (saveTimer === undefined) saveTimer = setTimeout(saveNow, 100);
  }

  // ---------- the live list ----------
  function rowElement(r: Row): HTMLLIElement {
    const li = document.createElement("li");
    li.className = `row tone-${r.tone}`;
    li.dataset.id = r.id;
    li.dataset.type = r.type;
    const time = document.createElement("time");
    time.dateTime = new Date(r.at).toISOString();
    time.textContent = fmtTime(r.at);
    const text = document.createElement("div");
    text.className = "row-text";
    const label = document.createElement("strong");
    label.textContent = r.label;
    text.append(label);
    if (r.detail) {
      const detail = document.createElement("span");
      detail.textContent = r.detail;
      text.append(detail);
    }
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

  /** The pickup number: in the event, or from an earlier row of the same order. */
  function pickupOf(o: Json): number | null {
    const n = num(o.pickupNumber) ?? num(o.pickup_number);
    if (n !== null) return n;
    const id = str(o.orderId) || str(o.id);
    if (!id) return null;
    return saved.rows.find((r) => r.orderId === id && r.pickup !== undefined)?.pickup ?? null;
  }

  function orderTitle(o: Json, what: string) {
    const n = pickupOf(o);
    return n === null ? what : `${what} ${n}번`;
  }

  function optionText(options: unknown): string {
    if (Array.isArray(options)) {
      return options
        .map((o) => (isObj(o) ? str(o.choice) || str(o.choiceName) || str(o.name) : str(o)))
        .filter(Boolean)
        .join(", ");
    }
    if (isObj(options)) return Object.values(options).map(str).filter(Boolean).join(", ");
    return "";
  }

  function itemsText(items: unknown): string {
    if (!Array.isArray(items)) return "";
    return items
      .filter(isObj)
      .map((it) => {
        const qty = num(it.qty) ?? num(it.quantity) ?? 1;
        const opts = optionText(it.options);
        return `${str(it.name) || "메뉴"} ×${qty}${opts ? ` (${opts})` : ""}`;
      })
      .join(", ");
  }

  function customerOf(o: Json): string {
    const c = o.customer;
    return (
      str(o.customerName) ||
      str(o.customerDisplayName) ||
      str(o.displayName) ||
      (isObj(c) ? str(c.displayName) || str(c.name) : "")
    );
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
          detail: join(itemsText(o.items), total === null ? "" : won(total), customerOf(o)),
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

  /** `dayId:ms-seq`: is `id` after `last`? A different day is always new (the feed moved on). */
  function isNewer(id: string, last: string | null): boolean {
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

  function onFeedEvent(type: string, ev: MessageEvent<string>) {
    const id = ev.lastEventId;
    if (id && !isNewer(id, saved.lastEventId)) return; // never show an entry twice
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
    scheduleSave();

    if (setsState) {
      stateSeq++;
      setBadge(saved.state);
      feedCaughtUp();
    }
    scheduleDayRefresh();
  }

  function onReset(ev: MessageEvent<string>) {
    saved = { lastEventId: null, state: null, rows: [] };
    renderList();
    saveNow();
    let dayId: unknown = null;
    try {
      const parsed: unknown = JSON.parse(ev.data);
      if (isObj(parsed)) dayId = parsed.dayId;
    } catch {
      // no day id: what follows rebuilds the list anyway
    }
    if (!dayId) {
      // No live day: nothing will follow, so the badge is "영업 전" now.
      stateSeq++;
      setBadge(null);
    }
  }

  // ---------- the feed connection ----------
  function setConn(mode: "connecting" | "live" | "retry" | "down") {
    conn.dataset.mode = mode;
    conn.textContent =
      mode === "live"
        ? "연결됨"
        : mode === "retry"
          ? "재연결 중…"
          : mode === "down"
            ? "연결 끊김"
            : "연결 중…";
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
    setConn("connecting");
    es.onopen = () => {
      if (feed !== es) return;
      retryDelay = 2000;
      setConn("live");
    };
    es.onerror = () => {
      if (feed !== es) return;
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
      setConn("down");
      replaced.hidden = false;
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
    // Until GET /store/day answers, the summary must not contradict the badge.
    if (!state) renderSummary(null);
    else if (summary.dataset.day !== "live") summary.textContent = "";
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

  function renderSummary(day: DayView) {
    summary.dataset.day = day ? "live" : "none";
    if (!day) {
      summary.textContent = "‘영업 준비’를 눌러 영업을 시작하세요.";
      return;
    }
    const parts = [
      `주문 ${day.orderCount.toLocaleString("ko-KR")}건`,
      `매출 ${won(day.grossAmount)}`,
    ];
    if (day.openedAt) parts.push(`${fmtTime(day.openedAt)} 영업 시작`);
    summary.textContent = parts.join(" · ");
  }

  /** GET /store/day; its state is used only when no feed event changed the state meanwhile. */
  async function refreshDay(): Promise<"ok" | "login" | "error"> {
    const seq = stateSeq;
    let res: Response;
    try {
      res = await fetch("/store/day", { headers: { accept: "application/json" } });
    } catch {
      return "error";
    }
    if (res.status === 401) return "login";
    if (!res.ok) return "error";
    const { day } = (await res.json()) as { day: DayView };
    // A feed event meanwhile is newer than this answer (and schedules its own refresh).
    // The badge only: `saved.state` stays what the feed said (it names the next transition).
    if (seq === stateSeq && currentStore) {
      renderSummary(day);
      setBadge(day ? day.state : null);
    }
    return "ok";
  }

  function scheduleDayRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(async () => {
      if ((await refreshDay()) === "login") showLogin(MSG_EXPIRED);
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
  function confirmTap(button: HTMLButtonElement, prompt: string): boolean {
    const timer = armed.get(button);
    if (timer !== undefined) {
      clearTimeout(timer);
      armed.delete(button);
      button.textContent = button.dataset.label ?? button.textContent;
      button.classList.remove("armed");
      return true;
    }
    button.dataset.label = button.textContent ?? "";
    button.textContent = prompt;
    button.classList.add("armed");
    armed.set(
      button,
      setTimeout(() => {
        armed.delete(button);
        button.textContent = button.dataset.label ?? button.textContent;
        button.classList.remove("armed");
      }, 4000),
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
        headers: { "content-type": "application/json", accept: "application/json" },
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
          headers: { "content-type": "application/json", accept: "application/json" },
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
    }
    body.dataset.view = "day";
    loginView.hidden = true;
    dayView.hidden = false;
    conn.hidden = false;
    logoutButton.hidden = false;
    storeName.textContent = name;
    showDayMsg("");
    renderList();
    setBadge(shown === undefined ? saved.state : shown);
    openFeed();
    void refreshDay().then((r) => {
      if (r === "login") showLogin(MSG_EXPIRED);
    });
    void keepAwake();
  }

  function showLogin(message = "", tone: "error" | "ok" = "error") {
    saveNow();
    closeFeed();
    currentStore = null;
    awaitingFeed = false;
    clearTimeout(awaitTimer);
    clearTimeout(refreshTimer);
    void wake?.release();
    body.dataset.view = "login";
    dayView.hidden = true;
    replaced.hidden = true;
    loginView.hidden = false;
    conn.hidden = true;
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
    openFeed();
    setActions();
    void refreshDay();
  });
  document.addEventListener("visibilitychange", () => void keepAwake());
  window.addEventListener("pagehide", saveNow);

  // The server rendered the view it believes in; GET /store/day decides.
  const ssrStore = body.dataset.storeId ?? "";
  const ssrName = body.dataset.storeName ?? "";
  prefillLogin();
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
