import { describe, expect, it } from "vitest";
import type { ErrorDisposition } from "../errors";
import { classifyHubSpotBatchError, classifyHubSpotError } from "./classifyHubSpotError";

interface Case {
  name: string;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  disposition: ErrorDisposition;
  code?: string;
  retryAfterMs?: number;
  dailyLimit?: boolean;
  message?: string;
}

const correlationId = "aeb5f871-7f07-4993-9211-075dc63e7cbf";

const cases: Case[] = [
  {
    name: "429 ten-secondly with Retry-After",
    status: 429,
    body: {
      status: "error",
      message: "You have reached your ten_secondly_rolling limit.",
      errorType: "RATE_LIMIT",
      correlationId,
      policyName: "TEN_SECONDLY_ROLLING",
      groupName: "publicapi:oauth:12345:67890",
    },
    headers: { "Retry-After": "3", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000" },
    disposition: "rate_limited",
    code: "TEN_SECONDLY_ROLLING",
    retryAfterMs: 3_000,
    message: "You have reached your ten_secondly_rolling limit.",
  },
  {
    name: "429 ten-secondly without Retry-After waits the reported interval",
    status: 429,
    body: { status: "error", errorType: "RATE_LIMIT", policyName: "TEN_SECONDLY_ROLLING" },
    headers: {
      "X-HubSpot-RateLimit-Max": "100",
      "X-HubSpot-RateLimit-Remaining": "0",
      "X-HubSpot-RateLimit-Interval-Milliseconds": "1000",
    },
    disposition: "rate_limited",
    code: "TEN_SECONDLY_ROLLING",
    retryAfterMs: 1_000,
  },
  {
    name: "429 with no hint at all falls back to the ten-second window",
    status: 429,
    body: { status: "error", message: "rate limited", category: "RATE_LIMITS" },
    disposition: "rate_limited",
    code: "RATE_LIMITS",
    retryAfterMs: 10_000,
  },
  {
    name: "429 secondly policy",
    status: 429,
    body: { status: "error", errorType: "RATE_LIMIT", policyName: "SECONDLY" },
    disposition: "rate_limited",
    code: "SECONDLY",
    retryAfterMs: 1_000,
  },
  {
    name: "429 daily policy defers long even with a short interval header",
    status: 429,
    body: {
      status: "error",
      message: "You have reached your daily limit.",
      errorType: "RATE_LIMIT",
      policyName: "DAILY",
    },
    headers: { "X-HubSpot-RateLimit-Interval-Milliseconds": "10000" },
    disposition: "rate_limited",
    code: "DAILY",
    retryAfterMs: 3_600_000,
    dailyLimit: true,
  },
  {
    name: "429 with an HTML body",
    status: 429,
    body: "<html><body>Too Many Requests</body></html>",
    disposition: "rate_limited",
    retryAfterMs: 10_000,
    message: "<html><body>Too Many Requests</body></html>",
  },
  {
    name: "423 locked",
    status: 423,
    body: { status: "error", message: "Locked", category: "LOCKED" },
    disposition: "retry",
    retryAfterMs: 2_000,
  },
  {
    name: "477 migration in progress honours Retry-After",
    status: 477,
    body: { status: "error", message: "Migration in progress" },
    headers: { "Retry-After": "60" },
    disposition: "retry",
    retryAfterMs: 60_000,
  },
  {
    name: "500 internal error",
    status: 500,
    body: { status: "error", message: "internal error", correlationId },
    disposition: "retry",
  },
  {
    name: "502 with an HTML body",
    status: 502,
    body: "<html><head><title>502 Bad Gateway</title></head></html>",
    disposition: "retry",
  },
  { name: "503 without a body", status: 503, body: undefined, disposition: "retry" },
  {
    name: "504 whose body claims a validation error is still transient",
    status: 504,
    body: { status: "error", message: "timeout", category: "VALIDATION_ERROR" },
    disposition: "retry",
  },
  {
    name: "401 expired OAuth token",
    status: 401,
    body: {
      status: "error",
      message: "The OAuth token used to make this call expired 2 hour(s) ago.",
      correlationId,
      category: "EXPIRED_AUTHENTICATION",
    },
    disposition: "refresh_credentials",
    code: "EXPIRED_AUTHENTICATION",
    message: "The OAuth token used to make this call expired 2 hour(s) ago.",
  },
  {
    name: "401 invalid authentication",
    status: 401,
    body: {
      status: "error",
      message: "Authentication credentials not found.",
      category: "INVALID_AUTHENTICATION",
    },
    disposition: "bad_credentials",
    code: "INVALID_AUTHENTICATION",
  },
  { name: "401 with no body", status: 401, body: undefined, disposition: "bad_credentials" },
  {
    name: "400 validation error on an email",
    status: 400,
    body: {
      status: "error",
      message:
        'Property values were not valid: [{"isValid":false,"message":"Email address bob is invalid","error":"INVALID_EMAIL","name":"email"}]',
      correlationId,
      category: "VALIDATION_ERROR",
    },
    disposition: "permanent",
    code: "VALIDATION_ERROR",
  },
  {
    name: "403 missing scopes",
    status: 403,
    body: {
      status: "error",
      message: "This app hasn't been granted all required scopes to make this call.",
      correlationId,
      errors: [
        {
          message: "One or more of the following scopes are required.",
          context: { requiredGranularScopes: ["crm.objects.contacts.write"] },
        },
      ],
      category: "MISSING_SCOPES",
    },
    disposition: "permanent",
    code: "MISSING_SCOPES",
  },
  {
    name: "404 object not found",
    status: 404,
    body: { status: "error", message: "resource not found", category: "OBJECT_NOT_FOUND" },
    disposition: "permanent",
    code: "OBJECT_NOT_FOUND",
  },
  {
    name: "409 duplicate contact",
    status: 409,
    body: {
      status: "error",
      message: "Contact already exists. Existing ID: 12345",
      correlationId,
      category: "CONFLICT",
    },
    disposition: "permanent",
    code: "CONFLICT",
    message: "Contact already exists. Existing ID: 12345",
  },
  {
    name: "400 OAuth bad refresh token",
    status: 400,
    body: {
      status: "BAD_REFRESH_TOKEN",
      message: "missing or unknown refresh token",
      correlationId,
    },
    disposition: "bad_credentials",
    code: "BAD_REFRESH_TOKEN",
  },
  {
    name: "400 OAuth bad client secret",
    status: 400,
    body: { status: "BAD_CLIENT_SECRET", message: "missing or invalid client secret" },
    disposition: "bad_credentials",
    code: "BAD_CLIENT_SECRET",
  },
  {
    name: "unknown 4xx is permanent",
    status: 415,
    body: { status: "error", message: "Unsupported media type" },
    disposition: "permanent",
  },
];

describe("classifyHubSpotError", () => {
  it.each(cases)("$name → $disposition", (c) => {
    const error = classifyHubSpotError(c.status, c.body, new Headers(c.headers));
    expect(error.disposition).toBe(c.disposition);
    expect(error.status).toBe(c.status);
    expect(error.provider).toBe("hubspot");
    if (c.code !== undefined) expect(error.code).toBe(c.code);
    expect(error.retryAfterMs).toBe(c.retryAfterMs);
    expect(error.dailyLimit).toBe(c.dailyLimit ?? false);
    if (c.message !== undefined) expect(error.providerMessage).toBe(c.message);
    expect(error.providerMessage.length).toBeGreaterThan(0);
  });

  it("carries the limit headers of the failed response", () => {
    const error = classifyHubSpotError(
      429,
      { policyName: "TEN_SECONDLY_ROLLING" },
      new Headers({
        "X-HubSpot-RateLimit-Max": "110",
        "X-HubSpot-RateLimit-Remaining": "0",
        "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
      }),
    );
    expect(error.limits).toEqual({ max: 110, remaining: 0, intervalMs: 10_000 });
  });

  it("reads Retry-After given as an HTTP date", () => {
    const at = new Date(Date.now() + 5_000).toUTCString();
    const error = classifyHubSpotError(429, {}, new Headers({ "Retry-After": at }));
    expect(error.retryAfterMs).toBeGreaterThan(3_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(5_000);
  });

  it("names the properties a validation error blames", () => {
    const error = classifyHubSpotError(
      400,
      {
        status: "error",
        message: "Property values were not valid",
        category: "VALIDATION_ERROR",
        errors: [{ message: "Email address bob is invalid", context: { propertyName: ["email"] } }],
      },
      new Headers(),
    );
    expect(error.fields).toEqual(["email"]);
  });
});

describe("classifyHubSpotBatchError", () => {
  it("makes a 207 entry a permanent record error with HubSpot's message", () => {
    const error = classifyHubSpotBatchError({
      status: "error",
      category: "VALIDATION_ERROR",
      message: "Property values were not valid",
      context: { objectWriteTraceId: ["1"] },
    });
    expect(error.disposition).toBe("permanent");
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.providerMessage).toBe("Property values were not valid");
  });

  it("keeps a conflict permanent", () => {
    const error = classifyHubSpotBatchError({
      status: "error",
      category: "CONFLICT",
      message: "Contact already exists. Existing ID: 901",
    });
    expect(error.disposition).toBe("permanent");
    expect(error.code).toBe("CONFLICT");
  });
});
