import type { ErrorRule } from "../errors";

/**
 * Salesforce error codes → what to do. Keys are REST `errorCode` (top-level error arrays),
 * `statusCode` (per-record errors in sObject collections) or OAuth `error` (token endpoint).
 * Codes not listed fall back on the HTTP status: unknown 4xx is permanent, unknown 5xx retries.
 */
export const salesforceErrorCodes: Readonly<Record<string, ErrorRule>> = {
  // Another transaction holds the row; it clears within seconds.
  UNABLE_TO_LOCK_ROW: { disposition: "retry", defaultRetryAfterMs: 1_000 },
  SERVER_UNAVAILABLE: { disposition: "retry" },
  UNKNOWN_EXCEPTION: { disposition: "retry" },
  REQUEST_RUNNING_TOO_LONG: { disposition: "retry" },
  QUERY_TIMEOUT: { disposition: "retry" },
  // Refined by the message: see salesforceLimitMessages.
  REQUEST_LIMIT_EXCEEDED: { disposition: "rate_limited", defaultRetryAfterMs: 2_000 },

  INVALID_SESSION_ID: { disposition: "refresh_credentials" },
  INVALID_AUTH_HEADER: { disposition: "refresh_credentials" },
  // OAuth token endpoint (`/services/oauth2/token`).
  invalid_grant: { disposition: "bad_credentials" },
  invalid_client: { disposition: "bad_credentials" },
  invalid_client_id: { disposition: "bad_credentials" },
  unauthorized_client: { disposition: "bad_credentials" },
  inactive_user: { disposition: "bad_credentials" },
  inactive_org: { disposition: "bad_credentials" },
  API_DISABLED_FOR_ORG: { disposition: "bad_credentials" },
  unsupported_grant_type: { disposition: "permanent" },
  invalid_request: { disposition: "permanent" },

  REQUIRED_FIELD_MISSING: { disposition: "permanent" },
  INVALID_FIELD: { disposition: "permanent" },
  INVALID_FIELD_FOR_INSERT_UPDATE: { disposition: "permanent" },
  INVALID_TYPE: { disposition: "permanent" },
  INVALID_TYPE_ON_FIELD_IN_RECORD: { disposition: "permanent" },
  NOT_FOUND: { disposition: "permanent" },
  ENTITY_IS_DELETED: { disposition: "permanent" },
  MALFORMED_ID: { disposition: "permanent" },
  INVALID_ID_FIELD: { disposition: "permanent" },
  INVALID_CROSS_REFERENCE_KEY: { disposition: "permanent" },
  DUPLICATE_VALUE: { disposition: "permanent" },
  DUPLICATES_DETECTED: { disposition: "permanent" },
  FIELD_CUSTOM_VALIDATION_EXCEPTION: { disposition: "permanent" },
  FIELD_INTEGRITY_EXCEPTION: { disposition: "permanent" },
  STRING_TOO_LONG: { disposition: "permanent" },
  INVALID_EMAIL_ADDRESS: { disposition: "permanent" },
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: { disposition: "permanent" },
  INSUFFICIENT_ACCESS_OR_READONLY: { disposition: "permanent" },
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: { disposition: "permanent" },
  CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY: { disposition: "permanent" },
  ENTITY_IS_LOCKED: { disposition: "permanent" },
  JSON_PARSER_ERROR: { disposition: "permanent" },
  METHOD_NOT_ALLOWED: { disposition: "permanent" },
  // Sent for every record of an allOrNone call that was valid but undone with the others.
  ALL_OR_NONE_OPERATION_ROLLED_BACK: { disposition: "permanent" },
};

/**
 * REQUEST_LIMIT_EXCEEDED covers two very different limits, told apart only by the message:
 * the org's rolling 24 h allocation ("TotalRequests Limit exceeded.") frees up slowly, so the
 * connection should pause for a long time; the concurrent long-running request cap
 * ("ConcurrentPerOrgLongTxn Limit exceeded.") clears within seconds.
 */
export const salesforceLimitMessages: ReadonlyArray<{
  readonly pattern: RegExp;
  readonly rule: ErrorRule;
}> = [
  {
    pattern: /TotalRequests/i,
    rule: { disposition: "rate_limited", defaultRetryAfterMs: 30 * 60_000, dailyLimit: true },
  },
  {
    pattern: /Concurrent/i,
    rule: { disposition: "rate_limited", defaultRetryAfterMs: 2_000 },
  },
];
