import { describe, expect, it } from "vitest";
import type { ErrorDisposition } from "../errors";
import { classifySalesforceError, classifySalesforceRecordError } from "./classifySalesforceError";

interface Case {
  name: string;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  disposition: ErrorDisposition;
  code?: string;
  retryAfterMs?: number;
  /** Lower bound, for long deferrals whose exact value is policy. */
  retryAfterAtLeastMs?: number;
  dailyLimit?: boolean;
  message?: string;
  fields?: string[];
}

const cases: Case[] = [
  {
    name: "403 daily TotalRequests allocation spent",
    status: 403,
    body: [{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }],
    headers: { "Sforce-Limit-Info": "api-usage=15000/15000" },
    disposition: "rate_limited",
    code: "REQUEST_LIMIT_EXCEEDED",
    retryAfterAtLeastMs: 15 * 60_000,
    dailyLimit: true,
    message: "TotalRequests Limit exceeded.",
  },
  {
    name: "403 concurrent long-running request cap",
    status: 403,
    body: [
      { message: "ConcurrentPerOrgLongTxn Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" },
    ],
    disposition: "rate_limited",
    code: "REQUEST_LIMIT_EXCEEDED",
    retryAfterMs: 2_000,
  },
  {
    name: "403 request limit with an unfamiliar message backs off briefly",
    status: 403,
    body: [{ message: "Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }],
    disposition: "rate_limited",
    retryAfterMs: 2_000,
  },
  {
    name: "400 row lock",
    status: 400,
    body: [
      {
        message: "unable to obtain exclusive access to this record or 1 records: 0035e00000ABCDE",
        errorCode: "UNABLE_TO_LOCK_ROW",
        fields: [],
      },
    ],
    disposition: "retry",
    code: "UNABLE_TO_LOCK_ROW",
    retryAfterMs: 1_000,
  },
  {
    name: "401 expired session",
    status: 401,
    body: [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }],
    disposition: "refresh_credentials",
    code: "INVALID_SESSION_ID",
    message: "Session expired or invalid",
  },
  { name: "401 without a body", status: 401, body: undefined, disposition: "refresh_credentials" },
  {
    name: "503 server unavailable",
    status: 503,
    body: [{ message: "Server unavailable", errorCode: "SERVER_UNAVAILABLE" }],
    disposition: "retry",
    code: "SERVER_UNAVAILABLE",
  },
  {
    name: "500 unknown exception",
    status: 500,
    body: [
      {
        message: "An unexpected error occurred. Please include this ErrorId: 1234-5678",
        errorCode: "UNKNOWN_EXCEPTION",
      },
    ],
    disposition: "retry",
  },
  {
    name: "502 HTML page",
    status: 502,
    body: "<html>Bad Gateway</html>",
    disposition: "retry",
    message: "<html>Bad Gateway</html>",
  },
  {
    name: "500 with a permanent-looking code is still retried",
    status: 500,
    body: [{ message: "oops", errorCode: "INVALID_FIELD" }],
    disposition: "retry",
  },
  {
    name: "400 required field missing",
    status: 400,
    body: [
      {
        message: "Required fields are missing: [LastName]",
        errorCode: "REQUIRED_FIELD_MISSING",
        fields: ["LastName"],
      },
    ],
    disposition: "permanent",
    code: "REQUIRED_FIELD_MISSING",
    fields: ["LastName"],
  },
  {
    name: "400 invalid field",
    status: 400,
    body: [
      {
        message: "No such column 'Bogus__c' on sobject of type Contact",
        errorCode: "INVALID_FIELD",
      },
    ],
    disposition: "permanent",
    code: "INVALID_FIELD",
    message: "No such column 'Bogus__c' on sobject of type Contact",
  },
  {
    name: "404 not found",
    status: 404,
    body: [{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }],
    disposition: "permanent",
    code: "NOT_FOUND",
  },
  {
    name: "400 malformed id",
    status: 400,
    body: [{ message: "Contact ID: id value of incorrect type: 123", errorCode: "MALFORMED_ID" }],
    disposition: "permanent",
    code: "MALFORMED_ID",
  },
  {
    name: "400 duplicate value",
    status: 400,
    body: [
      {
        message: "duplicate value found: Email__c duplicates value on record with id: 0035e0",
        errorCode: "DUPLICATE_VALUE",
        fields: [],
      },
    ],
    disposition: "permanent",
    code: "DUPLICATE_VALUE",
  },
  {
    name: "400 validation rule",
    status: 400,
    body: [
      {
        message: "Phone must have 10 digits",
        errorCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION",
        fields: ["Phone"],
      },
    ],
    disposition: "permanent",
    code: "FIELD_CUSTOM_VALIDATION_EXCEPTION",
  },
  {
    name: "404 unknown sObject type",
    status: 404,
    body: [{ message: "sObject type 'Bogus' is not supported.", errorCode: "INVALID_TYPE" }],
    disposition: "permanent",
    code: "INVALID_TYPE",
  },
  {
    name: "unknown 4xx code is permanent",
    status: 400,
    body: [{ message: "Something odd", errorCode: "SOMETHING_NEW" }],
    disposition: "permanent",
    code: "SOMETHING_NEW",
  },
  {
    name: "unknown 5xx code retries",
    status: 599,
    body: [{ message: "Something odd", errorCode: "SOMETHING_NEW" }],
    disposition: "retry",
  },
  {
    name: "OAuth invalid_grant",
    status: 400,
    body: { error: "invalid_grant", error_description: "expired access/refresh token" },
    disposition: "bad_credentials",
    code: "invalid_grant",
    message: "expired access/refresh token",
  },
  {
    name: "OAuth invalid client",
    status: 400,
    body: { error: "invalid_client_id", error_description: "client identifier invalid" },
    disposition: "bad_credentials",
  },
  {
    name: "several errors keep every message",
    status: 400,
    body: [
      { message: "First problem", errorCode: "INVALID_FIELD", fields: ["A__c"] },
      { message: "Second problem", errorCode: "STRING_TOO_LONG", fields: ["B__c"] },
    ],
    disposition: "permanent",
    code: "INVALID_FIELD",
    message: "First problem; Second problem",
    fields: ["A__c", "B__c"],
  },
];

describe("classifySalesforceError", () => {
  it.each(cases)("$name → $disposition", (c) => {
    const error = classifySalesforceError(c.status, c.body, new Headers(c.headers));
    expect(error.disposition).toBe(c.disposition);
    expect(error.status).toBe(c.status);
    expect(error.provider).toBe("salesforce");
    if (c.code !== undefined) expect(error.code).toBe(c.code);
    if (c.retryAfterAtLeastMs !== undefined) {
      expect(error.retryAfterMs).toBeGreaterThanOrEqual(c.retryAfterAtLeastMs);
    } else {
      expect(error.retryAfterMs).toBe(c.retryAfterMs);
    }
    expect(error.dailyLimit).toBe(c.dailyLimit ?? false);
    if (c.message !== undefined) expect(error.providerMessage).toBe(c.message);
    if (c.fields !== undefined) expect(error.fields).toEqual(c.fields);
  });

  it("carries the daily usage from Sforce-Limit-Info", () => {
    const error = classifySalesforceError(
      403,
      [{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }],
      new Headers({ "Sforce-Limit-Info": "api-usage=15000/15000" }),
    );
    expect(error.limits).toEqual({ dailyUsed: 15_000, dailyLimit: 15_000 });
  });

  it("honours Retry-After over its own default", () => {
    const error = classifySalesforceError(
      503,
      [{ message: "Server unavailable", errorCode: "SERVER_UNAVAILABLE" }],
      new Headers({ "Retry-After": "7" }),
    );
    expect(error.retryAfterMs).toBe(7_000);
  });
});

describe("classifySalesforceRecordError", () => {
  it("retries a record that lost a row lock", () => {
    const error = classifySalesforceRecordError({
      statusCode: "UNABLE_TO_LOCK_ROW",
      message: "unable to obtain exclusive access to this record",
      fields: [],
    });
    expect(error.disposition).toBe("retry");
  });

  it("fails a rolled-back record permanently with Salesforce's message", () => {
    const message =
      "Record rolled back because not all records were valid and the request was using AllOrNone header";
    const error = classifySalesforceRecordError({
      statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
      message,
      fields: [],
    });
    expect(error.disposition).toBe("permanent");
    expect(error.providerMessage).toBe(message);
  });

  it("treats an unknown record code as permanent", () => {
    expect(
      classifySalesforceRecordError({ statusCode: "NEW_CODE", message: "x" }).disposition,
    ).toBe("permanent");
  });
});
