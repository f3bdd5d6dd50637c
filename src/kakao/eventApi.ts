import { z } from "zod";

/** Kakao answered and refused the event (4xx, or a `FAIL`/`ERROR` status). */
export class EventApiError extends Error {
  override readonly name = "EventApiError";
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly status?: string,
  ) {
    super(message);
  }
}

/** No usable answer (5xx, network, timeout): the event may or may not have been taken. */
export class EventApiUnavailable extends Error {
  override readonly name = "EventApiUnavailable";
  constructor(
    readonly reason: "timeout" | "network" | "server_error" | "bad_response",
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

const answer = z.object({
  taskId: z.string().optional(),
  status: z.enum(["SUCCESS", "FAIL", "ERROR"]),
  message: z.string().optional(),
});

export type EventApiOptions = {
  baseUrl: string;
  restApiKey: string;
  botId: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

export type SendEventInput = {
  eventName: string;
  botUserKey: string;
  data?: Record<string, unknown>;
};

/**
 * Kakao i Open Builder's Event API: `POST {base}/v2/bots/{botId}/talk` with
 * `Authorization: KakaoAK {REST API key}` starts the bot's event block for the given users.
 * `SUCCESS` means the task was accepted, not that the message reached the user.
 */
export function createEventApi(opts: EventApiOptions) {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const url = `${opts.baseUrl.replace(/\/+$/, "")}/v2/bots/${encodeURIComponent(opts.botId)}/talk`;

  async function send(input: SendEventInput): Promise<{ taskId: string; status: "SUCCESS" }> {
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, {
        method: "POST",
        headers: {
          Authorization: `KakaoAK ${opts.restApiKey}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify({
          event: { name: input.eventName, data: input.data ?? {} },
          user: [{ type: "botUserKey", id: input.botUserKey }],
        }),
        signal,
      });
      text = await res.text();
    } catch (err) {
      if (signal.aborted) {
        throw new EventApiUnavailable("timeout", `Event API timed out after ${timeoutMs} ms`);
      }
      const why = err instanceof Error ? err.message : String(err);
      throw new EventApiUnavailable("network", `Event API unreachable: ${why}`);
    }
    return interpret(res.status, text);
  }

  return { send };
}

export type EventApi = ReturnType<typeof createEventApi>;

function interpret(httpStatus: number, text: string) {
  if (httpStatus >= 500 || httpStatus === 408 || httpStatus === 429) {
    throw new EventApiUnavailable(
      "server_error",
      `Event API failed: HTTP ${httpStatus}`,
      httpStatus,
    );
  }
  const parsed = answer.safeParse(parseJson(text));
  if (httpStatus >= 400) {
    const why = parsed.success ? (parsed.data.message ?? parsed.data.status) : "no body";
    throw new EventApiError(
      httpStatus,
      `Event API refused: HTTP ${httpStatus} (${why})`,
      parsed.data?.status,
    );
  }
  if (!parsed.success) {
    throw new EventApiUnavailable("bad_response", "Event API answer is unreadable", httpStatus);
  }
  const { taskId, status, message } = parsed.data;
  if (status !== "SUCCESS" || !taskId) {
    throw new EventApiError(
      httpStatus,
      `Event API answered ${status}: ${message ?? "no message"}`,
      status,
    );
  }
  return { taskId, status };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
