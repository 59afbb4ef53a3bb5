import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SandboxAccount } from "./accounts";
import { type Sandbox, startSandbox } from "./server";

let sandbox: Sandbox;
let account: SandboxAccount;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, autoCreateAccounts: false });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  account = sandbox.admin.createAccount({
    provider: "hubspot",
    rateLimit: { requests: 1000, intervalMs: 10_000 },
  });
});

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

async function hubspot(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = account.accessToken,
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${sandbox.url}/hubspot${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed };
}

// Replies are JSON read only by assertions; typing every shape would add nothing.
type Json = any;

describe("HubSpot objects", () => {
  it("creates, reads, updates and archives a contact, accepting the singular object name", async () => {
    const created = await hubspot("POST", "/crm/v3/objects/contact", {
      properties: { email: "ada@example.com", firstname: "Ada", employees: 12, vip: true },
    });
    expect(created.status).toBe(201);
    const contact = created.body as Json;
    expect(contact).toMatchObject({
      archived: false,
      properties: {
        email: "ada@example.com",
        firstname: "Ada",
        employees: "12",
        vip: "true",
        hs_object_id: contact.id,
      },
    });
    expect(contact.properties.createdate).toBe(contact.createdAt);
    expect(contact.properties.lastmodifieddate).toBe(contact.updatedAt);

    const read = await hubspot(
      "GET",
      `/crm/v3/objects/contacts/${contact.id}?properties=firstname,employees`,
    );
    expect(read.status).toBe(200);
    expect((read.body as Json).properties).toMatchObject({ firstname: "Ada", employees: "12" });
    expect((read.body as Json).properties).not.toHaveProperty("vip");

    const defaults = await hubspot("GET", `/crm/v3/objects/contacts/${contact.id}`);
    expect(Object.keys((defaults.body as Json).properties).sort()).toEqual(
      ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"].sort(),
    );

    const updated = await hubspot("PATCH", `/crm/v3/objects/contacts/${contact.id}`, {
      properties: { firstname: "Augusta" },
    });
    expect(updated.status).toBe(200);
    expect((updated.body as Json).properties).toMatchObject({
      firstname: "Augusta",
      email: "ada@example.com",
    });

    const byEmail = await hubspot(
      "GET",
      "/crm/v3/objects/contacts/ada@example.com?idProperty=email",
    );
    expect((byEmail.body as Json).id).toBe(contact.id);

    expect((await hubspot("DELETE", `/crm/v3/objects/contacts/${contact.id}`)).status).toBe(204);
    const gone = await hubspot("GET", `/crm/v3/objects/contacts/${contact.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({
      status: "error",
      message: "resource not found",
      category: "OBJECT_NOT_FOUND",
    });
    expect((gone.body as Json).correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await hubspot("DELETE", `/crm/v3/objects/contacts/${contact.id}`)).status).toBe(404);
    expect(
      (await hubspot("PATCH", "/crm/v3/objects/contacts/999999", { properties: {} })).status,
    ).toBe(404);
  });

  it("stores custom objects per type and stores associations", async () => {
    const company = await hubspot("POST", "/crm/v3/objects/companies", {
      properties: { name: "Acme" },
    });
    const created = await hubspot("POST", "/crm/v3/objects/2-123456", {
      properties: { plate: "AB-123" },
      associations: [
        {
          to: { id: (company.body as Json).id },
          types: [{ associationCategory: "USER_DEFINED", associationTypeId: 7 }],
        },
      ],
    });
    expect(created.status).toBe(201);
    expect((created.body as Json).properties.hs_createdate).toBeDefined();
    const stored = sandbox.admin.records(account.id, "2-123456");
    expect(stored).toHaveLength(1);
    expect(stored[0]?.associations).toEqual([
      {
        to: { id: (company.body as Json).id },
        types: [{ associationCategory: "USER_DEFINED", associationTypeId: 7 }],
      },
    ]);
    expect(sandbox.admin.records(account.id, "p_cars")).toEqual([]);

    const danglingAssociation = await hubspot("POST", "/crm/v3/objects/deals", {
      properties: { dealname: "x" },
      associations: [
        {
          to: { id: "424242" },
          types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 5 }],
        },
      ],
    });
    expect(danglingAssociation.status).toBe(400);
    expect(danglingAssociation.body).toMatchObject({ category: "VALIDATION_ERROR" });

    const unknownType = await hubspot("POST", "/crm/v3/objects/widgets", { properties: {} });
    expect(unknownType.status).toBe(400);
    expect((unknownType.body as Json).message).toBe("Unable to infer object type from: widgets");
  });

  it("refuses a duplicate contact email with HubSpot's 409 CONFLICT body", async () => {
    const first = await hubspot("POST", "/crm/v3/objects/contacts", {
      properties: { email: "dup@example.com" },
    });
    const second = await hubspot("POST", "/crm/v3/objects/contacts", {
      properties: { email: "DUP@example.com" },
    });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      status: "error",
      message: `Contact already exists. Existing ID: ${(first.body as Json).id}`,
      category: "CONFLICT",
    });
    expect(sandbox.admin.records(account.id, "contacts")).toHaveLength(1);
  });

  it("rejects invalid property values with VALIDATION_ERROR and writes nothing", async () => {
    const badEmail = await hubspot("POST", "/crm/v3/objects/contacts", {
      properties: { email: "nope" },
    });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body).toMatchObject({
      status: "error",
      category: "VALIDATION_ERROR",
      message:
        'Property values were not valid: [{"isValid":false,"message":"Email address nope is invalid","error":"INVALID_EMAIL","name":"email"}]',
    });

    const objectValue = await hubspot("POST", "/crm/v3/objects/companies", {
      properties: { name: { first: "A" } },
    });
    expect(objectValue.status).toBe(400);
    expect((objectValue.body as Json).message).toMatch(/^Property values were not valid: /);
    expect((objectValue.body as Json).errors[0]).toMatchObject({ code: "INVALID_PROPERTY_VALUE" });

    const unknownProperty = await hubspot("POST", "/crm/v3/objects/companies", {
      properties: { "First Name": "A" },
    });
    expect((unknownProperty.body as Json).errors[0]).toMatchObject({
      code: "PROPERTY_DOESNT_EXIST",
    });

    const notJson = await fetch(`${sandbox.url}/hubspot/crm/v3/objects/contacts`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${account.accessToken}`,
        "content-type": "application/json",
      },
      body: "{oops",
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ category: "VALIDATION_ERROR" });
    expect(sandbox.admin.records(account.id, "contacts")).toEqual([]);
    expect(sandbox.admin.records(account.id, "companies")).toEqual([]);
  });
});

describe("HubSpot batch endpoints", () => {
  it("reports partial failures as 207 keyed by objectWriteTraceId when trace ids are sent", async () => {
    await hubspot("POST", "/crm/v3/objects/contacts", {
      properties: { email: "taken@example.com" },
    });
    const reply = await hubspot("POST", "/crm/v3/objects/contacts/batch/create", {
      inputs: [
        { properties: { email: "one@example.com" }, objectWriteTraceId: "t-1" },
        { properties: { email: "broken" }, objectWriteTraceId: "t-2" },
        { properties: { email: "taken@example.com" }, objectWriteTraceId: "t-3" },
        { properties: { email: "four@example.com" }, objectWriteTraceId: "t-4" },
      ],
    });
    expect(reply.status).toBe(207);
    const body = reply.body as Json;
    expect(body.status).toBe("COMPLETE");
    expect(body.numErrors).toBe(2);
    expect(body.results.map((result: Json) => result.objectWriteTraceId)).toEqual(["t-1", "t-4"]);
    expect(body.errors).toEqual([
      expect.objectContaining({
        status: "error",
        category: "VALIDATION_ERROR",
        context: { objectWriteTraceId: ["t-2"] },
      }),
      expect.objectContaining({
        status: "error",
        category: "CONFLICT",
        context: { objectWriteTraceId: ["t-3"] },
      }),
    ]);
    expect(typeof body.startedAt).toBe("string");
    expect(typeof body.completedAt).toBe("string");
    expect(sandbox.admin.records(account.id, "contacts")).toHaveLength(3);
    const logged = sandbox.admin.requests(account.id).at(-1);
    expect(logged).toMatchObject({
      method: "POST",
      path: "/crm/v3/objects/contacts/batch/create",
      status: 207,
      records: 2,
    });
  });

  it("answers 201 when every input succeeds, and fails the whole batch without trace ids", async () => {
    const ok = await hubspot("POST", "/crm/v3/objects/companies/batch/create", {
      inputs: [{ properties: { name: "A" } }, { properties: { name: "B" } }],
    });
    expect(ok.status).toBe(201);
    expect((ok.body as Json).results).toHaveLength(2);
    expect(ok.body).not.toHaveProperty("errors");

    const failed = await hubspot("POST", "/crm/v3/objects/contacts/batch/create", {
      inputs: [{ properties: { email: "fine@example.com" } }, { properties: { email: "broken" } }],
    });
    expect(failed.status).toBe(400);
    expect(failed.body).toMatchObject({ status: "error", category: "VALIDATION_ERROR" });
    expect(sandbox.admin.records(account.id, "contacts")).toEqual([]);
  });

  it("refuses more than 100 inputs", async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ properties: { name: `c${i}` } }));
    const reply = await hubspot("POST", "/crm/v3/objects/companies/batch/create", { inputs });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ category: "VALIDATION_ERROR" });
    expect(sandbox.admin.records(account.id, "companies")).toEqual([]);
  });

  it("updates in batch, listing unknown ids and invalid inputs as errors", async () => {
    const a = sandbox.admin.seedRecord(account.id, "contacts", { email: "a@example.com" });
    const b = sandbox.admin.seedRecord(account.id, "contacts", { email: "b@example.com" });
    const reply = await hubspot("POST", "/crm/v3/objects/contacts/batch/update", {
      inputs: [
        { id: a, properties: { firstname: "Alpha" } },
        { id: b, properties: { email: "invalid" } },
        { id: "987654", properties: { firstname: "Ghost" } },
      ],
    });
    expect(reply.status).toBe(207);
    const body = reply.body as Json;
    expect(body.results.map((result: Json) => result.id)).toEqual([a]);
    expect(body.errors).toEqual([
      expect.objectContaining({
        category: "OBJECT_NOT_FOUND",
        context: expect.objectContaining({ ids: ["987654"] }),
      }),
      expect.objectContaining({
        category: "VALIDATION_ERROR",
        context: expect.objectContaining({ id: [b] }),
      }),
    ]);
    const stored = sandbox.admin.records(account.id, "contacts");
    expect(stored.find((record) => record.id === a)?.properties.firstname).toBe("Alpha");
    expect(stored.find((record) => record.id === b)?.properties.email).toBe("b@example.com");

    const allGood = await hubspot("POST", "/crm/v3/objects/contacts/batch/update", {
      inputs: [{ id: b, properties: { firstname: "Beta" } }],
    });
    expect(allGood.status).toBe(200);

    const read = await hubspot("POST", "/crm/v3/objects/contacts/batch/read", {
      inputs: [{ id: a }, { id: "1" }],
      properties: ["firstname"],
    });
    expect(read.status).toBe(207);
    expect((read.body as Json).results[0].properties.firstname).toBe("Alpha");
  });
});

describe("HubSpot authentication", () => {
  it("answers 401 INVALID_AUTHENTICATION without a known token", async () => {
    for (const token of [null, "not-a-token"]) {
      const reply = await hubspot("GET", "/crm/v3/objects/contacts/1", undefined, token);
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ status: "error", category: "INVALID_AUTHENTICATION" });
      expect((reply.body as Json).message).toMatch(/^Authentication credentials not found\./);
    }
  });

  it("expires tokens and refreshes them through /oauth/v1/token", async () => {
    const client = sandbox.admin.createAccount({
      provider: "hubspot",
      clientId: "cid",
      clientSecret: "secret",
    });
    const oldToken = client.accessToken;
    sandbox.admin.expireAccessToken(client.id);
    const expired = await hubspot("GET", "/crm/v3/objects/contacts?limit=1", undefined, oldToken);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ category: "EXPIRED_AUTHENTICATION" });
    expect((expired.body as Json).message).toMatch(
      /^The OAuth token used to make this call expired \d+ second\(s\) ago\.$/,
    );

    const refresh = (refreshToken: string, clientSecret = "secret") =>
      fetch(`${sandbox.url}/hubspot/oauth/v1/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: refreshToken,
          client_id: "cid",
          client_secret: clientSecret,
        }),
      });
    const refreshed = await refresh(client.refreshToken);
    expect(refreshed.status).toBe(200);
    const tokens = (await refreshed.json()) as Json;
    expect(tokens).toMatchObject({
      token_type: "bearer",
      refresh_token: client.refreshToken,
      expires_in: 1800,
    });
    expect(tokens.access_token).not.toBe(oldToken);

    expect(
      (await hubspot("GET", "/crm/v3/objects/contacts?limit=1", undefined, tokens.access_token))
        .status,
    ).toBe(200);
    const old = await hubspot("GET", "/crm/v3/objects/contacts?limit=1", undefined, oldToken);
    expect(old.status).toBe(401);
    expect(sandbox.admin.accountByToken(tokens.access_token)?.id).toBe(client.id);

    const unknown = await refresh("na1-unknown");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ status: "BAD_REFRESH_TOKEN" });
    const wrongSecret = await refresh(client.refreshToken, "guess");
    expect(wrongSecret.status).toBe(400);
  });

  it("gives an unknown token its own account when auto-creation is on", async () => {
    const open = await startSandbox({ port: 0 });
    try {
      const response = await fetch(`${open.url}/hubspot/crm/v3/objects/contacts`, {
        method: "POST",
        headers: { authorization: "Bearer demo-token", "content-type": "application/json" },
        body: JSON.stringify({ properties: { email: "demo@example.com" } }),
      });
      expect(response.status).toBe(201);
      const created = open.admin.accountByToken("demo-token");
      expect(created?.provider).toBe("hubspot");
      expect(created?.accessTokenExpiresAt).toBeNull();
      expect(open.admin.records(created?.id ?? "", "contacts")).toHaveLength(1);
    } finally {
      await open.close();
    }
  });
});

describe("HubSpot rate limits", () => {
  it("enforces the rolling window with HubSpot's headers and body, then recovers", async () => {
    const limited = sandbox.admin.createAccount({
      provider: "hubspot",
      rateLimit: { requests: 3, intervalMs: 500 },
    });
    const call = () =>
      hubspot("GET", "/crm/v3/objects/contacts?limit=1", undefined, limited.accessToken);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await call();
      expect(reply.status).toBe(200);
      expect(reply.headers.get("x-hubspot-ratelimit-max")).toBe("3");
      expect(reply.headers.get("x-hubspot-ratelimit-interval-milliseconds")).toBe("500");
      remaining.push(reply.headers.get("x-hubspot-ratelimit-remaining") ?? "");
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const rejected = await call();
    expect(rejected.status).toBe(429);
    expect(rejected.headers.get("x-hubspot-ratelimit-remaining")).toBe("0");
    expect(Number(rejected.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(rejected.body).toMatchObject({
      status: "error",
      message: "You have reached your ten_secondly_rolling limit.",
      errorType: "RATE_LIMIT",
      policyName: "TEN_SECONDLY_ROLLING",
    });
    await new Promise((resolve) => setTimeout(resolve, 550));
    expect((await call()).status).toBe(200);
    const statuses = sandbox.admin.requests(limited.id).map((entry) => entry.status);
    expect(statuses).toEqual([200, 200, 200, 429, 200]);
  });
});

describe("HubSpot fault injection", () => {
  async function runFaulted(seed: number): Promise<number[]> {
    const faulted = sandbox.admin.createAccount({
      provider: "hubspot",
      rateLimit: { requests: 10_000, intervalMs: 10_000 },
      faults: { errorRate: 0.3, statuses: [429, 502, 503, 477], seed },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const reply = await hubspot(
        "POST",
        "/crm/v3/objects/companies",
        { properties: { name: `n${i}` } },
        faulted.accessToken,
      );
      statuses.push(reply.status);
      if (reply.status === 429 || reply.status === 477)
        expect(reply.headers.get("retry-after")).toBe("1");
      if (reply.status === 502) expect(reply.headers.get("content-type")).toMatch(/text\/html/);
    }
    const log = sandbox.admin.requests(faulted.id);
    expect(log.filter((entry) => entry.injected)).toHaveLength(
      statuses.filter((status) => status !== 201).length,
    );
    // Injected faults never write.
    expect(sandbox.admin.records(faulted.id, "companies")).toHaveLength(
      statuses.filter((s) => s === 201).length,
    );
    return statuses;
  }

  it("injects the configured statuses at roughly the configured rate, repeatably per seed", async () => {
    const first = await runFaulted(11);
    const second = await runFaulted(11);
    expect(second).toEqual(first);
    const failures = first.filter((status) => status !== 201);
    expect(failures.length).toBeGreaterThanOrEqual(8);
    expect(failures.length).toBeLessThanOrEqual(30);
    expect(failures.every((status) => [429, 502, 503, 477].includes(status))).toBe(true);
  });

  it("stops injecting once faults are cleared", async () => {
    const faulted = sandbox.admin.createAccount({
      provider: "hubspot",
      faults: { errorRate: 1, statuses: [503] },
    });
    expect(
      (await hubspot("GET", "/crm/v3/objects/contacts", undefined, faulted.accessToken)).status,
    ).toBe(503);
    sandbox.admin.setFaults(faulted.id, null);
    expect(
      (await hubspot("GET", "/crm/v3/objects/contacts", undefined, faulted.accessToken)).status,
    ).toBe(200);
  });
});
