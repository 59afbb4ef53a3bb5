import { InMemorySpanExporter, type ReadableSpan, spanKindOf } from "@writ/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject, startStack, type TestProject, type TestStack } from "./stack";
import { waitForValue as waitFor } from "./waiting";

/**
 * One trace per write: the API's HTTP span, the producer span, the worker's consumer span and
 * its children (config load, pipeline, rate-limit wait, provider call, database save) share
 * one trace id, which the operation endpoint reports.
 */

let stack: TestStack;
let project: TestProject;
const exporter = new InMemorySpanExporter();
const secrets: string[] = [];

const manifest = `specVersion: 1.0.0
integrations:
  - name: hubspot-crm
    provider: hubspot
    write:
      objects:
        - objectName: contacts
`;
const writePath = "/v1/projects/{p}/integrations/hubspot-crm/objects/contacts";
const writeRoute = "/v1/projects/:projectIdOrName/integrations/:integrationId/objects/:objectName";

async function connectAndInstall(
  groupRef: string,
  limit: { requests: number; intervalMs: number },
) {
  const account = stack.sandbox.admin.createAccount({ provider: "hubspot", rateLimit: limit });
  secrets.push(account.accessToken);
  const connection = await project.request("POST", "/v1/projects/{p}/connections:generate", {
    groupRef,
    consumerRef: `${groupRef}-admin`,
    provider: "hubspot",
    apiKey: account.accessToken,
    rateLimit: limit,
  });
  expect(connection.status, JSON.stringify(connection.body)).toBe(201);
  const installed = await project.request(
    "POST",
    "/v1/projects/{p}/integrations/hubspot-crm/installations",
    {
      groupRef,
      connectionId: connection.body.id,
      config: {
        content: {
          provider: "hubspot",
          write: { objects: { contacts: { objectName: "contacts" } } },
        },
      },
    },
  );
  expect(installed.status, JSON.stringify(installed.body)).toBe(201);
  return account;
}

async function writeAsync(groupRef: string, record: Record<string, unknown>): Promise<string> {
  const response = await project.request("POST", writePath, {
    groupRef,
    type: "create",
    mode: "asynchronous",
    record,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.operationId;
}

async function finishedOperation(operationId: string) {
  return waitFor(`operation ${operationId}`, async () => {
    const response = await project.request("GET", `/v1/projects/{p}/operations/${operationId}`);
    return response.status === 200 && response.body.status !== "in_progress"
      ? response.body
      : undefined;
  });
}

/** The consumer span of an operation, once it has ended (after the operation is saved). */
function consumerSpanOf(operationId: string): Promise<ReadableSpan> {
  return waitFor(`consumer span of ${operationId}`, () =>
    exporter
      .getFinishedSpans()
      .find(
        (span) =>
          span.name === "process writes" && span.attributes["writ.operation_id"] === operationId,
      ),
  );
}

function spansOfTrace(traceId: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
}

function only(spans: ReadableSpan[], name: string): ReadableSpan {
  const matching = spans.filter((span) => span.name === name);
  expect(
    matching.map((span) => span.name),
    `spans: ${spans.map((s) => s.name)}`,
  ).toEqual([name]);
  return matching[0] as ReadableSpan;
}

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

beforeAll(async () => {
  stack = await startStack({ spanExporter: exporter });
  project = await createProject(stack, "tracing");
  secrets.push(project.apiKey);
  const deployed = await project.request("PUT", "/v1/projects/{p}/integrations:batch", {
    sourceYaml: manifest,
  });
  expect(deployed.status).toBe(200);
});

afterAll(async () => {
  await stack?.close();
});

describe("one trace per write", () => {
  it("follows an asynchronous write from the HTTP request to the provider call", async () => {
    await connectAndInstall("acme-corp", { requests: 1000, intervalMs: 1000 });
    const record = { email: "ada.lovelace@example.com", firstname: "Augusta" };
    const operationId = await writeAsync("acme-corp", record);
    const operation = await finishedOperation(operationId);
    expect(operation.status).toBe("success");

    const consumer = await consumerSpanOf(operationId);
    const traceId = consumer.spanContext().traceId;
    expect(operation.traceId).toBe(traceId);
    const server = await waitFor("the server span", () =>
      spansOfTrace(traceId).find((span) => span.name === `POST ${writeRoute}`),
    );

    const spans = spansOfTrace(traceId);
    const producer = only(spans, "send writes");
    const configLoad = only(spans, "config load");
    const pipeline = only(spans, "pipeline");
    const wait = only(spans, "rate limit wait");
    const providerCall = only(spans, "provider call");
    const dbSave = only(spans, "db save");

    expect(spanKindOf(server)).toBe("server");
    expect(spanKindOf(producer)).toBe("producer");
    expect(spanKindOf(consumer)).toBe("consumer");
    expect(spanKindOf(providerCall)).toBe("client");
    for (const span of [configLoad, pipeline, wait, dbSave]) {
      expect(spanKindOf(span), span.name).toBe("internal");
    }

    expect(parentOf(server)).toBeUndefined();
    expect(parentOf(producer)).toBe(server.spanContext().spanId);
    expect(parentOf(consumer)).toBe(producer.spanContext().spanId);
    for (const span of [configLoad, pipeline, wait, providerCall, dbSave]) {
      expect(parentOf(span), span.name).toBe(consumer.spanContext().spanId);
    }

    expect(server.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": writeRoute,
      "http.response.status_code": 202,
      "url.path": `/v1/projects/${project.projectId}/integrations/hubspot-crm/objects/contacts`,
    });
    const writAttributes = {
      "writ.operation_id": operationId,
      "writ.project": project.projectId,
      "writ.provider": "hubspot",
      "writ.object": "contacts",
      "writ.group_ref": "acme-corp",
    };
    expect(producer.attributes).toMatchObject({
      "messaging.system": "bullmq",
      "messaging.operation.type": "send",
      "messaging.destination.name": "writes",
      "messaging.message.id": operationId,
      ...writAttributes,
    });
    expect(consumer.attributes).toMatchObject({
      "messaging.system": "bullmq",
      "messaging.operation.type": "process",
      "messaging.destination.name": "writes",
      "messaging.message.id": operationId,
      "writ.attempt": 1,
      "writ.outcome": "success",
      ...writAttributes,
    });
    expect(pipeline.attributes["writ.record_count"]).toBe(1);
    expect(wait.attributes["writ.rate_limit.wait_ms"]).toEqual(expect.any(Number));
    const sandbox = new URL(stack.sandbox.url);
    expect(providerCall.attributes).toMatchObject({
      "http.request.method": "POST",
      "url.full": `${sandbox.origin}/hubspot/crm/v3/objects/contacts`,
      "server.address": sandbox.hostname,
      "http.response.status_code": 201,
      "writ.provider": "hubspot",
      "writ.retry": 0,
    });
    expect(providerCall.attributes).not.toHaveProperty("writ.provider.error_code");

    // The pieces happen in order: wait for the limiter, call the provider, save the outcome.
    const start = (span: ReadableSpan) => span.startTime[0] * 1e9 + span.startTime[1];
    expect(start(configLoad)).toBeLessThanOrEqual(start(pipeline));
    expect(start(wait)).toBeLessThanOrEqual(start(providerCall));
    expect(start(providerCall)).toBeLessThanOrEqual(start(dbSave));

    const everything = JSON.stringify(
      exporter.getFinishedSpans().map((span) => ({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        resource: span.resource.attributes,
      })),
    );
    for (const secret of [record.email, record.firstname, ...secrets]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("records the provider's error code when it refuses a record", async () => {
    const operationId = await writeAsync("acme-corp", { email: "not-an-email" });
    const operation = await finishedOperation(operationId);
    expect(operation.status).toBe("failure");
    const consumer = await consumerSpanOf(operationId);
    const providerCall = only(spansOfTrace(consumer.spanContext().traceId), "provider call");
    expect(providerCall.attributes).toMatchObject({
      "http.response.status_code": 400,
      "writ.provider.error_code": expect.any(String),
    });
    expect(providerCall.status.code).toBe(2);
    expect(JSON.stringify(providerCall.attributes)).not.toContain("not-an-email");
  });

  it("links a coalesced batch call to every job it carries", async () => {
    // One call per ~2 s: writes sent meanwhile pile up and leave together as one batch call.
    await connectAndInstall("slow-corp", { requests: 1, intervalMs: 2_000 });
    const operationIds = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        writeAsync("slow-corp", { email: `slow-${i}@example.com` }),
      ),
    );
    for (const operationId of operationIds) {
      expect((await finishedOperation(operationId)).status).toBe("success");
    }
    const consumers = await Promise.all(operationIds.map(consumerSpanOf));
    const consumerSpanIds = new Set(consumers.map((span) => span.spanContext().spanId));
    const batchCall = await waitFor("a batch provider call", () =>
      exporter
        .getFinishedSpans()
        .find(
          (span) =>
            span.name === "provider call" &&
            String(span.attributes["url.full"]).endsWith("/batch/create") &&
            consumerSpanIds.has(parentOf(span) ?? ""),
        ),
    );
    const linked = batchCall.links.map((link) => link.context.spanId);
    expect(linked.length).toBeGreaterThan(0);
    for (const spanId of linked) expect(consumerSpanIds.has(spanId)).toBe(true);
    expect(linked).not.toContain(parentOf(batchCall));
  });
});
