import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installContacts } from "./fixtures/hubspotContacts";
import { type Sample, sampleValue, scrape } from "./prometheus";
import { createProject, startStack, type TestProject, type TestStack } from "./stack";
import { waitForValue as waitFor } from "./waiting";

let stack: TestStack;
let project: TestProject;
let account: { id: string; accessToken: string };
let webhookServer: Server;
let webhooksReceived = 0;
const operationIds: string[] = [];
let before: { api: Sample[]; worker: Sample[] };

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
const contactLabels = { provider: "hubspot", object: "contacts", type: "create" };

function workerMetricsUrl(): string {
  const healthUrl = stack.workers[0]?.healthUrl;
  if (!healthUrl) throw new Error("the worker has no health server");
  return `${healthUrl}/metrics`;
}

async function scrapeBoth() {
  return {
    api: await scrape(`${stack.apiUrl}/metrics`),
    worker: await scrape(workerMetricsUrl()),
  };
}

async function finishedOperation(operationId: string) {
  return waitFor(`operation ${operationId}`, async () => {
    const response = await project.request("GET", `/v1/projects/{p}/operations/${operationId}`);
    return response.status === 200 && response.body.status !== "in_progress"
      ? response.body
      : undefined;
  });
}

beforeAll(async () => {
  stack = await startStack({ workerEnv: { WRIT_WORKER_PORT: "0" } });
  project = await createProject(stack, "metrics");
  account = stack.sandbox.admin.createAccount({
    provider: "hubspot",
    rateLimit: { requests: 1000, intervalMs: 1000 },
  });
  const deployed = await project.request("PUT", "/v1/projects/{p}/integrations:batch", {
    sourceYaml: manifest,
  });
  expect(deployed.status).toBe(200);
  await installContacts(
    project,
    "acme-corp",
    { consumerRef: "acme-admin", apiKey: account.accessToken },
    "hubspot-crm",
  );

  webhookServer = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      webhooksReceived++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => webhookServer.listen(0, "127.0.0.1", resolve));
  before = await scrapeBoth();
});

afterAll(async () => {
  webhookServer?.close();
  await stack?.close();
});

describe("Prometheus metrics", () => {
  it("count a successful and a failed synchronous write", async () => {
    const ok = await project.request("POST", writePath, {
      groupRef: "acme-corp",
      type: "create",
      record: { email: "ada@example.com", firstname: "Ada" },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const refused = await project.request("POST", writePath, {
      groupRef: "acme-corp",
      type: "create",
      record: { email: "not-an-email" },
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    operationIds.push(ok.body.operationId, refused.body.operationId);
  });

  it("count a retried write and a delivered webhook", async () => {
    const hook = `http://127.0.0.1:${(webhookServer.address() as AddressInfo).port}/hook`;
    expect((await project.request("PATCH", "/v1/projects/{p}", { webhookUrl: hook })).status).toBe(
      200,
    );
    stack.sandbox.admin.setFaults(account.id, { errorRate: 1, statuses: [503] });
    const accepted = await project.request("POST", writePath, {
      groupRef: "acme-corp",
      type: "create",
      mode: "asynchronous",
      record: { email: "grace@example.com" },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const operationId: string = accepted.body.operationId;
    operationIds.push(operationId);
    // The first attempt fails on 503s and waits as a delayed retry; the provider then recovers.
    await waitFor("a delayed retry", async () => {
      const job = await stack.api.deps.writes.getJob(operationId);
      return job?.state === "delayed" ? job : undefined;
    });
    stack.sandbox.admin.setFaults(account.id, null);
    const operation = await finishedOperation(operationId);
    expect(operation.status).toBe("success");
    await waitFor("the webhook", async () => (webhooksReceived > 0 ? true : undefined));
  });

  it("moved by exactly what happened, with low-cardinality labels", async () => {
    // The worker counts on BullMQ's completed event, just after the operation is saved, and the
    // API and worker are scraped separately: wait until both have seen the third job finish.
    const after = await waitFor("the worker's counters", async () => {
      const scraped = await scrapeBoth();
      const finished =
        sampleValue(scraped.worker, "writ_writes_succeeded_total", contactLabels) +
        sampleValue(scraped.worker, "writ_writes_failed_total", contactLabels);
      const completed = sampleValue(scraped.api, "writ_queue_jobs", { state: "completed" });
      return finished >= 3 && completed >= 3 ? scraped : undefined;
    });
    const delta = (side: "api" | "worker", name: string, labels: Record<string, string> = {}) =>
      sampleValue(after[side], name, labels) - sampleValue(before[side], name, labels);

    expect(delta("api", "writ_writes_accepted_total", contactLabels)).toBe(3);
    expect(delta("worker", "writ_writes_succeeded_total", contactLabels)).toBe(2);
    expect(delta("worker", "writ_writes_failed_total", contactLabels)).toBe(1);
    expect(delta("worker", "writ_writes_retried_total", contactLabels)).toBe(1);
    expect(delta("worker", "writ_webhook_deliveries_total", { outcome: "delivered" })).toBe(1);
    expect(delta("worker", "writ_webhook_deliveries_total", { outcome: "failed" })).toBe(0);

    const duration = "writ_write_duration_seconds_count";
    expect(delta("worker", duration, { ...contactLabels, status: "success" })).toBe(2);
    expect(delta("worker", duration, { ...contactLabels, status: "failure" })).toBe(1);
    expect(
      sampleValue(after.worker, "writ_write_duration_seconds_bucket", {
        ...contactLabels,
        status: "success",
        le: "+Inf",
      }),
    ).toBe(2);

    const providerCalls = (status: string) =>
      delta("worker", "writ_provider_request_duration_seconds_count", {
        provider: "hubspot",
        status,
      });
    expect(providerCalls("201")).toBe(2);
    expect(providerCalls("400")).toBe(1);
    expect(providerCalls("503")).toBeGreaterThan(0);
    expect(delta("worker", "writ_provider_rate_limited_total", { provider: "hubspot" })).toBe(0);
    expect(
      delta("worker", "writ_rate_limit_wait_seconds_count", { provider: "hubspot" }),
    ).toBeGreaterThan(0);

    expect(sampleValue(after.api, "writ_queue_jobs", { state: "completed" })).toBe(3);
    expect(sampleValue(after.api, "writ_queue_jobs", { state: "waiting" })).toBe(0);
    expect(sampleValue(after.api, "writ_queue_jobs", { state: "delayed" })).toBe(0);

    const http = { method: "POST", route: writeRoute };
    expect(delta("api", "writ_http_requests_total", { ...http, status: "200" })).toBe(1);
    expect(delta("api", "writ_http_requests_total", { ...http, status: "422" })).toBe(1);
    expect(delta("api", "writ_http_requests_total", { ...http, status: "202" })).toBe(1);
    expect(
      delta("api", "writ_http_request_duration_seconds_count", { ...http, status: "200" }),
    ).toBe(1);

    // Default process metrics are on in both processes.
    expect(sampleValue(after.api, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(sampleValue(after.worker, "process_cpu_user_seconds_total")).toBeGreaterThan(0);

    const labelValues = [...after.api, ...after.worker].flatMap((sample) =>
      Object.values(sample.labels),
    );
    const routes = new Set(
      after.api.filter((s) => s.name === "writ_http_requests_total").map((s) => s.labels.route),
    );
    for (const route of routes) expect(route).not.toMatch(/\/(proj|op)_|[0-9a-f]{8}-[0-9a-f]{4}/);
    for (const forbidden of [...operationIds, project.projectId, "acme-corp", account.id]) {
      expect(labelValues.some((value) => value.includes(forbidden))).toBe(false);
    }
  });

  it("/metrics is unauthenticated and served as Prometheus text", async () => {
    const response = await fetch(`${stack.apiUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toContain("# TYPE writ_writes_accepted_total counter");
  });
});
