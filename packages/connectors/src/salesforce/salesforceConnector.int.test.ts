import { createServer } from "node:net";
import { startSandbox } from "@writ/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionContext } from "../connector";
import { ProviderError } from "../errors";
import { salesforceConnector as salesforce } from "./salesforceConnector";

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, autoCreateAccounts: false });
});

afterAll(async () => {
  await sandbox?.close();
});

const credentials = { clientId: "writ-client", clientSecret: "writ-secret" };

function newAccount() {
  const account = sandbox.admin.createAccount({ provider: "salesforce", ...credentials });
  const ctx: ConnectionContext = {
    provider: "salesforce",
    baseUrl: `${sandbox.url}/salesforce`,
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

describe("Salesforce connector against the sandbox", () => {
  it("creates, updates, reads and deletes a custom object, forwarding headers", async () => {
    const { account, ctx } = newAccount();
    const headers = [{ key: "Sforce-Duplicate-Rule-Header", value: "allowSave=true" }];

    const created = await salesforce.create(
      ctx,
      "touchpoints__c",
      { Name: "Webinar", Channel__c: "web" },
      { headers },
    );
    if (!created.ok) throw created.error;
    expect(created.limits?.dailyLimit).toBeGreaterThan(0);
    expect(created.limits?.dailyUsed).toBeGreaterThan(0);

    const createCall = sandbox.admin
      .requests(account.id)
      .find((entry) => entry.method === "POST" && entry.path.includes("touchpoints__c"));
    expect(createCall?.headers?.["sforce-duplicate-rule-header"]).toBe("allowSave=true");

    const updated = await salesforce.update(ctx, "touchpoints__c", created.recordId, {
      Channel__c: "email",
    });
    expect(updated).toMatchObject({ ok: true, recordId: created.recordId });

    const read = await salesforce.get(ctx, "touchpoints__c", created.recordId, [
      "Name",
      "Channel__c",
    ]);
    expect(read).toMatchObject({ Name: "Webinar", Channel__c: "email" });
    expect(read).not.toHaveProperty("attributes");

    const deleted = await salesforce.delete(ctx, "touchpoints__c", created.recordId);
    expect(deleted).toMatchObject({ ok: true, recordId: created.recordId });
    expect(await salesforce.get(ctx, "touchpoints__c", created.recordId, ["Name"])).toBeNull();
  });

  it("reports missing required fields, unknown fields and unknown ids per record", async () => {
    const { ctx } = newAccount();

    const missing = await salesforce.create(ctx, "contact", { FirstName: "Ada" });
    expect(missing).toMatchObject({
      ok: false,
      error: { disposition: "permanent", code: "REQUIRED_FIELD_MISSING", fields: ["LastName"] },
    });

    const bogus = await salesforce.create(ctx, "contact", { LastName: "L", Bogus__c: "x" });
    expect(bogus).toMatchObject({
      ok: false,
      error: { disposition: "permanent", code: "INVALID_FIELD" },
    });
    expect(!bogus.ok && bogus.error.providerMessage).toContain("Bogus__c");

    const notFound = await salesforce.update(ctx, "contact", "003000000000000AAA", {
      LastName: "L",
    });
    expect(notFound).toMatchObject({
      ok: false,
      error: { disposition: "permanent", status: 404 },
    });
  });

  it("batch-creates around one bad record when allOrNone is false", async () => {
    const { account, ctx } = newAccount();
    const result = await salesforce.writeBatch(
      ctx,
      "contact",
      "create",
      [
        { fields: { LastName: "One" } },
        { fields: { FirstName: "No last name" } },
        { fields: { LastName: "Three" } },
      ],
      { allOrNone: false },
    );
    expect(result.outcomes[0]?.ok).toBe(true);
    expect(result.outcomes[1]).toMatchObject({
      ok: false,
      error: { disposition: "permanent", code: "REQUIRED_FIELD_MISSING" },
    });
    expect(result.outcomes[2]?.ok).toBe(true);
    expect(result.limits?.dailyUsed).toBeGreaterThan(0);
    const names = sandbox.admin.records(account.id, "Contact").map((r) => r.properties.LastName);
    expect(names.sort()).toEqual(["One", "Three"]);
  });

  it("rolls every record back when allOrNone is true", async () => {
    const { account, ctx } = newAccount();
    const result = await salesforce.writeBatch(
      ctx,
      "contact",
      "create",
      [{ fields: { LastName: "One" } }, { fields: { FirstName: "No last name" } }],
      { allOrNone: true },
    );
    expect(result.outcomes.every((outcome) => !outcome.ok)).toBe(true);
    const [rolledBack, cause] = result.outcomes;
    expect(rolledBack).toMatchObject({
      ok: false,
      error: { disposition: "permanent", code: "ALL_OR_NONE_OPERATION_ROLLED_BACK" },
    });
    expect(!rolledBack?.ok && rolledBack?.error.providerMessage).toMatch(/rolled back/i);
    expect(!rolledBack?.ok && rolledBack?.error.message).toContain("REQUIRED_FIELD_MISSING");
    expect(cause).toMatchObject({ ok: false, error: { code: "REQUIRED_FIELD_MISSING" } });
    expect(sandbox.admin.records(account.id, "Contact")).toHaveLength(0);
  });

  it("batch-updates with ids in each record", async () => {
    const { account, ctx } = newAccount();
    const a = sandbox.admin.seedRecord(account.id, "Contact", { LastName: "A" });
    const b = sandbox.admin.seedRecord(account.id, "Contact", { LastName: "B" });
    const result = await salesforce.writeBatch(
      ctx,
      "contact",
      "update",
      [
        { recordId: a, fields: { Title: "CTO" } },
        { recordId: b, fields: { Title: "CEO" } },
      ],
      { allOrNone: false },
    );
    expect(result.outcomes).toMatchObject([
      { ok: true, recordId: a },
      { ok: true, recordId: b },
    ]);
    const titles = new Map(
      sandbox.admin.records(account.id, "Contact").map((r) => [r.id, r.properties.Title]),
    );
    expect(titles.get(a)).toBe("CTO");
    expect(titles.get(b)).toBe("CEO");
  });

  it("throws injected outages as retry", async () => {
    const { account, ctx } = newAccount();
    sandbox.admin.setFaults(account.id, { errorRate: 1, statuses: [503] });
    const error = await thrownBy(salesforce.create(ctx, "contact", { LastName: "L" }));
    expect(error.disposition).toBe("retry");
    expect(error.code).toBe("SERVER_UNAVAILABLE");
  });

  it("asks for a refresh on an expired session, and the refreshed token writes", async () => {
    const { account, ctx } = newAccount();
    sandbox.admin.expireAccessToken(account.id);
    const error = await thrownBy(salesforce.create(ctx, "contact", { LastName: "L" }));
    expect(error.disposition).toBe("refresh_credentials");
    expect(error.code).toBe("INVALID_SESSION_ID");

    const refreshed = await salesforce.refreshAccessToken(
      `${sandbox.url}/salesforce/services/oauth2/token`,
      { refreshToken: account.refreshToken, ...credentials },
    );
    expect(refreshed.accessToken).not.toBe(account.accessToken);

    const created = await salesforce.create(
      { ...ctx, accessToken: refreshed.accessToken },
      "contact",
      { LastName: "L" },
    );
    expect(created.ok).toBe(true);
  });

  it("reports invalid_grant as bad_credentials", async () => {
    newAccount();
    const error = await thrownBy(
      salesforce.refreshAccessToken(`${sandbox.url}/salesforce/services/oauth2/token`, {
        refreshToken: "revoked",
        ...credentials,
      }),
    );
    expect(error.disposition).toBe("bad_credentials");
    expect(error.code).toBe("invalid_grant");
  });

  it("classifies a refused connection as retry", async () => {
    const port = await closedPort();
    const error = await thrownBy(
      salesforce.create(
        { provider: "salesforce", baseUrl: `http://127.0.0.1:${port}`, accessToken: "t" },
        "contact",
        { LastName: "L" },
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
