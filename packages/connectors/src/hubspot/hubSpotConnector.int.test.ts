import { createServer } from "node:net";
import { startSandbox } from "@writ/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionContext } from "../connector";
import { ProviderError } from "../errors";
import { hubSpotConnector as hubspot } from "./hubSpotConnector";

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, autoCreateAccounts: false });
});

afterAll(async () => {
  await sandbox?.close();
});

const credentials = { clientId: "writ-client", clientSecret: "writ-secret" };

function newAccount(rateLimit = { requests: 100, intervalMs: 10_000 }) {
  const account = sandbox.admin.createAccount({ provider: "hubspot", rateLimit, ...credentials });
  const ctx: ConnectionContext = {
    provider: "hubspot",
    baseUrl: `${sandbox.url}/hubspot`,
    accessToken: account.accessToken,
  };
  return { account, ctx };
}

async function thrownBy(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("HubSpot connector against the sandbox", () => {
  it("creates with an association, updates, reads and deletes a contact", async () => {
    const { account, ctx } = newAccount();
    const companyId = sandbox.admin.seedRecord(account.id, "companies", { name: "Acme" });
    const associations = [
      {
        to: { id: companyId },
        types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 279 }],
      },
    ];

    const created = await hubspot.create(
      ctx,
      "contact",
      { email: "ada@example.com", firstname: "Ada", age: 36 },
      { associations },
    );
    if (!created.ok) throw created.error;
    expect(created.limits?.max).toBe(100);
    const stored = sandbox.admin.records(account.id, "contacts");
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).toBe(created.recordId);
    expect(stored[0]?.properties).toMatchObject({ email: "ada@example.com", age: "36" });
    expect(JSON.stringify(stored[0]?.associations)).toContain(companyId);

    const updated = await hubspot.update(ctx, "contact", created.recordId, {
      firstname: "Augusta",
    });
    expect(updated).toMatchObject({ ok: true, recordId: created.recordId });

    const read = await hubspot.get(ctx, "contact", created.recordId, ["firstname", "email"]);
    expect(read).toMatchObject({ firstname: "Augusta", email: "ada@example.com" });

    const deleted = await hubspot.delete(ctx, "contact", created.recordId);
    expect(deleted).toMatchObject({ ok: true, recordId: created.recordId });
    expect(await hubspot.get(ctx, "contact", created.recordId, ["email"])).toBeNull();
  });

  it("reports a duplicate email and an invalid email as permanent record outcomes", async () => {
    const { ctx } = newAccount();
    const first = await hubspot.create(ctx, "contacts", { email: "dup@example.com" });
    expect(first.ok).toBe(true);

    const duplicate = await hubspot.create(ctx, "contacts", { email: "dup@example.com" });
    expect(duplicate).toMatchObject({
      ok: false,
      error: { disposition: "permanent", status: 409, code: "CONFLICT" },
    });

    const invalid = await hubspot.create(ctx, "contacts", { email: "no-at-sign" });
    expect(invalid).toMatchObject({
      ok: false,
      error: { disposition: "permanent", status: 400, code: "VALIDATION_ERROR" },
    });
    expect(!invalid.ok && invalid.error.providerMessage).toMatch(/no-at-sign/);
  });

  it("batch-creates around one bad record, matched back by trace id", async () => {
    const { account, ctx } = newAccount();
    const result = await hubspot.writeBatch(
      ctx,
      "contact",
      "create",
      [
        { fields: { email: "one@example.com" } },
        { fields: { email: "broken" } },
        { fields: { email: "three@example.com" } },
      ],
      { allOrNone: false },
    );
    expect(result.outcomes).toHaveLength(3);
    expect(result.outcomes[0]?.ok).toBe(true);
    expect(result.outcomes[1]).toMatchObject({
      ok: false,
      error: { disposition: "permanent", code: "VALIDATION_ERROR" },
    });
    expect(result.outcomes[2]?.ok).toBe(true);
    expect(result.limits?.remaining).toBeTypeOf("number");

    const emailsById = new Map(
      sandbox.admin.records(account.id, "contacts").map((r) => [r.id, r.properties.email]),
    );
    expect(emailsById.size).toBe(2);
    const first = result.outcomes[0];
    const third = result.outcomes[2];
    expect(first?.ok && emailsById.get(first.recordId)).toBe("one@example.com");
    expect(third?.ok && emailsById.get(third.recordId)).toBe("three@example.com");
  });

  it("batch-updates, failing only the record that does not exist", async () => {
    const { account, ctx } = newAccount();
    const existing = sandbox.admin.seedRecord(account.id, "contacts", { email: "e@example.com" });
    const result = await hubspot.writeBatch(
      ctx,
      "contact",
      "update",
      [
        { recordId: "999999999", fields: { firstname: "Ghost" } },
        { recordId: existing, fields: { firstname: "Eve" } },
      ],
      { allOrNone: true },
    );
    expect(result.outcomes[0]).toMatchObject({
      ok: false,
      error: { disposition: "permanent", code: "OBJECT_NOT_FOUND" },
    });
    expect(result.outcomes[1]).toMatchObject({ ok: true, recordId: existing });
    expect(sandbox.admin.records(account.id, "contacts")[0]?.properties.firstname).toBe("Eve");
  });

  it("throws a 429 as rate_limited with the provider's wait", async () => {
    const { ctx } = newAccount({ requests: 2, intervalMs: 1_000 });
    await hubspot.create(ctx, "contact", { email: "r1@example.com" });
    await hubspot.create(ctx, "contact", { email: "r2@example.com" });
    const error = await thrownBy(hubspot.create(ctx, "contact", { email: "r3@example.com" }));
    expect(error.disposition).toBe("rate_limited");
    expect(error.status).toBe(429);
    expect(error.code).toBe("TEN_SECONDLY_ROLLING");
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(1_000);
    expect(error.limits).toMatchObject({ max: 2, remaining: 0, intervalMs: 1_000 });
  });

  it("throws injected outages as retry", async () => {
    const { account, ctx } = newAccount();
    sandbox.admin.setFaults(account.id, { errorRate: 1, statuses: [503] });
    const error = await thrownBy(hubspot.create(ctx, "contact", { email: "x@example.com" }));
    expect(error.disposition).toBe("retry");
    expect(error.status).toBe(503);

    sandbox.admin.setFaults(account.id, { errorRate: 1, statuses: [502] });
    const batchError = await thrownBy(
      hubspot.writeBatch(ctx, "contact", "create", [{ fields: { email: "y@example.com" } }], {
        allOrNone: false,
      }),
    );
    expect(batchError.disposition).toBe("retry");
    expect(sandbox.admin.records(account.id, "contacts")).toHaveLength(0);
  });

  it("asks for a refresh on an expired token, and the refreshed token writes", async () => {
    const { account, ctx } = newAccount();
    sandbox.admin.expireAccessToken(account.id);
    const error = await thrownBy(hubspot.create(ctx, "contact", { email: "late@example.com" }));
    expect(error.disposition).toBe("refresh_credentials");
    expect(error.code).toBe("EXPIRED_AUTHENTICATION");

    const refreshed = await hubspot.refreshAccessToken(`${sandbox.url}/hubspot/oauth/v1/token`, {
      refreshToken: account.refreshToken,
      ...credentials,
    });
    expect(refreshed.accessToken).not.toBe(account.accessToken);
    expect(refreshed.expiresAt?.getTime()).toBeGreaterThan(Date.now());

    const created = await hubspot.create(
      { ...ctx, accessToken: refreshed.accessToken },
      "contact",
      { email: "late@example.com" },
    );
    expect(created.ok).toBe(true);
  });

  it("reports a rejected refresh token as bad_credentials", async () => {
    newAccount();
    const error = await thrownBy(
      hubspot.refreshAccessToken(`${sandbox.url}/hubspot/oauth/v1/token`, {
        refreshToken: "not-a-real-refresh-token",
        ...credentials,
      }),
    );
    expect(error.disposition).toBe("bad_credentials");
    expect(error.code).toBe("BAD_REFRESH_TOKEN");
  });

  it("classifies a refused connection as retry", async () => {
    const port = await closedPort();
    const error = await thrownBy(
      hubspot.create(
        { provider: "hubspot", baseUrl: `http://127.0.0.1:${port}`, accessToken: "t" },
        "contact",
        { email: "z@example.com" },
      ),
    );
    expect(error.disposition).toBe("retry");
    expect(error.code).toBe("ECONNREFUSED");
  });
});

/** A port that was just free: bind to port 0, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
