import pino, { type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;

/**
 * Paths that never reach a log line: credentials, keys, and record contents. A log line says
 * which operation and project; the operation endpoint says what was written.
 */
export const redactedPaths = [
  "apiKey",
  "*.apiKey",
  "key",
  "*.key",
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "clientSecret",
  "*.clientSecret",
  "credentials",
  "*.credentials",
  "record",
  "*.record",
  "records",
  "*.records",
  "payload",
  "*.payload",
  "req.headers.authorization",
  'req.headers["x-api-key"]',
];

export function createLogger(options: { name: string; level: string; pretty?: boolean }): Logger {
  return pino({
    name: options.name,
    level: options.level,
    redact: { paths: redactedPaths, censor: "[redacted]" },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
