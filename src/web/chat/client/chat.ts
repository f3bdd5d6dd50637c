import { type ChatPageId, chatPageIds as ids } from "../../../shared/chatPageIds.ts";
import type {
  Button,
  Card,
  CarouselHeader,
  Entry,
  EventMessage,
  Extra,
  Link,
  ListItem,
  Message,
  Output,
  QuickReply,
  Route,
  SkillResponse,
} from "./types.ts";

/**
 * The chat simulator's browser code: KakaoTalk's part (render the bot's answers, turn taps into
 * messages) and Open Builder's part (build the skill payload 2.0 and call the block's skill).
 * Started by ./main.ts, bundled for the browser (src/web/bundleClient.ts).
 */
export function startChat(): void {
  const KEY_STORE = "simpleOrder.chat.botUserKey";
  const LOG_STORE = "simpleOrder.chat.log";
  const SEEN_STORE = "simpleOrder.chat.seenEvents";
  const EVENT_POLL_MS = 2000;
  const MAX_ENTRIES = 120;
  const STORES_UTTERANCE = "가게 찾기";
  const ORDERS_UTTERANCE = "주문 내역";

  const base = document.body.dataset.base ?? "";
  const logEl = byId(ids.log);
  const form = byId(ids.composer) as HTMLFormElement;
  const input = byId(ids.text) as HTMLInputElement;
  const sendBtn = byId(ids.send) as HTMLButtonElement;

  let botUserKey = loadKey();
  let entries: Entry[] = loadLog();
  let seenEvents = new Set<string>(); // loaded below, once the helpers exist
  let busy = false;
  let position: { lat: number; lng: number } | null | undefined;

  // ---------- small helpers ----------

  function byId(id: ChatPageId): HTMLElement {
    const found = document.getElementById(id);
    if (!found) throw new Error(`#${id} is missing`);
    return found;
  }

  function el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    cls?: string,
    text?: string,
  ): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const won = (n: number) => `${Math.round(n).toLocaleString("ko-KR")}원`;
  const httpUrl = (u: string | undefined) => !!u && /^https?:\/\//i.test(u);
  const timeText = (at: number) =>
    new Date(at).toLocaleTimeString("ko-KR", { hour: "numeric", minute: "2-digit" });

  function randomKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return `sim${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }

  function loadKey() {
    try {
      const saved = localStorage.getItem(KEY_STORE);
      if (saved && /^[\w-]{8,70}$/.test(saved)) return saved;
      const fresh = randomKey();
      localStorage.setItem(KEY_STORE, fresh);
      return fresh;
    } catch {
      return randomKey();
    }
  }

  function loadLog(): Entry[] {
    try {
      const raw = JSON.parse(localStorage.getItem(LOG_STORE) ?? "[]");
      return Array.isArray(raw) ? (raw as Entry[]) : [];
    } catch {
      return [];
    }
  }

  function saveLog() {
    entries = entries.slice(-MAX_ENTRIES);
    try {
      localStorage.setItem(LOG_STORE, JSON.stringify(entries));
    } catch {
      // private mode or full: the chat still works, it just won't survive a reload
    }
  }

  /** The Event API messages already in the conversation (by task id), for this customer. */
  function loadSeen(): Set<string> {
    try {
      const raw: unknown = JSON.parse(localStorage.getItem(SEEN_STORE) ?? "{}");
      if (isObj(raw) && raw.user === botUserKey && Array.isArray(raw.ids)) {
        return new Set(raw.ids.filter((id): id is string => typeof id === "string"));
      }
    } catch {
      // unreadable: start afresh
    }
    return new Set();
  }

  function saveSeen() {
    try {
      localStorage.setItem(SEEN_STORE, JSON.stringify({ user: botUserKey, ids: [...seenEvents] }));
    } catch {
      // kept in memory only
    }
  }

  // ---------- the conversation ----------

  function add(entry: Entry) {
    entries.push(entry);
    saveLog();
    render();
  }

  function welcome(): Entry {
    return {
      kind: "bot",
      at: Date.now(),
      res: {
        version: "2.0",
        template: {
          outputs: [
            {
              simpleText: {
                text: "안녕하세요, 심플오더예요.\n가까운 가게를 찾아 메뉴를 담고 카카오페이로 결제해 보세요. 결제가 끝나면 가게 화면에 주문이 바로 들어가요.",
              },
            },
          ],
          quickReplies: [
            { label: STORES_UTTERANCE, action: "message", messageText: STORES_UTTERANCE },
            { label: "장바구니", action: "message", messageText: "장바구니" },
            { label: ORDERS_UTTERANCE, action: "message", messageText: ORDERS_UTTERANCE },
          ],
        },
      },
    };
  }

  function render() {
    const keep = logEl.querySelector("noscript");
    logEl.replaceChildren(...(keep ? [keep] : []));
    logEl.append(el("p", "day-note", "대화는 이 브라우저에만 저장돼요"));
    entries.forEach((entry, i) => {
      logEl.append(renderEntry(entry, i === entries.length - 1));
    });
    if (busy) logEl.append(typing());
    const last = entries[entries.length - 1];
    const chips =
      !busy && last
        ? last.kind === "bot"
          ? (last.res.template?.quickReplies ?? [])
          : last.kind === "note"
            ? (last.quickReplies ?? [])
            : []
        : [];
    if (chips.length) logEl.append(quickReplies(chips));
    byId(ids.userKey).textContent = `${botUserKey.slice(0, 7)}…${botUserKey.slice(-4)}`;
    sendBtn.disabled = busy;
    document.body.classList.toggle("busy", busy);
    toBottom();
  }

  /** Like KakaoTalk: the newest message (and its quick replies) in view. */
  function toBottom() {
    logEl.scrollTop = logEl.scrollHeight;
  }

  function renderEntry(entry: Entry, isLast: boolean): HTMLElement {
    if (entry.kind === "user") {
      const row = el("div", "row me");
      row.append(el("time", "time", timeText(entry.at)), el("div", "bubble me", entry.text));
      return row;
    }
    if (entry.kind === "note") {
      return el("p", `note${entry.tone === "error" ? " error" : ""}`, entry.text);
    }
    const row = el("div", "row bot");
    row.dataset.last = String(isLast);
    if (entry.event) row.dataset.event = entry.event;
    const avatar = el("div", "avatar", "심");
    avatar.setAttribute("aria-hidden", "true");
    const stack = el("div", "stack");
    stack.append(el("div", "name", "심플오더"));
    const outputs = entry.res.template?.outputs ?? [];
    for (const output of outputs) stack.append(renderOutput(output));
    if (outputs.length === 0) stack.append(el("div", "bubble", "(빈 응답)"));
    stack.append(el("time", "time", timeText(entry.at)));
    row.append(avatar, stack);
    return row;
  }

  function renderOutput(output: Output): HTMLElement {
    const [type, body] = Object.entries(output)[0] ?? ["", undefined];
    if (!isObj(body)) return el("div", "bubble", "(읽을 수 없는 말풍선)");
    switch (type) {
      case "simpleText":
        return el("div", "bubble text", str(body.text));
      case "simpleImage": {
        const box = el("div", "bubble image");
        box.dataset.type = "simpleImage";
        box.append(image(str(body.imageUrl), str(body.altText), "natural"));
        return box;
      }
      case "basicCard":
      case "textCard":
      case "listCard":
      case "commerceCard":
        return card(type, body as Card, false);
      case "carousel":
        return carouselOf(body);
      default:
        return el("div", "bubble", `(시뮬레이터가 모르는 말풍선: ${type})`);
    }
  }

  function image(
    url: string,
    alt: string,
    shape: "wide" | "square" | "small" | "cover" | "natural",
  ) {
    const box = el("div", `thumb ${shape}`);
    box.dataset.alt = alt || "이미지";
    if (httpUrl(url)) {
      const img = el("img");
      img.alt = alt;
      img.decoding = "async";
      img.referrerPolicy = "no-referrer";
      img.addEventListener("error", () => {
        img.remove();
        box.classList.add("missing");
      });
      img.addEventListener("load", () => {
        if (box.classList.contains("small")) return;
        if (logEl.scrollHeight - logEl.scrollTop - logEl.clientHeight < 400) toBottom();
      });
      img.src = url;
      box.append(img);
    } else {
      box.classList.add("missing");
    }
    return box;
  }

  function linked(node: HTMLElement, link: Link | undefined) {
    const href = link?.mobile ?? link?.web ?? link?.pc;
    if (!httpUrl(href)) return node;
    const a = el("a", "thumb-link");
    a.href = href ?? "";
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.append(node);
    return a;
  }

  function card(type: string, c: Card, inCarousel: boolean): HTMLElement {
    const box = el("div", `card ${type}${inCarousel ? " in-carousel" : ""}`);
    box.dataset.type = type;
    if (type === "listCard") {
      box.append(el("div", "list-header", c.header?.title ?? ""));
      const list = el("ul", "list-items");
      for (const item of c.items ?? []) list.append(listItem(item));
      box.append(list);
      box.append(buttons(c.buttons, c.buttonLayout));
      return box;
    }
    const thumb = type === "commerceCard" ? c.thumbnails?.[0] : c.thumbnail;
    if (thumb && type !== "textCard") {
      const shape = thumb.fixedRatio ? "square" : "wide";
      box.append(linked(image(thumb.imageUrl, thumb.altText ?? "", shape), thumb.link));
    }
    const textBox = el("div", "card-body");
    if (type === "commerceCard" && c.profile?.nickname) {
      const profile = el("div", "profile");
      if (c.profile.imageUrl) profile.append(image(c.profile.imageUrl, "", "small"));
      profile.append(el("span", "", c.profile.nickname));
      textBox.append(profile);
    }
    if (c.title) textBox.append(el("strong", "card-title", c.title));
    if (c.description) textBox.append(el("p", "card-desc", c.description));
    if (type === "commerceCard") textBox.append(price(c));
    box.append(textBox);
    box.append(buttons(c.buttons, c.buttonLayout));
    const payLink = (b: Button) =>
      b.action === "webLink" && /결제|pay/i.test(`${b.label} ${b.webLinkUrl ?? ""}`);
    if ((c.buttons ?? []).some(payLink)) {
      box.append(
        el("p", "card-hint", "결제 후 돌아오기: 새 창에서 결제를 마치고 이 창으로 돌아와 주세요."),
      );
    }
    return box;
  }

  /** CommerceCard: price, minus discount (or discountedPrice), with the rate when given. */
  function price(c: Card) {
    const row = el("div", "price");
    const full = c.price ?? 0;
    const final = c.discountedPrice ?? (c.discount ? full - c.discount : full);
    if (final !== full) {
      const rate = c.discountRate ?? Math.round(((full - final) / full) * 100);
      if (rate > 0) row.append(el("span", "rate", `${rate}%`));
      row.append(el("strong", "final", won(final)), el("del", "was", won(full)));
    } else {
      row.append(el("strong", "final", won(full)));
    }
    return row;
  }

  function listItem(item: ListItem) {
    const li = el("li", "list-item");
    const text = el("div", "list-text");
    text.append(el("strong", "", item.title));
    if (item.description) text.append(el("span", "", item.description));
    const parts: HTMLElement[] = [text];
    if (item.imageUrl) parts.push(image(item.imageUrl, "", "small"));
    const href = item.link?.mobile ?? item.link?.web ?? item.link?.pc;
    if (item.action === "message" || item.action === "block") {
      const b = el("button", "list-tap");
      b.type = "button";
      b.append(...parts);
      b.addEventListener("click", () =>
        send({
          text: item.messageText || item.title,
          extra: item.extra,
          blockId: item.action === "block" ? item.blockId : undefined,
        }),
      );
      li.append(b);
    } else if (httpUrl(href)) {
      const a = el("a", "list-tap");
      a.href = href ?? "";
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.append(...parts);
      li.append(a);
    } else {
      li.append(...parts);
    }
    return li;
  }

  function buttons(list: Button[] | undefined, layout: string | undefined) {
    const box = el("div", `buttons${layout === "horizontal" ? " horizontal" : ""}`);
    for (const b of list ?? []) box.append(actionButton(b, "btn"));
    return box;
  }

  /** A button or quick reply, doing what KakaoTalk does for its action. */
  function actionButton(b: Button, cls: string): HTMLElement {
    if (b.action === "webLink" && httpUrl(b.webLinkUrl)) {
      const a = el("a", `${cls} web`, b.label);
      a.href = b.webLinkUrl ?? "";
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.dataset.action = "webLink";
      a.addEventListener("click", () => {
        add({
          kind: "note",
          at: Date.now(),
          text: "새 창에서 열었어요. 결제를 마치면 이 창으로 돌아와 주문 내역을 확인해 주세요.",
          quickReplies: [
            { label: ORDERS_UTTERANCE, action: "message", messageText: ORDERS_UTTERANCE },
          ],
        });
      });
      return a;
    }
    const node = el("button", cls, b.label);
    node.type = "button";
    node.dataset.action = b.action;
    node.addEventListener("click", () => {
      switch (b.action) {
        case "message":
          return send({ text: b.messageText || b.label, extra: b.extra });
        case "block":
          return send({ text: b.messageText || b.label, extra: b.extra, blockId: b.blockId });
        case "phone":
          return add({
            kind: "note",
            at: Date.now(),
            text: `전화 걸기는 휴대폰의 카카오톡에서 동작해요. 번호: ${b.phoneNumber ?? "-"}`,
          });
        case "share":
          return add({
            kind: "note",
            at: Date.now(),
            text: "공유하기는 카카오톡 앱에서만 동작해요.",
          });
        default:
          return add({
            kind: "note",
            at: Date.now(),
            text: `'${b.action}' 버튼은 시뮬레이터에서 지원하지 않아요.`,
          });
      }
    });
    return node;
  }

  function carouselOf(body: Record<string, unknown>) {
    const type = str(body.type);
    const items = Array.isArray(body.items) ? (body.items as Card[]) : [];
    const wrap = el("div", "carousel");
    wrap.dataset.type = `carousel:${type}`;
    const track = el("div", "track");
    if (isObj(body.header)) {
      const h = body.header as CarouselHeader;
      const head = el("div", "card carousel-header in-carousel");
      head.append(image(h.thumbnail?.imageUrl ?? "", h.title, "cover"));
      const text = el("div", "cover-text");
      text.append(el("strong", "", h.title), el("p", "", h.description));
      head.append(text);
      track.append(head);
    }
    for (const item of items) track.append(card(type, item, true));
    wrap.append(track);
    return wrap;
  }

  function quickReplies(list: QuickReply[]) {
    const box = el("div", "quick");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "빠른 답장");
    for (const q of list) box.append(actionButton(q, "chip"));
    return box;
  }

  function typing() {
    const row = el("div", "row bot typing-row");
    const avatar = el("div", "avatar", "심");
    avatar.setAttribute("aria-hidden", "true");
    const bubble = el("div", "bubble typing");
    bubble.setAttribute("aria-label", "입력 중");
    bubble.append(el("i"), el("i"), el("i"));
    row.append(avatar, bubble);
    return row;
  }

  // ---------- Open Builder's part: route, payload, skill ----------

  async function locate(): Promise<{ lat: number; lng: number } | null> {
    if (position === undefined) position = await askPosition();
    return position;
  }

  function askPosition(): Promise<{ lat: number; lng: number } | null> {
    if (!("geolocation" in navigator)) return Promise.resolve(null);
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
        () => resolve(null),
        { enableHighAccuracy: false, timeout: 5000, maximumAge: 300000 },
      );
    });
  }

  async function route(m: Message): Promise<Route> {
    const q = new URLSearchParams({ utterance: m.text });
    if (m.blockId) q.set("blockId", m.blockId);
    const res = await fetch(`${base}/route?${q}`, { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`route ${res.status}`);
    return (await res.json()) as Route;
  }

  /** The skill payload 2.0, shaped like Open Builder's (SkillPayload: intent, userRequest, bot, action). */
  function payload(m: Message, r: Route, extra: Extra | null, params: Record<string, string>) {
    const blockRef = { id: `sim-block-${r.block}`, name: r.name };
    const detailParams: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(params)) {
      detailParams[name] = { origin: value, value, groupName: "" };
    }
    return {
      intent: blockRef,
      userRequest: {
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "Asia/Seoul",
        params: { surface: "Kakaotalk.plusfriend" },
        block: blockRef,
        utterance: m.text,
        lang: "ko",
        user: {
          id: botUserKey,
          type: "botUserKey",
          properties: {
            botUserKey,
            plusfriendUserKey: `pf-${botUserKey.slice(3, 15)}`,
            isFriend: true,
          },
        },
      },
      bot: { id: "sim-bot", name: "심플오더 (시뮬레이터)" },
      action: {
        id: `sim-action-${r.block}`,
        name: `simple-order-${r.block}`,
        params,
        detailParams,
        clientExtra: extra,
      },
      contexts: [],
    };
  }

  async function send(m: Message) {
    const text = m.text.trim();
    if (!text || busy) return;
    busy = true;
    add({ kind: "user", text, at: Date.now() });
    try {
      const r = await route({ ...m, text });
      const extra: Extra = { ...(isObj(m.extra) ? m.extra : {}) };
      const params: Record<string, string> = {};
      if (r.block === "stores") {
        // Typed words go as the name; the place goes along either way (nearest first).
        if (!r.exact) params.query = text;
        if (extra.lat === undefined) {
          const here = await locate();
          if (here) Object.assign(extra, here);
        }
      }
      const body = payload({ ...m, text }, r, Object.keys(extra).length ? extra : null, params);
      const url = `${base}/skill/${r.path}`;
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
      });
      const answer: unknown = await res.json().catch(() => null);
      showJson(`POST ${url} → ${res.status}`, body, answer);
      busy = false;
      if (res.ok && isObj(answer) && isObj(answer.template)) {
        add({ kind: "bot", res: answer as SkillResponse, at: Date.now() });
      } else {
        const code = isObj(answer) ? str(answer.error) : "";
        add({
          kind: "note",
          tone: "error",
          at: Date.now(),
          text: `메시지를 전하지 못했어요. ${refusalText(res.status)} (${res.status}${code ? ` ${code}` : ""})`,
          quickReplies: [retry(m, text)],
        });
      }
    } catch {
      busy = false;
      add({
        kind: "note",
        tone: "error",
        at: Date.now(),
        text: "서버에 연결하지 못했어요. 네트워크를 확인하고 다시 시도해 주세요.",
        quickReplies: [retry(m, text)],
      });
    }
  }

  /** The same message once more, as a quick reply under the error. */
  function retry(m: Message, text: string): QuickReply {
    return m.blockId
      ? {
          label: "다시 보내기",
          action: "block",
          blockId: m.blockId,
          messageText: text,
          extra: m.extra,
        }
      : { label: "다시 보내기", action: "message", messageText: text, extra: m.extra };
  }

  function refusalText(status: number) {
    if (status === 400) return "요청 형식이 스킬과 맞지 않아요.";
    if (status === 401) return "스킬 키가 맞지 않아요. 서버의 SKILL_KEY를 확인해 주세요.";
    if (status === 404) return "그런 스킬이 없어요.";
    if (status === 503) return "서버에 SKILL_KEY가 설정되지 않았어요.";
    if (status >= 500) return "서버에 잠시 문제가 생겼어요. 다시 시도해 주세요.";
    return "잠시 후 다시 시도해 주세요.";
  }

  function showJson(url: string, req: unknown, res: unknown) {
    byId(ids.jsonUrl).textContent = url;
    byId(ids.jsonReq).textContent = JSON.stringify(req, null, 2);
    byId(ids.jsonRes).textContent = JSON.stringify(res, null, 2);
  }

  async function showSamples() {
    if (busy) return;
    busy = true;
    render();
    try {
      const res = await fetch(`${base}/samples`);
      const list = (await res.json()) as SkillResponse[];
      busy = false;
      add({ kind: "note", at: Date.now(), text: "말풍선 샘플: 응답 빌더가 만드는 모든 종류" });
      for (const r of list) entries.push({ kind: "bot", res: r, at: Date.now() });
      saveLog();
      render();
    } catch {
      busy = false;
      add({ kind: "note", tone: "error", at: Date.now(), text: "샘플을 불러오지 못했어요." });
    }
  }

  // ---------- KakaoTalk's part: messages the bot sends on its own ----------

  /**
   * "Your order is ready" / "canceled": the Event API messages for this customer, from the
   * emulator through `{base}/events`, added to the conversation once each, as they arrive.
   */
  async function pollEvents() {
    if (busy || document.hidden) return;
    const user = botUserKey;
    try {
      const res = await fetch(`${base}/events?userId=${encodeURIComponent(user)}`, {
        headers: { accept: "application/json" },
      });
      if (!res.ok || busy || user !== botUserKey) return;
      const body: unknown = await res.json();
      const list = isObj(body) && Array.isArray(body.messages) ? body.messages : [];
      const fresh = (list as EventMessage[]).filter((m) => isObj(m) && !seenEvents.has(m.id));
      if (fresh.length === 0) return;
      for (const m of fresh) {
        seenEvents.add(m.id);
        const at = Date.parse(m.at);
        entries.push({
          kind: "bot",
          res: m.res,
          at: Number.isFinite(at) ? at : Date.now(),
          event: m.name,
        });
      }
      saveSeen();
      saveLog();
      render();
    } catch {
      // offline for a moment: the next poll tries again
    }
  }

  // ---------- wiring ----------

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim() || busy) return;
    input.value = "";
    void send({ text });
  });

  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>(".entry"))) {
    b.addEventListener(
      "click",
      () => void send({ text: b.dataset.utterance ?? b.textContent ?? "" }),
    );
  }

  byId(ids.reset).addEventListener("click", () => {
    if (busy) return;
    botUserKey = randomKey();
    try {
      localStorage.setItem(KEY_STORE, botUserKey);
    } catch {
      // kept in memory only
    }
    position = undefined;
    seenEvents = new Set();
    saveSeen();
    entries = [welcome()];
    saveLog();
    render();
    input.focus();
  });

  byId(ids.samples).addEventListener("click", () => void showSamples());

  const panel = byId(ids.jsonPanel);
  const toggle = byId(ids.jsonToggle);
  const setPanel = (open: boolean) => {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", () => setPanel(panel.hidden));
  byId(ids.jsonClose).addEventListener("click", () => setPanel(false));

  if (entries.length === 0) {
    entries = [welcome()];
    saveLog();
  }
  seenEvents = loadSeen();
  render();
  void pollEvents();
  setInterval(() => void pollEvents(), EVENT_POLL_MS);
  document.addEventListener("visibilitychange", () => void pollEvents());
}
