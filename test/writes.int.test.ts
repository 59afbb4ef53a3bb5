import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature } from "@writ/secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject, startStack, type TestProject, type TestStack } from "./stack";

let stack: TestStack;
let project: TestProject;
let hubspotAccount: { id: string; accessToken: string };
let salesforceAccount: { id: string; accessToken: string };

const manifest = `specVersion: 1.0.0
integrations:
  - name: hubspot-crm
    provider: hubspot
    read:
      objects:
        - objectName: leads
          destination: myWebhook
          schedule: "0 * * * *"
    write:
      objects:
        - objectName: contacts
        - objectName: leads
          inheritMapping: true
        - objectName: companies
  - name: salesforce-crm
    provider: salesforce
    write:
      objects:
        - objectName: contact
        - objectName: touchpoints__c
`;

async function install(
  integration: string,
  groupRef: string,
  content: Record<string, unknown>,
  connection: Record<string, unknown>,
) {
  const created = await project.request("POST", "/v1/projects/{p}/connections:generate", {
    groupRef,
    consumerRef: `${groupRef}-user`,
    ...connection,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const installed = await project.request(
    "POST",
    `/v1/projects/{p}/integrations/${integration}/installations`,
    {
      groupRef,
      connectionId: created.body.id,
      config: { content },
    },
  );
  expect(installed.status, JSON.stringify(installed.body)).toBe(201);
  return installed.body;
}

const hubspotConnection = () => ({ provider: "hubspot", apiKey: hubspotAccount.accessToken });

function write(
  integration: string,
  objectName: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return project.request(
    "POST",
    `/v1/projects/{p}/integrations/${integration}/objects/${objectName}`,
    body,
    headers,
  );
}

function hubspotRecord(objectType: string, id: string) {
  const record = stack.sandbox.admin
    .records(hubspotAccount.id, objectType)
    .find((r) => r.id === id);
  if (!record) throw new Error(`no ${objectType} ${id} in the sandbox`);
  return record.properties;
}

async function pollOperation(
  operationId: string,
  until = (op: any) => op.status !== "in_progress",
  timeoutMs = 15_000,
) {
  const started = Date.now();
  for (;;) {
    const response = await project.request("GET", `/v1/projects/{p}/operations/${operationId}`);
    if (response.status === 200 && until(response.body)) return response.body;
    if (Date.now() - started > timeoutMs)
      throw new Error(`operation ${operationId} still ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function totalJobs(): Promise<number> {
  const counts = await stack.api.deps.writes.counts();
  return counts.waiting + counts.active + counts.delayed + counts.completed + counts.failed;
}

beforeAll(async () => {
  stack = await startStack();
  project = await createProject(stack, "writes");
  hubspotAccount = stack.sandbox.admin.createAccount({
    provider: "hubspot",
    rateLimit: { requests: 1000, intervalMs: 1000 },
  });
  salesforceAccount = stack.sandbox.admin.createAccount({ provider: "salesforce" });
  const deployed = await project.request("PUT", "/v1/projects/{p}/integrations:batch", {
    sourceYaml: manifest,
  });
  expect(deployed.status).toBe(200);

  await install(
    "hubspot-crm",
    "plain",
    { provider: "hubspot", write: { objects: { contacts: { objectName: "contacts" } } } },
    hubspotConnection(),
  );
  await install(
    "hubspot-crm",
    "overwrite",
    {
      provider: "hubspot",
      write: {
        objects: {
          contacts: {
            objectName: "contacts",
            deletionSettings: { enabled: true },
            selectedFieldSettings: {
              source: { writeOnUpdate: "never", writeOnCreate: "always" },
              phone: { writeOnUpdate: "ifEmpty" },
              hs_lead_status: { writeOnCreate: "never" },
            },
          },
        },
      },
    },
    hubspotConnection(),
  );
  await install(
    "hubspot-crm",
    "defaults",
    {
      provider: "hubspot",
      write: {
        objects: {
          contacts: {
            objectName: "contacts",
            selectedFieldSettings: {
              source: { default: { stringValue: "myApp" } },
              amount: { default: { integerValue: 0 } },
              automated: { default: { booleanValue: true } },
            },
          },
        },
      },
    },
    hubspotConnection(),
  );
  await install(
    "hubspot-crm",
    "combined",
    {
      provider: "hubspot",
      write: {
        objects: {
          leads: {
            objectName: "leads",
            inheritMapping: true,
            selectedFieldSettings: {
              customSource: {
                default: { stringValue: "myApp" },
                writeOnUpdate: "never",
                writeOnCreate: "always",
              },
            },
          },
        },
      },
      read: {
        objects: {
          leads: {
            objectName: "leads",
            destination: "myWebhook",
            selectedFieldMappings: { customSource: "my_custom_source", fullName: "name" },
          },
        },
      },
    },
    hubspotConnection(),
  );
  await install(
    "hubspot-crm",
    "unmapped",
    {
      provider: "hubspot",
      write: {
        objects: {
          leads: { objectName: "leads", inheritMapping: true, removeUnmappedFields: true },
        },
      },
      read: {
        objects: {
          leads: {
            objectName: "leads",
            destination: "myWebhook",
            selectedFieldMappings: { fullName: "name" },
          },
        },
      },
    },
    hubspotConnection(),
  );
  await install(
    "salesforce-crm",
    "sf",
    {
      provider: "salesforce",
      write: {
        objects: {
          contact: { objectName: "contact" },
          touchpoints__c: { objectName: "touchpoints__c" },
        },
      },
    },
    {
      provider: "salesforce",
      instanceUrl: `${stack.sandbox.url}/salesforce`,
      oauth2AuthorizationCode: { accessToken: { token: salesforceAccount.accessToken } },
    },
  );
});
afterAll(() => stack.close());

describe("the seed's examples", () => {
  it("creates a Salesforce contact and answers its recordId, then updates it by record.id", async () => {
    const created = await write("salesforce-crm", "contact", {
      groupRef: "sf",
      type: "create",
      record: { FirstName: "Harry", LastName: "Potter" },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      operationId: expect.any(String),
      result: { success: true, recordId: expect.stringMatching(/^003/) },
    });
    const recordId = created.body.result.recordId;
    const updated = await write("salesforce-crm", "contact", {
      groupRef: "sf",
      type: "update",
      record: { id: recordId, LastName: "Potter-Evans" },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.result).toMatchObject({ success: true, recordId });
    const stored = stack.sandbox.admin
      .records(salesforceAccount.id, "Contact")
      .find((r) => r.id === recordId);
    expect(stored?.properties).toMatchObject({ FirstName: "Harry", LastName: "Potter-Evans" });
  });

  it("writes Salesforce custom objects and forwards Salesforce headers", async () => {
    const created = await write("salesforce-crm", "touchpoints__c", {
      groupRef: "sf",
      type: "create",
      record: { Name: "Met at conference", Channel__c: "event" },
      headers: [{ key: "Sforce-Duplicate-Rule-Header", value: "allowSave=true" }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const last = stack.sandbox.admin.requests(salesforceAccount.id).at(-1);
    expect(JSON.stringify(last?.headers ?? {})).toContain("allowSave=true");
  });

  it("creates a HubSpot contact with associations", async () => {
    const company = stack.sandbox.admin.seedRecord(hubspotAccount.id, "companies", {
      name: "Hogwarts",
    });
    const created = await write("hubspot-crm", "contacts", {
      groupRef: "plain",
      type: "create",
      record: {
        firstname: "Harry",
        lastname: "Potter",
        email: "harry@hogwarts.com",
        phone: "123456789",
      },
      associations: [
        {
          to: { id: company },
          types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 279 }],
        },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const record = stack.sandbox.admin
      .records(hubspotAccount.id, "contacts")
      .find((r) => r.id === created.body.result.recordId);
    expect(record?.properties).toMatchObject({ firstname: "Harry", email: "harry@hogwarts.com" });
    expect(JSON.stringify(record?.associations)).toContain(company);
  });

  it("writes source on create and leaves it alone on update (writeOnCreate always, writeOnUpdate never)", async () => {
    const created = await write("hubspot-crm", "contacts", {
      groupRef: "overwrite",
      type: "create",
      record: { email: "ron@hogwarts.com", source: "app", hs_lead_status: "NEW" },
    });
    expect(created.status).toBe(200);
    const id = created.body.result.recordId;
    expect(hubspotRecord("contacts", id)).toMatchObject({ source: "app" });
    expect(hubspotRecord("contacts", id).hs_lead_status).toBeUndefined();
    const updated = await write("hubspot-crm", "contacts", {
      groupRef: "overwrite",
      type: "update",
      record: { id, source: "changed", lastname: "Weasley", hs_lead_status: "OPEN" },
    });
    expect(updated.status).toBe(200);
    expect(hubspotRecord("contacts", id)).toMatchObject({
      source: "app",
      lastname: "Weasley",
      hs_lead_status: "OPEN",
    });
  });

  it("applies ifEmpty only where the provider's value is empty", async () => {
    const withPhone = await write("hubspot-crm", "contacts", {
      groupRef: "overwrite",
      type: "create",
      record: { email: "ginny@hogwarts.com", phone: "111" },
    });
    const withoutPhone = await write("hubspot-crm", "contacts", {
      groupRef: "overwrite",
      type: "create",
      record: { email: "percy@hogwarts.com" },
    });
    for (const created of [withPhone, withoutPhone]) {
      await write("hubspot-crm", "contacts", {
        groupRef: "overwrite",
        type: "update",
        record: { id: created.body.result.recordId, phone: "999" },
      });
    }
    expect(hubspotRecord("contacts", withPhone.body.result.recordId).phone).toBe("111");
    expect(hubspotRecord("contacts", withoutPhone.body.result.recordId).phone).toBe("999");
  });

  it("applies defaults of all three types only when the field is absent", async () => {
    const absent = await write("hubspot-crm", "contacts", {
      groupRef: "defaults",
      type: "create",
      record: { email: "luna@hogwarts.com" },
    });
    expect(hubspotRecord("contacts", absent.body.result.recordId)).toMatchObject({
      source: "myApp",
      amount: "0",
      automated: "true",
    });
    const present = await write("hubspot-crm", "contacts", {
      groupRef: "defaults",
      type: "create",
      record: { email: "neville@hogwarts.com", source: "import", amount: 12, automated: false },
    });
    expect(hubspotRecord("contacts", present.body.result.recordId)).toMatchObject({
      source: "import",
      amount: "12",
      automated: "false",
    });
  });

  // HubSpot internal property names are lower case, so the seed's myCustomSource is my_custom_source here.
  it("maps customSource to my_custom_source, defaults it to myApp on create, never writes it on update", async () => {
    const created = await write("hubspot-crm", "leads", {
      groupRef: "combined",
      type: "create",
      record: { fullName: "Draco" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.result.recordId;
    expect(hubspotRecord("leads", id)).toMatchObject({ name: "Draco", my_custom_source: "myApp" });
    expect(hubspotRecord("leads", id).customSource).toBeUndefined();
    await write("hubspot-crm", "leads", {
      groupRef: "combined",
      type: "update",
      record: { id, customSource: "other", fullName: "Draco M." },
    });
    expect(hubspotRecord("leads", id)).toMatchObject({
      name: "Draco M.",
      my_custom_source: "myApp",
    });
  });

  it("drops unmapped fields when the installation asks for it", async () => {
    const created = await write("hubspot-crm", "leads", {
      groupRef: "unmapped",
      type: "create",
      record: { fullName: "Cho", favourite_colour: "blue" },
    });
    expect(created.status).toBe(200);
    const stored = hubspotRecord("leads", created.body.result.recordId);
    expect(stored.name).toBe("Cho");
    expect(stored.favourite_colour).toBeUndefined();
    // Without removal the same field passes through.
    const passthrough = await write("hubspot-crm", "contacts", {
      groupRef: "plain",
      type: "create",
      record: { email: "cedric@hogwarts.com", favourite_colour: "yellow" },
    });
    expect(hubspotRecord("contacts", passthrough.body.result.recordId).favourite_colour).toBe(
      "yellow",
    );
  });

  it("deletes where deletion is enabled and refuses where it is not", async () => {
    const created = await write("hubspot-crm", "contacts", {
      groupRef: "overwrite",
      type: "create",
      record: { email: "fred@hogwarts.com" },
    });
    const id = created.body.result.recordId;
    const deleted = await write("hubspot-crm", "contacts", {
      groupRef: "overwrite",
      type: "delete",
      record: { id },
    });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(
      stack.sandbox.admin.records(hubspotAccount.id, "contacts").some((r) => r.id === id),
    ).toBe(false);
    const before = await totalJobs();
    const refused = await write("hubspot-crm", "contacts", {
      groupRef: "plain",
      type: "delete",
      record: { id: "123" },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain("deletion is not enabled");
    expect(await totalJobs()).toBe(before);
  });
});

describe("sync and async answers", () => {
  it("answers a provider refusal as 422 with the provider's own message", async () => {
    const refused = await write("hubspot-crm", "contacts", {
      groupRef: "plain",
      type: "create",
      record: { email: "not-an-email" },
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toContain("application/json");
    expect(refused.body).toEqual({
      operationId: expect.any(String),
      errors: [{ message: expect.stringContaining("not-an-email") }],
      result: { success: false },
    });
    const sfRefused = await write("salesforce-crm", "contact", {
      groupRef: "sf",
      type: "create",
      record: { FirstName: "NoLastName" },
    });
    expect(sfRefused.status).toBe(422);
    expect(sfRefused.body.errors[0].message).toContain("Required fields are missing: [LastName]");
    const operation = await pollOperation(sfRefused.body.operationId);
    expect(operation).toMatchObject({ status: "failure", records: [{ status: "failure" }] });
  });

  it("answers a batch with per-record results", async () => {
    const response = await write("hubspot-crm", "contacts", {
      groupRef: "plain",
      type: "create",
      batch: [
        { record: { email: "a1@x.com" } },
        { record: { email: "broken" } },
        { record: { email: "a3@x.com" } },
      ],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ successCount: 2, failureCount: 1 });
    expect(response.body.results.map((r: { success: boolean }) => r.success)).toEqual([
      true,
      false,
      true,
    ]);
    const operation = await pollOperation(response.body.operationId);
    expect(operation.records.map((r: { recordId?: string }) => Boolean(r.recordId))).toEqual([
      true,
      false,
      true,
    ]);
    expect(operation.metadata.successfulRecordIds).toHaveLength(2);
  });

  it("accepts asynchronous writes with 202 and Location, and polling reaches success with the provider id", async () => {
    const accepted = await write("hubspot-crm", "contacts", {
      groupRef: "plain",
      type: "create",
      mode: "asynchronous",
      record: { email: "async@x.com" },
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ operationId: expect.any(String) });
    const location = accepted.headers.get("location");
    expect(location).toContain(`/operations/${accepted.body.operationId}`);
    const polled = await fetch(location!, { headers: { "X-Api-Key": project.apiKey } });
    expect(polled.status).toBe(200);
    const operation = await pollOperation(accepted.body.operationId);
    expect(operation).toMatchObject({
      status: "success",
      actionType: "write",
      objectName: "contacts",
      groupRef: "plain",
    });
    expect(operation.metadata.successfulRecordIds).toHaveLength(1);
    expect(hubspotRecord("contacts", operation.metadata.successfulRecordIds[0])).toMatchObject({
      email: "async@x.com",
    });
    const listed = await project.request(
      "GET",
      "/v1/projects/{p}/operations?groupRef=plain&status=success&limit=1",
    );
    expect(listed.body.operations).toHaveLength(1);
    expect(listed.body.pagination.done).toBe(false);
    const next = await project.request(
      "GET",
      `/v1/projects/{p}/operations?groupRef=plain&status=success&limit=1&cursor=${listed.body.pagination.nextPageToken}`,
    );
    expect(next.body.operations).toHaveLength(1);
    expect(next.body.operations[0].id).not.toBe(listed.body.operations[0].id);
    expect(next.body.operations[0].createTime <= listed.body.operations[0].createTime).toBe(true);
  });

  it("sends a signed write.async.done webhook for asynchronous writes", async () => {
    const received: Array<{ body: string; signature: string }> = [];
    const server: Server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        received.push({ body, signature: String(req.headers["writ-signature"]) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const configured = await project.request("PATCH", "/v1/projects/{p}", { webhookUrl: url });
      expect(configured.status).toBe(200);
      const secret: string = configured.body.webhookSecret;
      expect(secret).toBeTruthy();
      const accepted = await write("hubspot-crm", "contacts", {
        groupRef: "plain",
        type: "create",
        mode: "asynchronous",
        record: { email: "hook@x.com" },
      });
      const started = Date.now();
      while (received.length === 0 && Date.now() - started < 10_000)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(received).toHaveLength(1);
      const delivery = received[0]!;
      const payload = JSON.parse(delivery.body);
      expect(payload).toMatchObject({
        notificationType: "write.async.done",
        data: {
          operationId: accepted.body.operationId,
          objectName: "contacts",
          success: true,
          groupRef: "plain",
          integrationName: "hubspot-crm",
          provider: "hubspot",
        },
      });
      const [, timestamp, signature] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(delivery.signature) ?? [];
      expect(verifyWebhookSignature(secret, Number(timestamp), delivery.body, signature!)).toBe(
        true,
      );
      expect(
        verifyWebhookSignature(secret, Number(timestamp), `${delivery.body} `, signature!),
      ).toBe(false);
    } finally {
      await project.request("PATCH", "/v1/projects/{p}", { webhookUrl: null });
      server.close();
    }
  });

  it("answers a dry run with the plan and payload and writes nothing", async () => {
    const before = stack.sandbox.admin.records(hubspotAccount.id, "leads").length;
    const jobs = await totalJobs();
    const response = await write("hubspot-crm", "leads", {
      groupRef: "combined",
      type: "create",
      dryRun: true,
      record: { fullName: "Viktor" },
    });
    expect(response.status).toBe(200);
    expect(response.body.records[0].payload).toEqual({ name: "Viktor", my_custom_source: "myApp" });
    expect(response.body.records[0].fields.map((f: { action: string }) => f.action).sort()).toEqual(
      ["defaulted", "renamed"].sort(),
    );
    expect(stack.sandbox.admin.records(hubspotAccount.id, "leads").length).toBe(before);
    expect(await totalJobs()).toBe(jobs);
  });
});

describe("Idempotency-Key", () => {
  it("replays the original operation for the same key and body, refuses a changed body", async () => {
    const body = { groupRef: "plain", type: "create", record: { email: "idem@x.com" } };
    const first = await write("hubspot-crm", "contacts", body, { "Idempotency-Key": "key-1" });
    expect(first.status).toBe(200);
    const again = await write("hubspot-crm", "contacts", body, { "Idempotency-Key": "key-1" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const changed = await write(
      "hubspot-crm",
      "contacts",
      { ...body, record: { email: "other@x.com" } },
      { "Idempotency-Key": "key-1" },
    );
    expect(changed.status).toBe(422);
    expect(changed.headers.get("content-type")).toContain("application/problem+json");
    expect(
      stack.sandbox.admin
        .records(hubspotAccount.id, "contacts")
        .filter((r) => r.properties.email === "idem@x.com"),
    ).toHaveLength(1);
    // Another project may use the same key for its own request.
    const other = await createProject(stack, "writes-other");
    expect((await other.request("GET", "/v1/projects/{p}/operations")).status).toBe(200);
  });

  it("answers 409 while the first request with the key is still being accepted", async () => {
    const body = { groupRef: "plain", type: "create", record: { email: "inflight@x.com" } };
    const { requestFingerprint } = await import("../apps/api/src/idempotencyFingerprint");
    // Another API process has claimed the key and not yet enqueued the job.
    await stack.api.deps.idempotency.begin(
      project.projectId,
      "key-inflight",
      requestFingerprint(
        "POST",
        `/v1/projects/${project.projectId}/integrations/hubspot-crm/objects/contacts`,
        body,
      ),
      "00000000-0000-7000-8000-000000000001",
      "synchronous",
    );
    const response = await write("hubspot-crm", "contacts", body, {
      "Idempotency-Key": "key-inflight",
    });
    expect(response.status).toBe(409);
    expect(response.body.retryable).toBe(true);
  });

  it("writes exactly one record for 20 concurrent identical requests", async () => {
    const body = {
      groupRef: "plain",
      type: "create",
      mode: "asynchronous",
      record: { email: "twenty@x.com" },
    };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        write("hubspot-crm", "contacts", body, { "Idempotency-Key": "key-20" }),
      ),
    );
    const accepted = responses.filter((r) => r.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(responses.every((r) => r.status === 202 || r.status === 409)).toBe(true);
    expect(new Set(accepted.map((r) => r.body.operationId)).size).toBe(1);
    await pollOperation(accepted[0]!.body.operationId);
    expect(
      stack.sandbox.admin
        .records(hubspotAccount.id, "contacts")
        .filter((r) => r.properties.email === "twenty@x.com"),
    ).toHaveLength(1);
  });
});

describe("bad input is refused before anything is enqueued", () => {
  const cases: Array<[string, string, string, unknown, number, string?]> = [
    [
      "schema violations",
      "hubspot-crm",
      "contacts",
      { groupRef: "plain", type: "upsert", mode: "later", batch: [] },
      400,
      "type",
    ],
    [
      "unknown integration",
      "no-such-integration",
      "contacts",
      { groupRef: "plain", type: "create", record: {} },
      404,
    ],
    [
      "object not in the revision",
      "hubspot-crm",
      "deals",
      { groupRef: "plain", type: "create", record: {} },
      404,
    ],
    [
      "no installation for the group",
      "hubspot-crm",
      "contacts",
      { groupRef: "nobody", type: "create", record: {} },
      404,
    ],
    [
      "update without record.id",
      "hubspot-crm",
      "contacts",
      { groupRef: "plain", type: "update", record: { email: "x@y.z" } },
      400,
      "record.id",
    ],
    [
      "delete without record.id",
      "hubspot-crm",
      "contacts",
      { groupRef: "overwrite", type: "delete", record: {} },
      400,
      "record.id",
    ],
    [
      "batch over 100 records",
      "hubspot-crm",
      "contacts",
      {
        groupRef: "plain",
        type: "create",
        batch: Array.from({ length: 101 }, () => ({ record: {} })),
      },
      400,
      "batch",
    ],
    [
      "record and batch together",
      "hubspot-crm",
      "contacts",
      { groupRef: "plain", type: "create", record: {}, batch: [{ record: {} }] },
      400,
      "batch",
    ],
    [
      "deadline out of range",
      "hubspot-crm",
      "contacts",
      { groupRef: "plain", type: "create", record: {}, retryPolicy: { deadlineHours: 49 } },
      400,
      "retryPolicy.deadlineHours",
    ],
    [
      "headers for HubSpot",
      "hubspot-crm",
      "contacts",
      { groupRef: "plain", type: "create", record: {}, headers: [{ key: "a", value: "b" }] },
      400,
      "headers",
    ],
    [
      "associations for Salesforce",
      "salesforce-crm",
      "contact",
      { groupRef: "sf", type: "create", record: {}, associations: [{}] },
      400,
      "associations",
    ],
  ];

  it.each(cases)("%s", async (_name, integration, objectName, body, status, issueName) => {
    const before = await totalJobs();
    const response = await write(integration, objectName, body);
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    if (issueName) {
      expect(
        response.body.issues.map(
          (issue: { name: string; in: string }) => `${issue.in}:${issue.name}`,
        ),
      ).toContain(`body:${issueName}`);
    }
    expect(await totalJobs()).toBe(before);
  });

  it("malformed JSON and oversized bodies", async () => {
    const before = await totalJobs();
    const url = `${stack.apiUrl}/v1/projects/${project.projectId}/integrations/hubspot-crm/objects/contacts`;
    const malformed = await fetch(url, {
      method: "POST",
      headers: { "X-Api-Key": project.apiKey, "Content-Type": "application/json" },
      body: '{"groupRef": "plain",',
    });
    expect(malformed.status).toBe(400);
    const big = await fetch(url, {
      method: "POST",
      headers: { "X-Api-Key": project.apiKey, "Content-Type": "application/json" },
      body: JSON.stringify({
        groupRef: "plain",
        type: "create",
        record: { notes: "x".repeat(1_100_000) },
      }),
    });
    expect(big.status).toBe(413);
    expect(await totalJobs()).toBe(before);
  });

  it("lists every schema issue with where it is", async () => {
    const response = await write("hubspot-crm", "contacts", {
      type: "upsert",
      mode: "later",
      batch: [{ noRecord: true }],
    });
    expect(response.status).toBe(400);
    const names = response.body.issues.map((issue: { name: string }) => issue.name);
    expect(names).toEqual(expect.arrayContaining(["groupRef", "type", "mode", "batch[0].record"]));
  });
});
