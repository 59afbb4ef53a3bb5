import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hubspotLeadManifest,
  seedCombinedInstallation,
  seedDefaultsInstallation,
  seedInheritMappingManifest,
  seedOverwriteInstallation,
  seedSalesforceManifest,
} from "./fixtures/seeds";
import { call, createProject, startStack, type TestProject, type TestStack } from "./stack";

let stack: TestStack;
let acme: TestProject;

beforeAll(async () => {
  stack = await startStack();
  acme = await createProject(stack, "acme");
});
afterAll(() => stack.close());

const admin = () => ({ Authorization: `Bearer ${stack.adminToken}` });

async function deployLeads(project: TestProject) {
  const deployed = await project.request("PUT", "/v1/projects/{p}/integrations:batch", {
    sourceYaml: hubspotLeadManifest,
  });
  expect(deployed.status).toBe(200);
  return deployed.body[0] as { id: string; latestRevision: { id: string } };
}

async function hubspotConnection(
  project: TestProject,
  groupRef = "customer-group-ref",
  token = "pat-na1-secret-token-123",
) {
  const created = await project.request("POST", "/v1/projects/{p}/connections:generate", {
    groupRef,
    consumerRef: "consumer-1",
    provider: "hubspot",
    apiKey: token,
  });
  expect(created.status).toBe(201);
  return created.body as { id: string };
}

describe("projects and API keys", () => {
  it("creates a project with the admin token and refuses without it", async () => {
    const created = await call(stack.apiUrl, "POST", "/v1/projects", {
      body: { name: "Globex", appName: "Globex App" },
      headers: admin(),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "globex", appName: "Globex App" });
    const duplicate = await call(stack.apiUrl, "POST", "/v1/projects", {
      body: { name: "globex" },
      headers: admin(),
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get("content-type")).toContain("application/problem+json");
    const anonymous = await call(stack.apiUrl, "POST", "/v1/projects", {
      body: { name: "nobody" },
    });
    expect(anonymous.status).toBe(401);
    const wrongToken = await call(stack.apiUrl, "POST", "/v1/projects", {
      body: { name: "nobody" },
      headers: { Authorization: "Bearer not-the-admin-token" },
    });
    expect(wrongToken.status).toBe(401);
  });

  it("shows a key once, lists only its prefix, and stops accepting it once revoked", async () => {
    const created = await acme.request("POST", "/v1/projects/{p}/api-keys", { label: "ci" });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^writ_/);
    const listed = await acme.request("GET", "/v1/projects/{p}/api-keys");
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body.map((k: { label: string }) => k.label)).toEqual(["tests", "ci"]);

    const withKey = () =>
      call(stack.apiUrl, "GET", `/v1/projects/${acme.projectId}`, {
        headers: { "X-Api-Key": key },
      });
    expect((await withKey()).status).toBe(200);
    const revoked = await acme.request("DELETE", `/v1/projects/{p}/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(204);
    expect((await withKey()).status).toBe(401);
  });

  it("a revoked key stops working on another API process too", async () => {
    const { startApi, parseApiEnv } = await import("@writ/api");
    const created = await acme.request("POST", "/v1/projects/{p}/api-keys", {
      label: "second-process",
    });
    const key: string = created.body.key;
    const other = await startApi(
      parseApiEnv({
        NODE_ENV: "test",
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_URL: stack.database.url,
        REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
        WRIT_QUEUE_PREFIX: stack.prefix,
        WRIT_ENCRYPTION_KEY: "a".repeat(64),
        LOG_LEVEL: "silent",
      }),
    );
    try {
      const viaOther = () =>
        call(other.url, "GET", `/v1/projects/${acme.projectId}`, { headers: { "X-Api-Key": key } });
      expect((await viaOther()).status).toBe(200); // now cached in the other process
      await acme.request("DELETE", `/v1/projects/{p}/api-keys/${created.body.id}`);
      const started = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - started < 3000) {
        status = (await viaOther()).status;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it("lists projects: all for the admin, only its own for a key", async () => {
    const asAdmin = await call(stack.apiUrl, "GET", "/v1/projects", { headers: admin() });
    expect(asAdmin.body.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["acme", "globex"]),
    );
    const asKey = await acme.request("GET", "/v1/projects");
    expect(asKey.body.map((p: { name: string }) => p.name)).toEqual(["acme"]);
    const byName = await acme.request("GET", "/v1/projects/ACME");
    expect(byName.status).toBe(200);
    expect(byName.body.id).toBe(acme.projectId);
  });
});

describe("manifest deploy", () => {
  it("deploys both seed manifests, each deploy a new revision", async () => {
    const first = await acme.request("PUT", "/v1/projects/{p}/integrations:batch", {
      sourceYaml: seedSalesforceManifest,
    });
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(1);
    expect(first.body[0]).toMatchObject({ name: "write-to-salesforce", provider: "salesforce" });
    expect(
      first.body[0].latestRevision.content.write.objects.map(
        (o: { objectName: string }) => o.objectName,
      ),
    ).toEqual(["account", "contact", "touchpoints__c"]);
    const second = await acme.request("PUT", "/v1/projects/{p}/integrations:batch", {
      sourceYaml: seedInheritMappingManifest,
    });
    expect(second.status).toBe(200);
    expect(second.body[0].id).toBe(first.body[0].id);
    expect(second.body[0].latestRevision.id).not.toBe(first.body[0].latestRevision.id);
    expect(second.body[0].latestRevision.content.write.objects).toEqual([
      { objectName: "account", inheritMapping: true },
    ]);

    const byName = await acme.request("GET", "/v1/projects/{p}/integrations/write-to-salesforce");
    expect(byName.status).toBe(200);
    const byId = await acme.request("GET", `/v1/projects/{p}/integrations/${first.body[0].id}`);
    expect(byId.body.latestRevision.id).toBe(second.body[0].latestRevision.id);
  });

  const badManifests: Array<[string, string, RegExp, [number, number]]> = [
    [
      "wrong spec version",
      "specVersion: 2.0.0\nintegrations:\n  - name: a\n    provider: hubspot\n    proxy:\n      enabled: true\n",
      /1\.0\.0/,
      [1, 14],
    ],
    [
      "unknown provider",
      "specVersion: 1.0.0\nintegrations:\n  - name: a\n    provider: hubspotty\n    proxy:\n      enabled: true\n",
      /provider/i,
      [4, 15],
    ],
    [
      "no actions",
      "specVersion: 1.0.0\nintegrations:\n  - name: a\n    provider: hubspot\n",
      /read|write/,
      [3, 5],
    ],
    [
      "empty write objects",
      "specVersion: 1.0.0\nintegrations:\n  - name: a\n    provider: hubspot\n    write:\n      objects: []\n",
      /empty/i,
      [6, 16],
    ],
    [
      "duplicate write object",
      "specVersion: 1.0.0\nintegrations:\n  - name: a\n    provider: hubspot\n    write:\n      objects:\n        - objectName: contact\n        - objectName: contact\n",
      /contact/,
      [8, 23],
    ],
    [
      "read object without schedule",
      "specVersion: 1.0.0\nintegrations:\n  - name: a\n    provider: hubspot\n    read:\n      objects:\n        - objectName: contact\n          destination: hook\n",
      /schedule/,
      [7, 11],
    ],
    [
      "schedule too frequent",
      'specVersion: 1.0.0\nintegrations:\n  - name: a\n    provider: hubspot\n    read:\n      objects:\n        - objectName: contact\n          destination: hook\n          schedule: "*/5 * * * *"\n',
      /10 minutes/,
      [9, 21],
    ],
    ["not yaml", "specVersion: 1.0.0\nintegrations: [\n", /./, [3, 1]],
  ];

  it.each(badManifests)(
    "refuses a manifest with %s: 422, line:column, nothing stored",
    async (_name, yaml, message, [line, column]) => {
      const other = await createProject(stack, `bad-${Math.random().toString(36).slice(2, 8)}`);
      const response = await other.request("PUT", "/v1/projects/{p}/integrations:batch", {
        sourceYaml: yaml,
      });
      expect(response.status).toBe(422);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      const errors = response.body.issues.filter(
        (issue: { severity: string }) => issue.severity === "error",
      );
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.some((issue: { detail: string }) => message.test(issue.detail))).toBe(true);
      expect(errors[0]).toMatchObject({ in: "body", line, column });
      const listed = await other.request("GET", "/v1/projects/{p}/integrations");
      expect(listed.body).toEqual([]);
    },
  );

  it("reports every problem of a manifest at once", async () => {
    const yaml =
      "specVersion: 1.0.1\nintegrations:\n  - name: a\n    provider: nope\n    write:\n      objects:\n        - objectName: contact\n        - objectName: contact\n  - name: b\n    provider: salesforce\n";
    const response = await acme.request("PUT", "/v1/projects/{p}/integrations:batch", {
      sourceYaml: yaml,
    });
    expect(response.status).toBe(422);
    const errors = response.body.issues.filter(
      (issue: { severity: string }) => issue.severity === "error",
    );
    expect(errors.length).toBeGreaterThanOrEqual(4);
    expect(errors.map((issue: { line: number }) => issue.line)).toEqual(
      expect.arrayContaining([1, 4, 8, 9]),
    );
  });

  it("accepts unknown keys with a warning count", async () => {
    const response = await acme.request("PUT", "/v1/projects/{p}/integrations:batch", {
      sourceYaml:
        "specVersion: 1.0.0\nintegrations:\n  - name: warned\n    provider: hubspot\n    colour: blue\n    proxy:\n      enabled: true\n",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("writ-manifest-warnings")).toBe("1");
  });

  it("deletes an integration", async () => {
    const response = await acme.request("DELETE", "/v1/projects/{p}/integrations/warned");
    expect(response.status).toBe(204);
    expect((await acme.request("GET", "/v1/projects/{p}/integrations/warned")).status).toBe(404);
  });
});

describe("connections", () => {
  it("stores credentials encrypted and never returns them", async () => {
    const secretToken = "pat-na1-very-secret-access-token";
    const refresh = "very-secret-refresh-token";
    const apiConnection = await hubspotConnection(acme, "group-secret", secretToken);
    const oauth = await acme.request("POST", "/v1/projects/{p}/connections:generate", {
      groupRef: "group-oauth",
      consumerRef: "c-2",
      provider: "salesforce",
      instanceUrl: "https://acme.my.salesforce.com",
      oauth2AuthorizationCode: {
        accessToken: { token: "00Dxx-secret-session", expiresAt: "2030-01-01T00:00:00Z" },
        refreshToken: { token: refresh },
        clientId: "client-id",
        clientSecret: "client-secret-value",
      },
    });
    expect(oauth.status).toBe(201);
    expect(oauth.body).toMatchObject({
      provider: "salesforce",
      authScheme: "oauth2/authorizationCode",
      status: "working",
    });
    for (const path of [
      `/v1/projects/{p}/connections/${apiConnection.id}`,
      `/v1/projects/{p}/connections/${oauth.body.id}`,
      "/v1/projects/{p}/connections",
    ]) {
      const text = JSON.stringify((await acme.request("GET", path)).body);
      for (const secret of [secretToken, refresh, "00Dxx-secret-session", "client-secret-value"]) {
        expect(text).not.toContain(secret);
      }
    }
    const filtered = await acme.request("GET", "/v1/projects/{p}/connections?groupRef=group-oauth");
    expect(filtered.body.map((c: { id: string }) => c.id)).toEqual([oauth.body.id]);

    const rotated = await acme.request(
      "PATCH",
      `/v1/projects/{p}/connections/${apiConnection.id}`,
      {
        updateMask: ["apiKey"],
        connection: { apiKey: "pat-na1-rotated-secret" },
      },
    );
    expect(rotated.status).toBe(200);
    expect(JSON.stringify(rotated.body)).not.toContain("pat-na1-rotated-secret");

    // The raw rows: no plaintext secret anywhere in the database.
    const client = new pg.Client({ connectionString: stack.database.url });
    await client.connect();
    try {
      const tables = await client.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      const dump: string[] = [];
      for (const { table_name } of tables.rows) {
        const rows = await client.query(`SELECT * FROM "${table_name}"`);
        for (const row of rows.rows) {
          for (const value of Object.values(row)) {
            dump.push(Buffer.isBuffer(value) ? value.toString("latin1") : JSON.stringify(value));
          }
        }
      }
      const all = dump.join("\n");
      for (const secret of [
        secretToken,
        refresh,
        "00Dxx-secret-session",
        "client-secret-value",
        "pat-na1-rotated-secret",
        acme.apiKey,
      ]) {
        expect(all).not.toContain(secret);
      }
      expect(all).toContain(acme.apiKey.slice(0, 12)); // the prefix is what identifies a key
    } finally {
      await client.end();
    }
  });

  it("refuses bad connection bodies with every issue located", async () => {
    const response = await acme.request("POST", "/v1/projects/{p}/connections:generate", {
      groupRef: "",
      provider: "hubspot",
      apiKey: "x",
      oauth2AuthorizationCode: { accessToken: { token: "y" } },
    });
    expect(response.status).toBe(400);
    const names = response.body.issues.map((issue: { name: string }) => issue.name);
    expect(names).toEqual(expect.arrayContaining(["groupRef", "consumerRef", "apiKey"]));
    const unknownProvider = await acme.request("POST", "/v1/projects/{p}/connections:generate", {
      groupRef: "g",
      consumerRef: "c",
      provider: "zoho",
      apiKey: "x",
    });
    expect(unknownProvider.status).toBe(400);
    expect(unknownProvider.body.issues[0]).toMatchObject({ in: "body", name: "provider" });
  });
});

describe("installations", () => {
  it("accepts the seed's three Create Installation bodies and reads them back unchanged", async () => {
    const integration = await deployLeads(acme);
    const bodies = [seedOverwriteInstallation, seedDefaultsInstallation, seedCombinedInstallation];
    for (const [index, makeBody] of bodies.entries()) {
      const groupRef = `customer-group-ref-${index}`;
      const connection = await hubspotConnection(acme, groupRef);
      const body = { ...makeBody(connection.id, integration.latestRevision.id), groupRef };
      const created = await acme.request(
        "POST",
        `/v1/projects/{p}/integrations/${integration.id}/installations`,
        body,
      );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const read = await acme.request(
        "GET",
        `/v1/projects/{p}/integrations/hubspot-leads/installations/${created.body.id}`,
      );
      expect(read.status).toBe(200);
      expect(read.body.config.content).toEqual(body.config.content);
      expect(read.body).toMatchObject({
        group: { groupRef },
        config: { revisionId: integration.latestRevision.id },
      });
      expect(read.body.connection.id).toBe(connection.id);
    }
    const listed = await acme.request(
      "GET",
      `/v1/projects/{p}/integrations/${integration.id}/installations?groupRef=customer-group-ref-1`,
    );
    expect(listed.body).toHaveLength(1);
  });

  it("refuses a second installation for the same group", async () => {
    const integration = await deployLeads(acme);
    const connection = await hubspotConnection(acme, "dup-group");
    const body = {
      ...seedOverwriteInstallation(connection.id, integration.latestRevision.id),
      groupRef: "dup-group",
    };
    expect(
      (
        await acme.request(
          "POST",
          `/v1/projects/{p}/integrations/${integration.id}/installations`,
          body,
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await acme.request(
          "POST",
          `/v1/projects/{p}/integrations/${integration.id}/installations`,
          body,
        )
      ).status,
    ).toBe(409);
  });

  it("validates config content: defaults, overwrite values, objects of the revision", async () => {
    const integration = await deployLeads(acme);
    const connection = await hubspotConnection(acme, "invalid-group");
    const base = seedOverwriteInstallation(connection.id, integration.latestRevision.id);
    const path = `/v1/projects/{p}/integrations/${integration.id}/installations`;
    const withContent = (content: unknown) => ({
      ...base,
      groupRef: "invalid-group",
      config: { ...base.config, content },
    });

    const twoDefaults = await acme.request(
      "POST",
      path,
      withContent({
        provider: "hubspot",
        write: {
          objects: {
            lead: {
              objectName: "lead",
              selectedFieldSettings: { source: { default: { stringValue: "a", integerValue: 1 } } },
            },
          },
        },
      }),
    );
    expect(twoDefaults.status).toBe(400);
    expect(twoDefaults.body.issues[0].name).toBe(
      "config.content.write.objects.lead.selectedFieldSettings.source.default",
    );

    const badPolicy = await acme.request(
      "POST",
      path,
      withContent({
        provider: "hubspot",
        write: {
          objects: {
            lead: {
              objectName: "lead",
              selectedFieldSettings: {
                source: { writeOnCreate: "ifEmpty", writeOnUpdate: "sometimes" },
              },
            },
          },
        },
      }),
    );
    expect(badPolicy.status).toBe(400);
    expect(badPolicy.body.issues.map((i: { name: string }) => i.name)).toEqual([
      "config.content.write.objects.lead.selectedFieldSettings.source.writeOnCreate",
      "config.content.write.objects.lead.selectedFieldSettings.source.writeOnUpdate",
    ]);

    const notDeclared = await acme.request(
      "POST",
      path,
      withContent({
        provider: "hubspot",
        write: { objects: { deal: { objectName: "deal" } } },
      }),
    );
    expect(notDeclared.status).toBe(422);
    expect(notDeclared.body.issues[0]).toMatchObject({ name: "config.content.write.objects.deal" });
    expect(notDeclared.body.issues[0].detail).toContain("lead, contact, companies");

    const wrongProvider = await acme.request("POST", path, withContent({ provider: "salesforce" }));
    expect(wrongProvider.status).toBe(422);

    const noConnection = await acme.request("POST", path, {
      ...base,
      groupRef: "invalid-group",
      connectionId: "00000000-0000-4000-8000-000000000000",
    });
    expect(noConnection.status).toBe(422);
    expect(noConnection.body.issues[0].name).toBe("connectionId");

    const listed = await acme.request("GET", `${path}?groupRef=invalid-group`);
    expect(listed.body).toEqual([]);
  });

  it("patches only the paths in updateMask", async () => {
    const integration = await deployLeads(acme);
    const connection = await hubspotConnection(acme, "patch-group");
    const created = await acme.request(
      "POST",
      `/v1/projects/{p}/integrations/${integration.id}/installations`,
      {
        ...seedCombinedInstallation(connection.id, integration.latestRevision.id),
        groupRef: "patch-group",
      },
    );
    expect(created.status).toBe(201);
    const path = `/v1/projects/{p}/integrations/${integration.id}/installations/${created.body.id}`;
    const patched = await acme.request("PATCH", path, {
      updateMask: ["config.content.write.objects.contact"],
      installation: {
        config: {
          content: {
            write: {
              objects: { contact: { objectName: "contact", deletionSettings: { enabled: true } } },
            },
            read: {
              objects: { lead: { objectName: "lead", selectedFieldMappings: { ignored: "x" } } },
            },
          },
        },
      },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.config.content.write.objects.contact).toEqual({
      objectName: "contact",
      deletionSettings: { enabled: true },
    });
    expect(patched.body.config.content.write.objects.lead.inheritMapping).toBe(true);
    expect(patched.body.config.content.read.objects.lead.selectedFieldMappings).toEqual({
      customSource: "myCustomSource",
    });
    expect(patched.body.config.id).not.toBe(created.body.config.id);

    const missingValue = await acme.request("PATCH", path, {
      updateMask: ["config.content.write.objects.deal"],
      installation: {},
    });
    expect(missingValue.status).toBe(400);
    const badMask = await acme.request("PATCH", path, {
      updateMask: ["config.content.colour"],
      installation: {},
    });
    expect(badMask.status).toBe(400);
    expect(badMask.body.issues[0].name).toBe("updateMask[0]");

    expect((await acme.request("DELETE", path)).status).toBe(204);
    expect((await acme.request("GET", path)).status).toBe(404);
  });
});

describe("isolation between projects", () => {
  it("answers 404 for another project's resources on every endpoint", async () => {
    const integration = await deployLeads(acme);
    const connection = await hubspotConnection(acme, "isolated-group");
    const installation = await acme.request(
      "POST",
      `/v1/projects/{p}/integrations/${integration.id}/installations`,
      {
        ...seedOverwriteInstallation(connection.id, integration.latestRevision.id),
        groupRef: "isolated-group",
      },
    );
    const keys = await acme.request("GET", "/v1/projects/{p}/api-keys");
    const intruder = await createProject(stack, "intruder");
    const a = acme.projectId;
    const attempts: Array<[string, string, unknown?]> = [
      ["GET", `/v1/projects/${a}`],
      ["GET", "/v1/projects/acme"],
      ["PATCH", `/v1/projects/${a}`, { appName: "x" }],
      ["GET", `/v1/projects/${a}/api-keys`],
      ["POST", `/v1/projects/${a}/api-keys`, { label: "x" }],
      ["DELETE", `/v1/projects/${a}/api-keys/${keys.body[0].id}`],
      ["PUT", `/v1/projects/${a}/integrations:batch`, { sourceYaml: hubspotLeadManifest }],
      ["GET", `/v1/projects/${a}/integrations`],
      ["GET", `/v1/projects/${a}/integrations/${integration.id}`],
      ["DELETE", `/v1/projects/${a}/integrations/${integration.id}`],
      [
        "POST",
        `/v1/projects/${a}/connections:generate`,
        { groupRef: "g", consumerRef: "c", provider: "hubspot", apiKey: "k" },
      ],
      ["GET", `/v1/projects/${a}/connections`],
      ["GET", `/v1/projects/${a}/connections/${connection.id}`],
      [
        "PATCH",
        `/v1/projects/${a}/connections/${connection.id}`,
        { updateMask: ["apiKey"], connection: { apiKey: "k" } },
      ],
      ["DELETE", `/v1/projects/${a}/connections/${connection.id}`],
      ["GET", `/v1/projects/${a}/integrations/${integration.id}/installations`],
      [
        "GET",
        `/v1/projects/${a}/integrations/${integration.id}/installations/${installation.body.id}`,
      ],
      [
        "DELETE",
        `/v1/projects/${a}/integrations/${integration.id}/installations/${installation.body.id}`,
      ],
      [
        "POST",
        `/v1/projects/${a}/integrations/${integration.id}/objects/lead`,
        { groupRef: "isolated-group", type: "create", record: { a: 1 } },
      ],
      ["GET", `/v1/projects/${a}/operations`],
      ["GET", `/v1/projects/${a}/operations/00000000-0000-7000-8000-000000000000`],
    ];
    for (const [method, path, body] of attempts) {
      const response = await call(stack.apiUrl, method, path, {
        body,
        headers: { "X-Api-Key": intruder.apiKey },
      });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    // Their own ids through their own project path are just as unknown.
    const ownPath = await intruder.request("GET", `/v1/projects/{p}/connections/${connection.id}`);
    expect(ownPath.status).toBe(404);
    const ownIntegration = await intruder.request(
      "GET",
      `/v1/projects/{p}/integrations/${integration.id}`,
    );
    expect(ownIntegration.status).toBe(404);
    // And everything of acme's is still there.
    expect(
      (await acme.request("GET", `/v1/projects/{p}/connections/${connection.id}`)).status,
    ).toBe(200);
  });
});

describe("request hygiene", () => {
  it("answers malformed JSON, wrong content type and oversized bodies with problems", async () => {
    const malformed = await call(stack.apiUrl, "POST", `/v1/projects/${acme.projectId}/api-keys`, {
      rawBody: '{"label": ',
      headers: { "X-Api-Key": acme.apiKey },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe("urn:writ:problem:malformed-json");
    const wrongType = await call(stack.apiUrl, "POST", `/v1/projects/${acme.projectId}/api-keys`, {
      rawBody: "label=x",
      headers: { "X-Api-Key": acme.apiKey, "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(wrongType.status).toBe(415);
    const huge = await call(
      stack.apiUrl,
      "PUT",
      `/v1/projects/${acme.projectId}/integrations:batch`,
      {
        body: { sourceYaml: "x".repeat(2_000_000) },
        headers: { "X-Api-Key": acme.apiKey },
      },
    );
    expect(huge.status).toBe(413);
    const unknownRoute = await acme.request("GET", "/v1/nothing-here");
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body.detail).toContain("GET /v1/nothing-here");
  });

  it("reports health and readiness", async () => {
    expect((await call(stack.apiUrl, "GET", "/healthz")).status).toBe(200);
    const ready = await call(stack.apiUrl, "GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ postgres: "ok", redis: "ok" });
  });
});
