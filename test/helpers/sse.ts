export type SseEvent = { id?: string; event: string; data: string };

/** Reads SSE frames from a fetch Response, as a browser's EventSource would parse them. */
export class SseReader {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  private waiters: (() => void)[] = [];
  private buffer = "";
  done = false;

  constructor(readonly res: Response) {
    void this.pump();
  }

  private async pump() {
    const reader = this.res.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.buffer += decoder.decode(value, { stream: true });
        this.parse();
      }
    } catch {
      // aborted
    }
    this.done = true;
    this.notify();
  }

  private parse() {
    let at = this.buffer.indexOf("\n\n");
    while (at >= 0) {
      const block = this.buffer.slice(0, at);
      this.buffer = this.buffer.slice(at + 2);
      const ev: SseEvent = { event: "message", data: "" };
      // As EventSource does: a block without a data line (e.g. `retry:`) dispatches nothing.
      let hasData = false;
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) {
          this.comments.push(line);
          continue;
        }
        const colon = line.indexOf(":");
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, "");
        if (field === "id") ev.id = value;
        else if (field === "event") ev.event = value;
        else if (field === "data") {
          ev.data = hasData ? `${ev.data}\n${value}` : value;
          hasData = true;
        }
      }
      if (hasData) this.events.push(ev);
      at = this.buffer.indexOf("\n\n");
    }
    this.notify();
  }

  private notify() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `pred` holds over what was received, or throws after `ms`. */
  async until(pred: (r: SseReader) => boolean, ms = 5000, what = "condition"): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred(this)) {
      if (this.done && !pred(this))
        throw new Error(`feed ended before ${what}; got ${JSON.stringify(this.events)}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  types() {
    return this.events.map((e) => e.event);
  }
}
