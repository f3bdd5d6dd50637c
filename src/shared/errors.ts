/**
 * Every error code the server answers with, in one place: the HTTP status it always comes
 * with and a short message in Korean and English. Shared by the server (AppError, the
 * OpenAPI document) and the browser client, so this file imports nothing.
 * The server's `message` may be more specific (counts, names); these are the fallbacks a
 * screen can show by code.
 */
export const errorCatalogue = {
  invalid_input: { status: 400, ko: "입력값이 올바르지 않습니다.", en: "The input is not valid." },
  invalid_json: {
    status: 400,
    ko: "요청 본문이 올바른 JSON이 아닙니다.",
    en: "The request body is not valid JSON.",
  },
  bad_request: { status: 400, ko: "잘못된 요청입니다.", en: "The request is not valid." },
  invalid_last_event_id: {
    status: 400,
    ko: "화면의 마지막 이벤트 번호가 올바르지 않습니다.",
    en: "lastEventId is not an event of this day.",
  },
  invalid_pin: { status: 400, ko: "PIN은 숫자 4~8자리입니다.", en: "A PIN is 4 to 8 digits." },
  invalid_store_name: {
    status: 400,
    ko: "가게 이름의 길이가 맞지 않습니다.",
    en: "The store name has the wrong length.",
  },
  unknown_category: {
    status: 400,
    ko: "메뉴에 없는 분류입니다.",
    en: "The menu has no such category.",
  },
  unauthorized: { status: 401, ko: "먼저 로그인해 주세요.", en: "Please log in first." },
  invalid_credentials: {
    status: 401,
    ko: "PIN 또는 기기가 이 가게와 맞지 않습니다.",
    en: "The PIN or this device is not right for the store.",
  },
  session_replaced: {
    status: 401,
    ko: "다른 화면에서 로그인하여 이 화면의 로그인이 끝났습니다.",
    en: "This store was logged in on another screen, which ended this session.",
  },
  no_skill_key: {
    status: 401,
    ko: "SKILL_KEY가 설정되지 않았습니다.",
    en: "SKILL_KEY is not set.",
  },
  forbidden_origin: {
    status: 403,
    ko: "다른 사이트에서 온 요청은 받지 않습니다.",
    en: "Requests from another site are not allowed.",
  },
  too_far: {
    status: 403,
    ko: "가게에서 너무 멀리 있는 기기입니다.",
    en: "This device is too far from the store.",
  },
  not_found: { status: 404, ko: "찾을 수 없습니다.", en: "No such page or resource." },
  report_not_ready: {
    status: 404,
    ko: "아직 마감 보고서가 없습니다.",
    en: "The day's report is not ready yet.",
  },
  invalid_transition: {
    status: 409,
    ko: "지금 상태에서는 할 수 없는 작업입니다.",
    en: "That is not allowed in the current state.",
  },
  invalid_state: {
    status: 409,
    ko: "결제가 이미 끝난 상태입니다.",
    en: "The payment is no longer open.",
  },
  conflict: {
    status: 409,
    ko: "그사이 내용이 바뀌었습니다. 다시 시도해 주세요.",
    en: "It changed meanwhile; please try again.",
  },
  client_behind: {
    status: 409,
    ko: "화면이 아직 최신 주문을 받지 못했습니다. 잠시 후 다시 시도해 주세요.",
    en: "This screen has not caught up yet; try again in a moment.",
  },
  orders_open: {
    status: 409,
    ko: "아직 픽업되거나 취소되지 않은 주문이 있습니다.",
    en: "Some orders are not picked up or canceled yet.",
  },
  session_active: {
    status: 409,
    ko: "다른 기기가 이 가게에 로그인해 있습니다.",
    en: "Another device is logged in to this store.",
  },
  cancel_in_progress: {
    status: 409,
    ko: "이 주문은 지금 취소 중입니다.",
    en: "This order is being canceled right now.",
  },
  payload_too_large: {
    status: 413,
    ko: "요청 본문이 너무 큽니다(최대 64KB).",
    en: "The request body is larger than 64 KB.",
  },
  unsupported_media_type: {
    status: 415,
    ko: "JSON으로 보내 주세요.",
    en: "Send the body as JSON.",
  },
  too_many_attempts: {
    status: 429,
    ko: "로그인 실패가 너무 많습니다. 잠시 후 다시 시도해 주세요.",
    en: "Too many failed logins; try again later.",
  },
  internal: {
    status: 500,
    ko: "서버에 문제가 생겼습니다. 다시 시도해 주세요.",
    en: "Something went wrong on our side; please try again.",
  },
  unavailable: {
    status: 503,
    ko: "잠시 연결이 원활하지 않습니다. 잠시 후 다시 시도해 주세요.",
    en: "The service is briefly unavailable; please try again in a moment.",
  },
  payment_provider: {
    status: 502,
    ko: "카카오페이가 확인해 주지 않았습니다. 다시 시도해 주세요.",
    en: "KakaoPay did not confirm; please try again.",
  },
} as const satisfies Record<string, { status: number; ko: string; en: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
export type ErrorStatus<C extends ErrorCode = ErrorCode> = (typeof errorCatalogue)[C]["status"];

/** The JSON body of every error answer. */
export type ErrorBody = { error: ErrorCode; message: string; [detail: string]: unknown };

export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === "string" && Object.hasOwn(errorCatalogue, code);

export const errorStatus = <C extends ErrorCode>(code: C): ErrorStatus<C> =>
  errorCatalogue[code].status;

/** The catalogue's message for a code, for screens that show a code without the server's text. */
export const errorMessage = (code: ErrorCode, lang: "ko" | "en" = "ko") =>
  errorCatalogue[code][lang];
