import { DEV_REST_API_KEY, DEV_SECRET_KEY, startEmulator } from "../../src/emulator/emulator.ts";

/** A real emulator over HTTP on a free port, and the env that points the app at it. */
export function startTestEmulator() {
  const emu = startEmulator({ port: 0, secretKey: DEV_SECRET_KEY, restApiKey: DEV_REST_API_KEY });
  const env = {
    KAKAOPAY_BASE_URL: emu.url,
    KAKAOPAY_SECRET_KEY: DEV_SECRET_KEY,
    KAKAO_EVENT_API_URL: emu.url,
    KAKAO_REST_API_KEY: DEV_REST_API_KEY,
    KAKAO_BOT_ID: "test-bot",
    EMULATOR_PUBLIC_URL: emu.url,
  };
  const json = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${emu.url}${path}`, init);
    return (await res.json()) as Record<string, unknown> & { status?: string };
  };
  return {
    ...emu,
    env,
    payment: (tid: string) =>
      json(`/_emulator/payments/${tid}`) as Promise<{
        status: string;
        approve_count: number;
        capture_count: number;
        canceled_amount: number;
        total_amount: number;
      }>,
    /** The customer presses 결제하기: returns the approval URL (with pg_token) KakaoPay redirects to. */
    async customerApproves(tid: string) {
      const res = await fetch(`${emu.url}/_emulator/payments/${tid}/approve`, {
        method: "POST",
        redirect: "manual",
      });
      if (res.status !== 303) throw new Error(`emulator approve answered ${res.status}`);
      return res.headers.get("location")!;
    },
    async customerLeaves(tid: string, how: "cancel" | "fail") {
      const res = await fetch(`${emu.url}/_emulator/payments/${tid}/${how}`, {
        method: "POST",
        redirect: "manual",
      });
      return res.headers.get("location")!;
    },
    fault: (
      path: string,
      mode: "5xx" | "slow" | "decline" | "timeout",
      times = 1,
      delayMs?: number,
    ) =>
      fetch(`${emu.url}/_emulator/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ path, mode, times, delayMs }),
      }),
  };
}
