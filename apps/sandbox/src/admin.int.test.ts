import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestLogEntry } from "./requestLog";
import { type Sandbox, startSandbox } from "./server";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, autoCreateAccounts: false });
});
afterAll(async () => {
  await sandbox.close();
});

// Replies are JSON read only by assertions; typing every shape would add nothing.
type Json = any;

async function admin(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe("HTTP admin API", () => {
  it("answers /healthz", async () => {
    expect(await admin("GET", "/healthz")).toEqual({ status: 200, body: { status: "ok" } });
  });

  it("creates accounts, seeds and lists records, and mirrors the programmatic view", async () => {
    const created = await admin("POST", "/_sandbox/accounts", {
      provider: "hubspot",
      accessToken: "tok-admin",
      rateLimit: { requests: 50, intervalMs: 1000 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      provider: "hubspot",
      accessToken: "tok-admin",
      rateLimit: { requests: 50, intervalMs: 1000 },
      accessTokenTtlSeconds: 1800,
    });
    const id: string = created.body.id;
    expect((await admin("GET", `/_sandbox/accounts/${id}`)).body).toEqual(
      sandbox.admin.account(id),
    );
    expect((await admin("GET", "/_sandbox/accounts?accessToken=tok-admin")).body.id).toBe(id);
    expect(
      (await admin("POST", "/_sandbox/accounts", { provider: "hubspot", accessToken: "tok-admin" }))
        .status,
    ).toBe(409);

    const seeded = await admin("POST", `/_sandbox/accounts/${id}/records/contact`, {
      email: "seed@example.com",
    });
    expect(seeded.status).toBe(201);
    const viaHttp = await admin("GET", `/_sandbox/accounts/${id}/records/contacts`);
    expect(viaHttp.body).toEqual(sandbox.admin.records(id, "contacts"));
    expect(viaHttp.body[0]).toMatchObject({
      id: seeded.body.id,
      properties: { email: "seed@example.com" },
    });

    const duplicate = await fetch(`${sandbox.url}/hubspot/crm/v3/objects/contacts`, {
      method: "POST",
      headers: { authorization: "Bearer tok-admin", "content-type": "application/json" },
      body: JSON.stringify({ properties: { email: "seed@example.com" } }),
    });
    expect(duplicate.status).toBe(409);
  });

  it("serves the request log with ?since, and sets faults and expires tokens over HTTP", async () => {
    const { body: account } = await admin("POST", "/_sandbox/accounts", { provider: "salesforce" });
    const call = () =>
      fetch(`${sandbox.url}/salesforce/services/data/v60.0/sobjects/Account`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${account.accessToken}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ Name: "Acme" }),
      });
    await call();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = Date.now();
    await call();

    const all = (await admin("GET", `/_sandbox/accounts/${account.id}/requests`))
      .body as RequestLogEntry[];
    expect(all).toHaveLength(2);
    expect(all).toEqual(sandbox.admin.requests(account.id));
    const recent = (await admin("GET", `/_sandbox/accounts/${account.id}/requests?since=${since}`))
      .body as RequestLogEntry[];
    expect(recent).toHaveLength(1);
    expect(recent[0]).toMatchObject({
      method: "POST",
      path: "/services/data/v60.0/sobjects/Account",
      status: 201,
    });
    expect(
      (await admin("GET", `/_sandbox/accounts/${account.id}/requests?since=soon`)).status,
    ).toBe(400);

    const faults = await admin("PUT", `/_sandbox/accounts/${account.id}/faults`, {
      errorRate: 1,
      statuses: [503],
    });
    expect(faults.body.faults).toEqual({ errorRate: 1, statuses: [503] });
    expect((await call()).status).toBe(503);
    expect(
      (await admin("PUT", `/_sandbox/accounts/${account.id}/faults`, null)).body.faults,
    ).toBeNull();
    expect(
      (await admin("PUT", `/_sandbox/accounts/${account.id}/faults`, { errorRate: 2 })).status,
    ).toBe(400);
    expect((await call()).status).toBe(201);

    expect((await admin("POST", `/_sandbox/accounts/${account.id}/expire-token`)).status).toBe(200);
    expect((await call()).status).toBe(401);
    expect(sandbox.admin.records(account.id, "Account")).toHaveLength(3);
  });

  it("validates input, reports unknown accounts, and resets everything", async () => {
    const invalid = await admin("POST", "/_sandbox/accounts", { provider: "pipedrive" });
    expect(invalid.status).toBe(400);
    expect(invalid.body.issues[0].path).toBe("provider");
    expect((await admin("GET", "/_sandbox/accounts/nope")).status).toBe(404);
    expect((await admin("GET", "/_sandbox/accounts/nope/requests")).status).toBe(404);

    const { body: account } = await admin("POST", "/_sandbox/accounts", { provider: "hubspot" });
    const patched = await admin("PATCH", `/_sandbox/accounts/${account.id}`, {
      rateLimit: { requests: 1, intervalMs: 60_000 },
    });
    expect(patched.body.rateLimit).toEqual({ requests: 1, intervalMs: 60_000 });
    expect(
      (await admin("POST", `/_sandbox/accounts/${account.id}/records/widgets`, {})).status,
    ).toBe(400);

    expect((await admin("POST", "/_sandbox/reset")).status).toBe(204);
    expect((await admin("GET", `/_sandbox/accounts/${account.id}`)).status).toBe(404);
    expect(sandbox.admin.accountByToken(account.accessToken)).toBeUndefined();
  });
});

describe("request log capacity", () => {
  it("keeps only the newest entries once the cap is reached", async () => {
    const capped = await startSandbox({ port: 0, requestLogCap: 3 });
    try {
      for (let i = 0; i < 5; i++) {
        await fetch(`${capped.url}/hubspot/crm/v3/objects/contacts/${1000 + i}`, {
          headers: { authorization: "Bearer capped" },
        });
      }
      const account = capped.admin.accountByToken("capped");
      const paths = capped.admin.requests(account?.id ?? "").map((entry) => entry.path);
      expect(paths).toEqual([
        "/crm/v3/objects/contacts/1002",
        "/crm/v3/objects/contacts/1003",
        "/crm/v3/objects/contacts/1004",
      ]);
    } finally {
      await capped.close();
    }
  });
});
