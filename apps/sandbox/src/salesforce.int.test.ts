import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SandboxAccount } from "./accounts";
import { type Sandbox, startSandbox } from "./server";

let sandbox: Sandbox;
let account: SandboxAccount;
const data = "/services/data/v59.0";

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, autoCreateAccounts: false });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  account = sandbox.admin.createAccount({ provider: "salesforce" });
});

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

async function salesforce(
  method: string,
  path: string,
  body?: unknown,
  options: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const token = options.token === undefined ? account.accessToken : options.token;
  const headers: Record<string, string> = { ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${sandbox.url}/salesforce${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

// Replies are JSON read only by assertions; typing every shape would add nothing.
type Json = any;

describe("Salesforce sObjects", () => {
  it("creates, reads, updates and deletes a Contact", async () => {
    const created = await salesforce("POST", `${data}/sobjects/Contact`, {
      FirstName: "Ada",
      LastName: "Lovelace",
    });
    expect(created.status).toBe(201);
    const { id } = created.body as Json;
    expect(created.body).toEqual({ id, success: true, errors: [] });
    expect(id).toMatch(/^003[A-Za-z0-9]{15}$/);

    const read = await salesforce(
      "GET",
      `${data}/sobjects/Contact/${id}?fields=FirstName,LastName,Name`,
    );
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      attributes: { type: "Contact", url: `${data}/sobjects/Contact/${id}` },
      Id: id,
      FirstName: "Ada",
      LastName: "Lovelace",
      Name: "Ada Lovelace",
    });

    const updated = await salesforce("PATCH", `${data}/sobjects/Contact/${id}`, {
      Email: "ada@example.com",
    });
    expect(updated.status).toBe(204);
    expect(updated.body).toBeUndefined();
    const full = await salesforce("GET", `${data}/sobjects/contact/${id.slice(0, 15)}`);
    expect(full.body).toMatchObject({
      Email: "ada@example.com",
      LastName: "Lovelace",
      IsDeleted: false,
    });

    expect((await salesforce("DELETE", `${data}/sobjects/Contact/${id}`)).status).toBe(204);
    const gone = await salesforce("GET", `${data}/sobjects/Contact/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual([
      { errorCode: "ENTITY_IS_DELETED", message: "entity is deleted", fields: [] },
    ]);
    const never = await salesforce("GET", `${data}/sobjects/Contact/003Hs0000009999ZZZ`);
    expect(never.body).toEqual([
      { errorCode: "NOT_FOUND", message: "The requested resource does not exist" },
    ]);
  });

  it("gives each object its key prefix and accepts custom objects with __c fields", async () => {
    const leadId = (
      await salesforce("POST", `${data}/sobjects/Lead`, { LastName: "L", Company: "C" })
    ).body as Json;
    expect(leadId.id).toMatch(/^00Q/);
    const accountId = (await salesforce("POST", `${data}/sobjects/Account`, { Name: "Acme" }))
      .body as Json;
    expect(accountId.id).toMatch(/^001/);
    const custom = await salesforce("POST", `${data}/sobjects/Invoice__c`, {
      Name: "INV-1",
      Amount__c: 12,
    });
    expect(custom.status).toBe(201);
    expect((custom.body as Json).id).toMatch(/^a/);
    expect(sandbox.admin.records(account.id, "Invoice__c")[0]?.properties).toEqual({
      Name: "INV-1",
      Amount__c: 12,
    });
    const standardFieldOnCustom = await salesforce("POST", `${data}/sobjects/Invoice__c`, {
      Amount: 12,
    });
    expect(standardFieldOnCustom.body).toEqual([
      {
        message: "No such column 'Amount' on sobject of type Invoice__c",
        errorCode: "INVALID_FIELD",
      },
    ]);
    expect((await salesforce("POST", `${data}/sobjects/Widget`, { Name: "x" })).status).toBe(404);
  });

  it("rejects missing required fields and unknown fields with Salesforce's error arrays", async () => {
    const missing = await salesforce("POST", `${data}/sobjects/Contact`, {
      FirstName: "No last name",
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual([
      {
        message: "Required fields are missing: [LastName]",
        errorCode: "REQUIRED_FIELD_MISSING",
        fields: ["LastName"],
      },
    ]);
    const lead = await salesforce("POST", `${data}/sobjects/Lead`, {});
    expect((lead.body as Json)[0].fields).toEqual(["LastName", "Company"]);

    const bogus = await salesforce("POST", `${data}/sobjects/Contact`, {
      LastName: "X",
      Bogus__c: 1,
    });
    expect(bogus.status).toBe(400);
    expect(bogus.body).toEqual([
      {
        message: "No such column 'Bogus__c' on sobject of type Contact",
        errorCode: "INVALID_FIELD",
      },
    ]);
    const spaced = await salesforce("POST", `${data}/sobjects/Contact`, {
      LastName: "X",
      "last name": "Y",
    });
    expect((spaced.body as Json)[0].errorCode).toBe("INVALID_FIELD");

    const created = (await salesforce("POST", `${data}/sobjects/Contact`, { LastName: "X" }))
      .body as Json;
    const cleared = await salesforce("PATCH", `${data}/sobjects/Contact/${created.id}`, {
      LastName: null,
    });
    expect(cleared.status).toBe(400);
    expect((cleared.body as Json)[0].errorCode).toBe("REQUIRED_FIELD_MISSING");
    expect(sandbox.admin.records(account.id, "Contact")).toHaveLength(1);
  });
});

describe("Salesforce sObject collections", () => {
  it("creates what it can and reports per-record errors without allOrNone", async () => {
    const reply = await salesforce("POST", `${data}/composite/sobjects`, {
      allOrNone: false,
      records: [
        { attributes: { type: "Contact" }, LastName: "One" },
        { attributes: { type: "Contact" }, FirstName: "Two" },
        { attributes: { type: "Account" }, Name: "Three" },
      ],
    });
    expect(reply.status).toBe(200);
    const results = reply.body as Json;
    expect(results[0]).toEqual({ id: expect.stringMatching(/^003/), success: true, errors: [] });
    expect(results[1]).toEqual({
      success: false,
      errors: [
        {
          statusCode: "REQUIRED_FIELD_MISSING",
          message: "Required fields are missing: [LastName]",
          fields: ["LastName"],
        },
      ],
    });
    expect(results[2].id).toMatch(/^001/);
    expect(sandbox.admin.records(account.id, "Contact")).toHaveLength(1);
    expect(sandbox.admin.requests(account.id).at(-1)?.records).toBe(2);
  });

  it("rolls everything back with allOrNone when one record fails", async () => {
    const reply = await salesforce("POST", `${data}/composite/sobjects`, {
      allOrNone: true,
      records: [
        { attributes: { type: "Contact" }, LastName: "One" },
        { attributes: { type: "Contact" }, FirstName: "Two" },
      ],
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([
      {
        success: false,
        errors: [
          {
            statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
            message:
              "Record rolled back because not all records were valid and the request was using AllOrNone header",
            fields: [],
          },
        ],
      },
      {
        success: false,
        errors: [
          {
            statusCode: "REQUIRED_FIELD_MISSING",
            message: "Required fields are missing: [LastName]",
            fields: ["LastName"],
          },
        ],
      },
    ]);
    expect(sandbox.admin.records(account.id, "Contact")).toEqual([]);
  });

  it("refuses more than 200 records and unknown fields for the whole call", async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: "Contact" },
      LastName: `L${i}`,
    }));
    const tooMany = await salesforce("POST", `${data}/composite/sobjects`, { records });
    expect(tooMany.status).toBe(400);
    expect((tooMany.body as Json)[0].errorCode).toBe("EXCEEDED_ID_LIMIT");
    const bogus = await salesforce("POST", `${data}/composite/sobjects`, {
      records: [{ attributes: { type: "Contact" }, LastName: "A", Bogus__c: 1 }],
    });
    expect(bogus.status).toBe(400);
    expect((bogus.body as Json)[0].errorCode).toBe("INVALID_FIELD");
    expect(sandbox.admin.records(account.id, "Contact")).toEqual([]);
  });

  it("updates by id and deletes by ids", async () => {
    const first = sandbox.admin.seedRecord(account.id, "Contact", { LastName: "First" });
    const second = sandbox.admin.seedRecord(account.id, "Contact", { LastName: "Second" });
    const update = await salesforce("PATCH", `${data}/composite/sobjects`, {
      records: [
        { attributes: { type: "Contact" }, id: first, Title: "CEO" },
        { attributes: { type: "Contact" }, id: second, LastName: "" },
        { attributes: { type: "Contact" }, id: "003Hs0000009999ZZZ", Title: "x" },
        { attributes: { type: "Contact" }, Title: "no id" },
      ],
    });
    expect(update.status).toBe(200);
    const results = update.body as Json;
    expect(results[0]).toEqual({ id: first, success: true, errors: [] });
    expect(results[1]).toMatchObject({
      id: second,
      success: false,
      errors: [{ statusCode: "REQUIRED_FIELD_MISSING" }],
    });
    expect(results[2]).toMatchObject({
      success: false,
      errors: [{ statusCode: "INVALID_CROSS_REFERENCE_KEY" }],
    });
    expect(results[3]).toMatchObject({
      success: false,
      errors: [{ statusCode: "MISSING_ARGUMENT" }],
    });
    const stored = sandbox.admin.records(account.id, "Contact");
    expect(stored.find((record) => record.id === first)?.properties.Title).toBe("CEO");

    const deleted = await salesforce(
      "DELETE",
      `${data}/composite/sobjects?ids=${first},${second}&allOrNone=false`,
    );
    expect(deleted.body).toEqual([
      { id: first, success: true, errors: [] },
      { id: second, success: true, errors: [] },
    ]);
    expect(sandbox.admin.records(account.id, "Contact")).toEqual([]);
  });
});

describe("Salesforce limits", () => {
  it("reports usage in Sforce-Limit-Info and refuses calls past the daily limit", async () => {
    const small = sandbox.admin.createAccount({ provider: "salesforce", dailyLimit: 3 });
    const usage: string[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await salesforce(
        "POST",
        `${data}/sobjects/Account`,
        { Name: `A${i}` },
        { token: small.accessToken },
      );
      expect(reply.status).toBe(201);
      usage.push(reply.headers.get("sforce-limit-info") ?? "");
    }
    expect(usage).toEqual(["api-usage=1/3", "api-usage=2/3", "api-usage=3/3"]);
    const refused = await salesforce(
      "POST",
      `${data}/sobjects/Account`,
      { Name: "over" },
      { token: small.accessToken },
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual([
      { message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" },
    ]);
    expect(refused.headers.get("sforce-limit-info")).toBe("api-usage=3/3");
    expect(sandbox.admin.records(small.id, "Account")).toHaveLength(3);
  });

  it("refuses requests beyond maxConcurrent while others are in flight", async () => {
    const slow = sandbox.admin.createAccount({
      provider: "salesforce",
      maxConcurrent: 2,
      latencyMs: 200,
    });
    const replies = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        salesforce(
          "POST",
          `${data}/sobjects/Account`,
          { Name: `A${i}` },
          { token: slow.accessToken },
        ),
      ),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses).toEqual([201, 201, 403, 403]);
    const refused = replies.find((reply) => reply.status === 403);
    expect(refused?.body).toEqual([
      { message: "ConcurrentPerOrgLongTxn Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" },
    ]);
    const later = await salesforce(
      "POST",
      `${data}/sobjects/Account`,
      { Name: "later" },
      { token: slow.accessToken },
    );
    expect(later.status).toBe(201);
  });
});

describe("Salesforce sessions", () => {
  it("refuses unknown and expired sessions, and refreshes through /services/oauth2/token", async () => {
    const unknown = await salesforce("GET", `${data}/limits`, undefined, { token: "00Dnope!x" });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual([
      { message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" },
    ]);

    const org = sandbox.admin.createAccount({
      provider: "salesforce",
      clientId: "cid",
      clientSecret: "cs",
    });
    expect(org.accessTokenExpiresAt).toBeNull();
    sandbox.admin.expireAccessToken(org.id);
    const expired = await salesforce("GET", `${data}/limits`, undefined, {
      token: org.accessToken,
    });
    expect(expired.status).toBe(401);
    expect((expired.body as Json)[0].errorCode).toBe("INVALID_SESSION_ID");

    const refresh = (refreshToken: string) =>
      fetch(`${sandbox.url}/salesforce/services/oauth2/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: refreshToken,
          client_id: "cid",
          client_secret: "cs",
        }),
      });
    const refreshed = await refresh(org.refreshToken);
    expect(refreshed.status).toBe(200);
    const tokens = (await refreshed.json()) as Json;
    expect(tokens).toMatchObject({
      instance_url: `${sandbox.url}/salesforce`,
      token_type: "Bearer",
    });
    expect(tokens).not.toHaveProperty("expires_in");
    expect(tokens.id).toContain(org.id);
    expect(tokens.issued_at).toMatch(/^\d+$/);

    expect(
      (await salesforce("GET", `${data}/limits`, undefined, { token: tokens.access_token })).status,
    ).toBe(200);
    expect(
      (await salesforce("GET", `${data}/limits`, undefined, { token: org.accessToken })).status,
    ).toBe(401);

    const bad = await refresh("5Aep861unknown");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: "invalid_grant",
      error_description: "expired access/refresh token",
    });
  });
});

describe("Salesforce faults and forwarded headers", () => {
  it("fails single writes with a top-level UNABLE_TO_LOCK_ROW and composite records one by one", async () => {
    const locked = sandbox.admin.createAccount({
      provider: "salesforce",
      faults: { lockErrorRate: 1 },
    });
    const single = await salesforce(
      "POST",
      `${data}/sobjects/Contact`,
      { LastName: "X" },
      { token: locked.accessToken },
    );
    expect(single.status).toBe(400);
    expect((single.body as Json)[0]).toMatchObject({ errorCode: "UNABLE_TO_LOCK_ROW" });
    expect((single.body as Json)[0].message).toMatch(
      /^unable to obtain exclusive access to this record or 1 records: /,
    );

    const composite = await salesforce(
      "POST",
      `${data}/composite/sobjects`,
      { records: [{ attributes: { type: "Contact" }, LastName: "A" }] },
      { token: locked.accessToken },
    );
    expect(composite.status).toBe(200);
    expect((composite.body as Json)[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: "UNABLE_TO_LOCK_ROW" }],
    });
    expect(sandbox.admin.records(locked.id, "Contact")).toEqual([]);
    expect(sandbox.admin.requests(locked.id).every((entry) => entry.injected)).toBe(true);
  });

  it("injects one locked record per composite call when the request-level draw picks a lock", async () => {
    const faulted = sandbox.admin.createAccount({
      provider: "salesforce",
      faults: { errorRate: 1, statuses: ["UNABLE_TO_LOCK_ROW"], seed: 5 },
    });
    const reply = await salesforce(
      "POST",
      `${data}/composite/sobjects`,
      {
        records: Array.from({ length: 5 }, (_, i) => ({
          attributes: { type: "Contact" },
          LastName: `L${i}`,
        })),
      },
      { token: faulted.accessToken },
    );
    const results = reply.body as Json[];
    expect(results.filter((result) => !result.success)).toHaveLength(1);
    expect(sandbox.admin.records(faulted.id, "Contact")).toHaveLength(4);

    sandbox.admin.setFaults(faulted.id, { errorRate: 1, statuses: [503] });
    const unavailable = await salesforce(
      "POST",
      `${data}/sobjects/Contact`,
      { LastName: "X" },
      { token: faulted.accessToken },
    );
    expect(unavailable.status).toBe(503);
    expect((unavailable.body as Json)[0].errorCode).toBe("SERVER_UNAVAILABLE");
    expect(sandbox.admin.records(faulted.id, "Contact")).toHaveLength(4);
  });

  it("records forwarded Sforce- and x- headers on the request log", async () => {
    await salesforce(
      "POST",
      `${data}/sobjects/Contact`,
      { LastName: "X" },
      { headers: { "Sforce-Duplicate-Rule-Header": "allowSave=true", "X-Trace-Id": "abc" } },
    );
    const entry = sandbox.admin.requests(account.id).at(-1);
    expect(entry).toMatchObject({
      method: "POST",
      path: `${data}/sobjects/Contact`,
      status: 201,
      records: 1,
      injected: false,
      headers: { "sforce-duplicate-rule-header": "allowSave=true", "x-trace-id": "abc" },
    });
    expect(entry?.headers).not.toHaveProperty("authorization");
  });
});
