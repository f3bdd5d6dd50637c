import { z } from "zod";
import type { Deps } from "../../deps.ts";
import { blocks } from "../../kakao/blocks.ts";
import {
  quickReply,
  type SkillResponse,
  simpleText,
  skillResponse,
} from "../../kakao/skill/response.ts";

/** One bot message the customer got without asking: an event block's answer. */
export type EventMessage = { id: string; at: string; name: string; res: SkillResponse };

const recorded = z.object({
  events: z.array(
    z.object({
      taskId: z.string(),
      at: z.string(),
      event: z.object({ name: z.string(), data: z.record(z.string(), z.unknown()).optional() }),
    }),
  ),
});

/**
 * The Event API calls the emulator recorded for this customer (`GET /_emulator/events?userId=`),
 * as the messages KakaoTalk would show: the texts of the event blocks docs/open-builder.md tells a
 * shop to create. Null when the Event API is not our emulator, or it did not answer.
 */
export async function customerEvents(deps: Deps, userId: string): Promise<EventMessage[] | null> {
  const base = deps.config.kakaoEvent.baseUrl.replace(/\/+$/, "");
  try {
    const res = await fetch(`${base}/_emulator/events?userId=${encodeURIComponent(userId)}`, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(2000),
    });
    if (!res.ok) return null;
    const parsed = recorded.safeParse(await res.json());
    if (!parsed.success) return null;
    return parsed.data.events.map((e) => ({
      id: e.taskId,
      at: e.at,
      name: e.event.name,
      res: eventAnswer(e.event.name, e.event.data ?? {}),
    }));
  } catch {
    return null;
  }
}

/** The event block's message, with the way on that KakaoTalk's quick replies would offer. */
export function eventAnswer(name: string, data: Record<string, unknown>): SkillResponse {
  const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : "");
  const store = text("storeName") || "가게";
  const pickup = text("pickupNumber");
  const items = text("items");
  const lines =
    name === "order_ready"
      ? [`${store} 주문이 준비됐어요. 픽업 번호 ${pickup}번을 카운터에 말씀해 주세요.`, items]
      : name === "order_canceled"
        ? [
            `${store}에서 주문 ${pickup}번을 취소했어요. 결제는 전액 환불돼요.`,
            items,
            text("reason") && `취소 사유: ${text("reason")}`,
          ]
        : [`(이벤트 ${name}) ${JSON.stringify(data)}`];
  return skillResponse({
    outputs: [simpleText(lines.filter(Boolean).join("\n"))],
    quickReplies: [quickReply.message(blocks.orders.utterance, blocks.orders.utterance)],
  });
}
