import pino from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { service: "simple-order", ...base } });
}

export const silentLogger: Logger = pino({ level: "silent" });
