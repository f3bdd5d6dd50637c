/**
 * KakaoPay's error body is `{error_code, error_message, extras: {method_result_code,
 * method_result_message}}` with a negative error_code; the stored single-payment doc shows it for
 * a failed approval: HTTP 400, `error_code: -780`, `error_message: "approval failure!"`.
 */
export type KakaoPayErrorExtras = {
  method_result_code?: string;
  method_result_message?: string;
};

export type KakaoPayErrorBody = {
  error_code: number;
  error_message: string;
  extras?: KakaoPayErrorExtras;
};

/**
 * The codes the emulator answers and the app may branch on. Only -780 is confirmed by the stored
 * docs; the rest follow our reading of KakaoPay's code table and are assumptions — branch on these
 * names, never on literal numbers.
 */
export const KakaoPayCode = {
  invalidParameter: -2,
  invalidSecretKey: -401,
  notAuthenticated: -701,
  alreadyApproved: -702,
  notApprovable: -704,
  requestMismatch: -706,
  invalidTid: -708,
  invalidCid: -731,
  approvalFailure: -780,
  cancelFailure: -781,
  cancelExceedsAvailable: -798,
} as const;

export type KakaoPayOp = "ready" | "approve" | "cancel" | "order";

/** KakaoPay answered and refused (4xx with its error body): the request had no effect. */
export class KakaoPayError extends Error {
  override readonly name = "KakaoPayError";
  constructor(
    readonly op: KakaoPayOp,
    readonly httpStatus: number,
    readonly code: number,
    message: string,
    readonly extras?: KakaoPayErrorExtras,
  ) {
    super(message);
  }
}

export type UnavailableReason =
  | "timeout"
  | "network"
  | "server_error"
  | "bad_response"
  /** not called: this process already has its maximum of KakaoPay calls in flight */
  | "busy"
  /** not called: KakaoPay kept failing and the circuit breaker is open */
  | "circuit_open";

/**
 * No usable answer (5xx, network, timeout, unreadable body). For approve and cancel the outcome is
 * unknown: the caller must ask `order` before deciding anything.
 */
export class KakaoPayUnavailable extends Error {
  override readonly name = "KakaoPayUnavailable";
  constructor(
    readonly op: KakaoPayOp,
    readonly reason: UnavailableReason,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}
