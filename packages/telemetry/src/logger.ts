import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";
import { currentTraceIds } from "./tracing";

export type Logger = PinoLogger;

/**
 * What a log line about one write carries, so every line of a job can be found by operation:
 * `logger.child(operationBindings(job))`. Lines written while a span is active also carry its
 * `traceId` and `spanId` (see createLogger).
 */
export interface OperationLogBindings {
  operationId: string;
  projectId: string;
}

export function operationBindings(source: OperationLogBindings): OperationLogBindings {
  return { operationId: source.operationId, projectId: source.projectId };
}

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
  "password",
  "*.password",
  "secret",
  "*.secret",
  "webhookSecret",
  "*.webhookSecret",
  "authorization",
  "*.authorization",
  "credentials",
  "*.credentials",
  "record",
  "*.record",
  "records",
  "*.records",
  "payload",
  "*.payload",
  "associations",
  "*.associations",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
];

export interface LoggerOptions {
  name: string;
  /** fatal, error, warn, info, debug, trace or silent (LOG_LEVEL). */
  level: string;
  /** Where lines go; stdout when omitted. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const pinoOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: redactedPaths, censor: "[redacted]" },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    // A fresh object each time: pino merges the line's own fields into what the mixin returns.
    mixin: () => currentTraceIds() ?? {},
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
