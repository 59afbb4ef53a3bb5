import { type ErrorRule, messageFromText, ProviderError, retryTimingFor } from "../errors";
import type { LimitInfo } from "../limits";
import { salesforceErrorCodes, salesforceLimitMessages } from "./errorCodes";
import { parseSalesforceLimits } from "./limits";

/** One error as Salesforce reports it: `errorCode` at top level, `statusCode` per record. */
interface SalesforceErrorEntry {
  message?: unknown;
  errorCode?: unknown;
  statusCode?: unknown;
  fields?: unknown;
}

/**
 * Classifies a non-2xx Salesforce response. REST errors are an array
 * `[{ message, errorCode, fields }]`; the OAuth endpoint answers `{ error, error_description }`.
 * Salesforce signals transient conditions through the code more than the status
 * (UNABLE_TO_LOCK_ROW is a 400, REQUEST_LIMIT_EXCEEDED a 403), so the code decides first and the
 * status only when the code is unknown.
 */
export function classifySalesforceError(
  status: number,
  body: unknown,
  headers: Headers,
): ProviderError {
  const limits = parseSalesforceLimits(headers);
  const { code, message, fields } = readSalesforceErrorBody(body);
  const rule = ruleFor(status, code, message);
  return new ProviderError({
    provider: "salesforce",
    disposition: rule.disposition,
    status,
    ...(code !== undefined && { code }),
    providerMessage:
      message ??
      (typeof body === "string"
        ? messageFromText(body, `Salesforce answered HTTP ${status}`)
        : `Salesforce answered HTTP ${status}`),
    ...(limits && { limits }),
    fields,
    ...retryTimingFor(rule, headers),
  });
}

/**
 * Classifies one entry of a record's `errors` in an sObject collections answer. Record errors
 * are permanent unless the code says otherwise (UNABLE_TO_LOCK_ROW retries).
 */
export function classifySalesforceRecordError(entry: unknown, limits?: LimitInfo): ProviderError {
  const { code, message, fields } = readEntry(entry);
  const rule = (code !== undefined ? ruleForCode(code, message) : undefined) ?? {
    disposition: "permanent" as const,
  };
  return new ProviderError({
    provider: "salesforce",
    disposition: rule.disposition,
    ...(code !== undefined && { code }),
    providerMessage: message ?? "Salesforce rejected this record",
    ...(limits && { limits }),
    fields,
    ...(rule.defaultRetryAfterMs !== undefined && { retryAfterMs: rule.defaultRetryAfterMs }),
    ...(rule.dailyLimit && { dailyLimit: true }),
  });
}

function ruleFor(status: number, code: string | undefined, message: string | undefined): ErrorRule {
  const codeRule = code !== undefined ? ruleForCode(code, message) : undefined;
  if (codeRule) {
    // A 5xx is the server's failure whatever code rides along; never give up on it.
    if (status >= 500 && codeRule.disposition === "permanent") return { disposition: "retry" };
    return codeRule;
  }
  if (status === 429) return { disposition: "rate_limited", defaultRetryAfterMs: 2_000 };
  if (status >= 500) return { disposition: "retry" };
  // Salesforce sessions end for many reasons (timeout, logout, admin revocation) and always say
  // INVALID_SESSION_ID; a refresh either recovers or fails with invalid_grant.
  if (status === 401) return { disposition: "refresh_credentials" };
  return { disposition: "permanent" };
}

function ruleForCode(code: string, message: string | undefined): ErrorRule | undefined {
  if (code === "REQUEST_LIMIT_EXCEEDED" && message) {
    const byMessage = salesforceLimitMessages.find(({ pattern }) => pattern.test(message));
    if (byMessage) return byMessage.rule;
  }
  return salesforceErrorCodes[code];
}

function readSalesforceErrorBody(body: unknown): {
  code?: string;
  message?: string;
  fields: string[];
} {
  if (Array.isArray(body)) {
    if (body.length === 0) return { fields: [] };
    const entries = body.map(readEntry);
    const messages = entries.map((entry) => entry.message).filter((m) => m !== undefined);
    return {
      ...(entries[0]?.code !== undefined && { code: entries[0].code }),
      ...(messages.length > 0 && { message: messages.join("; ") }),
      fields: [...new Set(entries.flatMap((entry) => entry.fields))],
    };
  }
  if (body !== null && typeof body === "object") {
    const oauth = body as { error?: unknown; error_description?: unknown };
    if (typeof oauth.error === "string") {
      const description = str(oauth.error_description);
      return { code: oauth.error, message: description ?? oauth.error, fields: [] };
    }
    return readEntry(body);
  }
  return { fields: [] };
}

function readEntry(entry: unknown): { code?: string; message?: string; fields: string[] } {
  const e = (entry !== null && typeof entry === "object" ? entry : {}) as SalesforceErrorEntry;
  const code = str(e.errorCode) ?? str(e.statusCode);
  const message = str(e.message);
  const fields = Array.isArray(e.fields)
    ? e.fields.filter((f): f is string => typeof f === "string")
    : [];
  return { ...(code !== undefined && { code }), ...(message !== undefined && { message }), fields };
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
