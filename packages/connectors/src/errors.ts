import type { ProviderName } from "@writ/contracts";
import type { LimitInfo } from "./limits";

/**
 * What the worker should do with a failed provider call or record. The worker maps each value to
 * a queue outcome in one place:
 * - `retry`: transient (5xx, lock contention, network); retry with backoff.
 * - `rate_limited`: the provider refused for budget reasons; wait `retryAfterMs`, slow the
 *   connection down.
 * - `refresh_credentials`: the access token expired; refresh it and retry.
 * - `bad_credentials`: the connection's credentials are unusable; the customer must reconnect.
 * - `permanent`: retrying the same request cannot succeed (validation, duplicate, not found).
 */
export type ErrorDisposition =
  | "retry"
  | "rate_limited"
  | "refresh_credentials"
  | "bad_credentials"
  | "permanent";

/** One row of a provider's error-code table. */
export interface ErrorRule {
  readonly disposition: ErrorDisposition;
  /** Wait used when the response itself names none (no `Retry-After`, no interval header). */
  readonly defaultRetryAfterMs?: number;
  /** The code means a daily allocation is spent, not a short window. */
  readonly dailyLimit?: boolean;
}

export interface ProviderErrorInit {
  disposition: ErrorDisposition;
  providerMessage: string;
  provider?: ProviderName;
  status?: number;
  code?: string;
  retryAfterMs?: number;
  limits?: LimitInfo;
  dailyLimit?: boolean;
  fields?: string[];
  /** Overrides the default `Error.message` (`code: providerMessage`) when more context helps. */
  message?: string;
}

export class ProviderError extends Error {
  override readonly name = "ProviderError";
  readonly disposition: ErrorDisposition;
  readonly provider?: ProviderName;
  /** HTTP status of the provider response; absent for network errors and per-record errors. */
  readonly status?: number;
  /** The provider's own code: HubSpot `category`/`policyName`, Salesforce `errorCode`/`statusCode`. */
  readonly code?: string;
  /** How long to wait before trying again; set for rate limits and provider-requested delays. */
  readonly retryAfterMs?: number;
  /** The provider's own message, verbatim; this is what users see. */
  readonly providerMessage: string;
  /** Limit headers from the response that carried the error. */
  readonly limits?: LimitInfo;
  /**
   * True when a daily (24 h) allocation is exhausted rather than a short window: the worker
   * should defer this connection's work for a long time, not just back off.
   */
  readonly dailyLimit: boolean;
  /** Fields the provider blamed (Salesforce `fields`, HubSpot property names when given). */
  readonly fields?: string[];

  constructor(init: ProviderErrorInit) {
    super(
      init.message ?? (init.code ? `${init.code}: ${init.providerMessage}` : init.providerMessage),
    );
    this.disposition = init.disposition;
    this.providerMessage = init.providerMessage;
    this.dailyLimit = init.dailyLimit ?? false;
    if (init.provider !== undefined) this.provider = init.provider;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.limits !== undefined) this.limits = init.limits;
    if (init.fields !== undefined && init.fields.length > 0) this.fields = init.fields;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

/**
 * Failures where no HTTP response arrived (refused or reset connection, DNS, TLS, timeout). They
 * say nothing about the record, so they are always worth retrying.
 */
export function classifyNetworkError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const code = networkErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const causeMessage =
    error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return new ProviderError({
    disposition: "retry",
    code,
    providerMessage:
      causeMessage && causeMessage !== message ? `${message}: ${causeMessage}` : message,
  });
}

function networkErrorCode(error: unknown): string {
  if (error instanceof Error) {
    // AbortSignal.timeout() rejects with a DOMException named TimeoutError.
    if (error.name === "TimeoutError") return "TIMEOUT";
    if (error.name === "AbortError") return "ABORTED";
    const own = (error as { code?: unknown }).code;
    if (typeof own === "string") return own;
    // undici wraps the socket error: TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }).
    const cause = error.cause as { code?: unknown; name?: unknown } | undefined;
    if (cause && typeof cause.code === "string") return cause.code;
    if (cause && cause.name === "TimeoutError") return "TIMEOUT";
  }
  return "NETWORK_ERROR";
}

/**
 * `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Returns undefined
 * when absent or unparseable so callers can fall back to their own default.
 */
export function parseRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const raw = headers.get("retry-after")?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * When to try again after a transient failure: the provider's `Retry-After` first, then (for
 * rate limits) the length of the provider's reported window, then the rule's default.
 */
export function retryTimingFor(
  rule: ErrorRule,
  headers: Headers,
  windowMs?: number,
): { retryAfterMs?: number; dailyLimit?: boolean } {
  if (rule.disposition !== "rate_limited" && rule.disposition !== "retry") return {};
  const daily = rule.dailyLimit ? { dailyLimit: true } : {};
  const fromHeader = parseRetryAfterMs(headers);
  if (fromHeader !== undefined) return { retryAfterMs: fromHeader, ...daily };
  if (!rule.dailyLimit && rule.disposition === "rate_limited" && windowMs !== undefined) {
    return { retryAfterMs: windowMs };
  }
  return rule.defaultRetryAfterMs !== undefined
    ? { retryAfterMs: rule.defaultRetryAfterMs, ...daily }
    : daily;
}

/** Non-JSON error bodies (an HTML 502 page, say) are cut so one error cannot flood the logs. */
export function messageFromText(text: string, fallback: string): string {
  const trimmed = text.trim();
  if (!trimmed) return fallback;
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}
