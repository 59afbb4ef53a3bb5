import {
  type ErrorDisposition,
  type ErrorRule,
  messageFromText,
  ProviderError,
  retryTimingFor,
} from "../errors";
import type { LimitInfo } from "../limits";
import { hubSpotErrorCodes, hubSpotStatusRules } from "./errorCodes";
import { parseHubSpotLimits } from "./limits";

/** The fields HubSpot error bodies may carry; every one is optional in practice. */
interface HubSpotErrorBody {
  status?: unknown;
  message?: unknown;
  category?: unknown;
  subCategory?: unknown;
  policyName?: unknown;
  errorType?: unknown;
  errors?: unknown;
  context?: unknown;
}

/**
 * Classifies a non-2xx HubSpot response by status and body code. Status wins for conditions
 * that are transient whatever the body says (429, 423, 477, 5xx); otherwise the body's code
 * decides, and an unknown 4xx is permanent.
 */
export function classifyHubSpotError(
  status: number,
  body: unknown,
  headers: Headers,
): ProviderError {
  const limits = parseHubSpotLimits(headers);
  const parsed = asErrorBody(body);
  const code = hubSpotErrorCode(status, parsed);
  const providerMessage = hubSpotMessage(status, body, parsed);
  const fields = propertyNamesFrom(parsed?.errors);
  const rule = ruleFor(status, code);
  return new ProviderError({
    provider: "hubspot",
    disposition: rule.disposition,
    status,
    ...(code !== undefined && { code }),
    providerMessage,
    ...(limits && { limits }),
    ...(fields.length > 0 && { fields }),
    // Without Retry-After, the rolling window's length bounds how long the budget stays spent.
    ...retryTimingFor(rule, headers, limits?.intervalMs),
  });
}

/** Classifies one entry of a batch response's `errors` array (a 207 multi-status answer). */
export function classifyHubSpotBatchError(entry: unknown, limits?: LimitInfo): ProviderError {
  const parsed = asErrorBody(entry);
  const code = str(parsed?.category) ?? str(parsed?.subCategory);
  const rule = (code !== undefined ? hubSpotErrorCodes[code] : undefined) ?? {
    disposition: "permanent" as ErrorDisposition,
  };
  const fields = propertyNamesFrom(parsed?.errors);
  return new ProviderError({
    provider: "hubspot",
    disposition: rule.disposition,
    ...(code !== undefined && { code }),
    providerMessage: str(parsed?.message) ?? "HubSpot rejected this record",
    ...(limits && { limits }),
    ...(fields.length > 0 && { fields }),
    ...(rule.defaultRetryAfterMs !== undefined && { retryAfterMs: rule.defaultRetryAfterMs }),
  });
}

function ruleFor(status: number, code: string | undefined): ErrorRule {
  const statusRule = hubSpotStatusRules[status];
  if (status === 429) {
    // The policy (daily or short window) refines the 429; anything else in the body doesn't.
    const codeRule = code !== undefined ? hubSpotErrorCodes[code] : undefined;
    return codeRule?.disposition === "rate_limited" ? codeRule : (statusRule ?? rateLimited);
  }
  if (statusRule) return statusRule;
  if (status >= 500) return { disposition: "retry" };
  const codeRule = code !== undefined ? hubSpotErrorCodes[code] : undefined;
  if (codeRule) return codeRule;
  if (status === 401) return { disposition: "bad_credentials" };
  return { disposition: "permanent" };
}

const rateLimited: ErrorRule = { disposition: "rate_limited", defaultRetryAfterMs: 10_000 };

function hubSpotErrorCode(status: number, body: HubSpotErrorBody | undefined): string | undefined {
  if (!body) return undefined;
  const statusField = str(body.status);
  // OAuth errors put their code in `status`; CRM errors always say `"status": "error"`.
  const oauthCode = statusField && statusField !== "error" ? statusField : undefined;
  if (status === 429) return str(body.policyName) ?? str(body.category) ?? str(body.errorType);
  return str(body.category) ?? oauthCode ?? str(body.policyName) ?? str(body.errorType);
}

function hubSpotMessage(status: number, raw: unknown, body: HubSpotErrorBody | undefined): string {
  const fallback = `HubSpot answered HTTP ${status}`;
  const message = str(body?.message);
  if (message) return message;
  if (typeof raw === "string") return messageFromText(raw, fallback);
  return fallback;
}

/** Validation errors name the offending property in `errors[].context.propertyName`. */
function propertyNamesFrom(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [];
  const names = new Set<string>();
  for (const entry of errors) {
    const context = (entry as { context?: unknown } | null)?.context;
    if (!context || typeof context !== "object") continue;
    const propertyName = (context as { propertyName?: unknown }).propertyName;
    for (const name of Array.isArray(propertyName) ? propertyName : [propertyName]) {
      if (typeof name === "string") names.add(name);
    }
  }
  return [...names];
}

function asErrorBody(body: unknown): HubSpotErrorBody | undefined {
  return body !== null && typeof body === "object" && !Array.isArray(body)
    ? (body as HubSpotErrorBody)
    : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
