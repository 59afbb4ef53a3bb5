import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hubspotContactsManifest, installContacts } from "./fixtures/hubspotContacts";
import { createProject, startStack, type TestProject, type TestStack } from "./stack";

/**
 * A bad day at the provider: injected 5xx/429/423, a token that expires mid-run, a provider that
 * stays down past the retry deadline. Every accepted write ends where it should, once.
 */

const manifest = hubspotContactsManifest;

async function setUp(stack: TestStack, name: string) {
  const project = await createProject(stack, name);
  expect(
    (await project.request("PUT", "/v1/projects/{p}/integrations:batch", { sourceYaml: manifest }))
      .status,
  ).toBe(200);
  return project;
}

async function install(
  project: TestProject,
  groupRef: string,
  account: { accessToken: string; refreshToken: string },
  oauthClient: { clientId: string; clientSecret: string },
) {
  const { connectionId } = await installContacts(project, groupRef, {
    rateLimit: { requests: 1000, intervalMs: 1000 },
    oauth2AuthorizationCode: {
      accessToken: { token: account.accessToken },
      refreshToken: { token: account.refreshToken },
      ...oauthClient,
    },
  });
  return connectionId;
}

async function waitForOperation(
  project: TestProject,
  operationId: string,
  timeoutMs = 30_000,
): Promise<any> {
  const started = Date.now();
  for (;;) {
    const response = await project.request("GET", `/v1/projects/{p}/operations/${operationId}`);
    if (response.status === 200 && response.body.status !== "in_progress") return response.body;
    if (Date.now() - started > timeoutMs)
      throw new Error(`operation ${operationId} still ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("faults and token expiry", () => {
  let stack: TestStack;
  let project: TestProject;
  beforeAll(async () => {
    stack = await startStack();
    project = await setUp(stack, "faults");
  });
  afterAll(() => stack.close());

  it("with 20 % injected 5xx/429/423 and a token expiring mid-run, every write succeeds, each record once", async () => {
    const oauthClient = { clientId: "writ-client", clientSecret: "writ-client-secret" };
    const account = stack.sandbox.admin.createAccount({
      provider: "hubspot",
      ...oauthClient,
      rateLimit: { requests: 1000, intervalMs: 1000 },
      faults: { errorRate: 0.2, statuses: [429, 502, 503, 423], seed: 7 },
    });
    await install(project, "flaky", account, oauthClient);
    const count = 300;
    const operationIds: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < count) {
          const i = next++;
          if (i === count / 2) stack.sandbox.admin.expireAccessToken(account.id);
          const response = await project.request(
            "POST",
            "/v1/projects/{p}/integrations/crm/objects/contacts",
            {
              groupRef: "flaky",
              type: "create",
              mode: "asynchronous",
              record: { email: `flaky-${i}@example.com` },
            },
          );
          expect(response.status).toBe(202);
          operationIds.push(response.body.operationId);
        }
      }),
    );
    const started = Date.now();
    for (;;) {
      const done = await stack.api.deps.db.operation.groupBy({
        by: ["status"],
        where: { id: { in: operationIds } },
        _count: true,
      });
      const byStatus = Object.fromEntries(done.map((row) => [row.status, row._count]));
      expect(byStatus.failure ?? 0).toBe(0);
      if ((byStatus.success ?? 0) === count) break;
      if (Date.now() - started > 90_000) throw new Error(`not done: ${JSON.stringify(byStatus)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const requests = stack.sandbox.admin.requests(account.id);
    expect(requests.some((entry) => entry.injected)).toBe(true);
    expect(requests.some((entry) => entry.status === 401)).toBe(true);
    const emails = stack.sandbox.admin
      .records(account.id, "contacts")
      .map((r) => r.properties.email);
    expect(emails).toHaveLength(count);
    expect(new Set(emails).size).toBe(count);
    const connection = (await project.request("GET", "/v1/projects/{p}/connections?groupRef=flaky"))
      .body[0];
    expect(connection.status).toBe("working");
  }, 150_000);

  it("a refused refresh marks the connection bad_credentials and fails its writes with a clear error", async () => {
    const oauthClient = { clientId: "writ-client-2", clientSecret: "secret-2" };
    const account = stack.sandbox.admin.createAccount({ provider: "hubspot", ...oauthClient });
    await install(
      project,
      "revoked",
      { accessToken: account.accessToken, refreshToken: "not-the-refresh-token" },
      oauthClient,
    );
    stack.sandbox.admin.expireAccessToken(account.id);
    const response = await project.request(
      "POST",
      "/v1/projects/{p}/integrations/crm/objects/contacts",
      {
        groupRef: "revoked",
        type: "create",
        record: { email: "revoked@example.com" },
      },
    );
    expect(response.status).toBe(422);
    expect(response.body.errors[0].message).toMatch(/refresh token/i);
    const connection = (
      await project.request("GET", "/v1/projects/{p}/connections?groupRef=revoked")
    ).body[0];
    expect(connection.status).toBe("bad_credentials");
    const again = await project.request(
      "POST",
      "/v1/projects/{p}/integrations/crm/objects/contacts",
      {
        groupRef: "revoked",
        type: "create",
        record: { email: "revoked-2@example.com" },
      },
    );
    expect(again.status).toBe(422);
    expect(again.body.errors[0].message).toContain("reconnect");
    expect(stack.sandbox.admin.records(account.id, "contacts")).toHaveLength(0);
  });

  it("a permanent provider error fails at once, without retries, with the provider's message", async () => {
    const oauthClient = { clientId: "writ-client-3", clientSecret: "secret-3" };
    const account = stack.sandbox.admin.createAccount({ provider: "hubspot", ...oauthClient });
    await install(project, "permanent", account, oauthClient);
    const accepted = await project.request(
      "POST",
      "/v1/projects/{p}/integrations/crm/objects/contacts",
      {
        groupRef: "permanent",
        type: "create",
        mode: "asynchronous",
        record: { email: "no-at-sign" },
      },
    );
    const operation = await waitForOperation(project, accepted.body.operationId);
    expect(operation.status).toBe("failure");
    expect(operation.metadata.retry.attempts).toBe(1);
    expect(operation.records[0].error).toContain("no-at-sign");
    expect(
      stack.sandbox.admin.requests(account.id).filter((entry) => entry.method === "POST"),
    ).toHaveLength(1);
  });
});

describe("retry deadline and replay", () => {
  let stack: TestStack;
  let project: TestProject;
  beforeAll(async () => {
    // Operators can cap retry windows; a short cap lets the deadline pass within the test.
    stack = await startStack({ workerEnv: { WRIT_MAX_RETRY_WINDOW_MS: "2500" } });
    project = await setUp(stack, "deadline");
  });
  afterAll(() => stack.close());

  it("ends failure with the last provider error past the deadline, and replay then succeeds", async () => {
    const oauthClient = { clientId: "writ-client-4", clientSecret: "secret-4" };
    const account = stack.sandbox.admin.createAccount({
      provider: "hubspot",
      ...oauthClient,
      faults: { errorRate: 1, statuses: [503] },
    });
    await install(project, "down", account, oauthClient);
    const accepted = await project.request(
      "POST",
      "/v1/projects/{p}/integrations/crm/objects/contacts",
      {
        groupRef: "down",
        type: "create",
        mode: "asynchronous",
        record: { email: "patient@example.com" },
      },
    );
    expect(accepted.status).toBe(202);
    const failed = await waitForOperation(project, accepted.body.operationId);
    expect(failed.status).toBe("failure");
    expect(failed.records[0].error).toMatch(/gave up at the retry deadline/);
    expect(failed.attempts.length).toBeGreaterThanOrEqual(1);
    expect(failed.attempts[0]).toMatchObject({ status: 503, disposition: "retry" });
    expect(stack.sandbox.admin.records(account.id, "contacts")).toHaveLength(0);

    stack.sandbox.admin.setFaults(account.id, null);
    const replay = await project.request(
      "POST",
      `/v1/projects/{p}/operations/${accepted.body.operationId}:replay`,
    );
    expect(replay.status).toBe(202);
    expect(replay.body.replayOf).toBe(accepted.body.operationId);
    const replayed = await waitForOperation(project, replay.body.operationId);
    expect(replayed.status).toBe("success");
    expect(
      stack.sandbox.admin.records(account.id, "contacts").map((r) => r.properties.email),
    ).toEqual(["patient@example.com"]);

    const twice = await project.request(
      "POST",
      `/v1/projects/{p}/operations/${replay.body.operationId}:replay`,
    );
    expect(twice.status).toBe(409);
  }, 60_000);
});
