import type { ErrorRule } from "../errors";

/**
 * HubSpot error codes → what to do. Keys are the body's `category` (CRM errors), `policyName`
 * (429s), or `status` (OAuth token endpoint errors, which put their code there).
 */
export const hubSpotErrorCodes: Readonly<Record<string, ErrorRule>> = {
  // 429 policies. The windows are rolling, so a full interval is the longest wait that can be
  // needed; a shorter one risks another 429 that counts against the window too.
  TEN_SECONDLY_ROLLING: { disposition: "rate_limited", defaultRetryAfterMs: 10_000 },
  SECONDLY: { disposition: "rate_limited", defaultRetryAfterMs: 1_000 },
  // The daily allocation resets at midnight in the account's own time zone, which the API does
  // not tell us; probing hourly costs one request per hour per connection.
  DAILY: { disposition: "rate_limited", defaultRetryAfterMs: 60 * 60_000, dailyLimit: true },
  RATE_LIMITS: { disposition: "rate_limited", defaultRetryAfterMs: 10_000 },
  RATE_LIMIT: { disposition: "rate_limited", defaultRetryAfterMs: 10_000 },

  EXPIRED_AUTHENTICATION: { disposition: "refresh_credentials" },
  INVALID_AUTHENTICATION: { disposition: "bad_credentials" },
  // OAuth token endpoint (`/oauth/v1/token`).
  BAD_REFRESH_TOKEN: { disposition: "bad_credentials" },
  BAD_CLIENT_ID: { disposition: "bad_credentials" },
  BAD_CLIENT_SECRET: { disposition: "bad_credentials" },

  VALIDATION_ERROR: { disposition: "permanent" },
  MISSING_SCOPES: { disposition: "permanent" },
  OBJECT_NOT_FOUND: { disposition: "permanent" },
  CONFLICT: { disposition: "permanent" },
  OBJECT_ALREADY_EXISTS: { disposition: "permanent" },
  BAD_GRANT_TYPE: { disposition: "permanent" },
};

/**
 * Statuses whose meaning does not depend on the body. 423 (record locked by concurrent
 * updates) asks for a pause of at least two seconds; 477 (account migration in progress) sends
 * `Retry-After`.
 */
export const hubSpotStatusRules: Readonly<Record<number, ErrorRule>> = {
  423: { disposition: "retry", defaultRetryAfterMs: 2_000 },
  429: { disposition: "rate_limited", defaultRetryAfterMs: 10_000 },
  477: { disposition: "retry", defaultRetryAfterMs: 30_000 },
};
