import type { WriteJob } from "@writ/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hubspotContactsManifest, installContacts } from "./fixtures/hubspotContacts";
import { createProject, startStack, type TestProject, type TestStack } from "./stack";
import { inBatches, waitFor } from "./waiting";

/**
 * Provider limits at scale: the budget holds across worker processes, single writes coalesce
 * into batch calls when they wait behind a limit, and one customer's backlog does not hold up
 * another's writes.
 */

const manifest = hubspotContactsManifest;

let stack: TestStack;
let project: TestProject;

async function connectAndInstall(
  groupRef: string,
  limit: { requests: number; intervalMs: number },
) {
  const account = stack.sandbox.admin.createAccount({ provider: "hubspot", rateLimit: limit });
  const { connectionId, installation } = await installContacts(project, groupRef, {
    apiKey: account.accessToken,
    rateLimit: limit,
  });
  return { account, installation, connectionId };
}

/** Largest number of requests that started within any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

beforeAll(async () => {
  stack = await startStack({ workers: 0, workerEnv: { WRIT_WORKER_CONCURRENCY: "250" } });
  project = await createProject(stack, "limits");
  expect(
    (await project.request("PUT", "/v1/projects/{p}/integrations:batch", { sourceYaml: manifest }))
      .status,
  ).toBe(200);
}, 60_000);
afterAll(() => stack.close());

describe("rate limits across worker processes", () => {
  it("three worker processes stay within 100 requests per 10 s, and the provider sends no 429", async () => {
    const { account } = await connectAndInstall("budget", { requests: 100, intervalMs: 10_000 });
    const processes = await Promise.all([0, 1, 2].map(() => stack.spawnWorkerProcess()));
    try {
      // Explicit one-record batches: each is its own provider call, nothing to coalesce.
      const count = 130;
      const accepted: string[] = [];
      await inBatches(
        Array.from({ length: count }, (_, i) => i),
        20,
        async (i) => {
          const response = await project.request(
            "POST",
            "/v1/projects/{p}/integrations/crm/objects/contacts",
            {
              groupRef: "budget",
              type: "create",
              mode: "asynchronous",
              batch: [{ record: { email: `budget-${i}@example.com` } }],
            },
          );
          expect(response.status).toBe(202);
          accepted.push(response.body.operationId);
        },
      );
      await waitFor(
        () => stack.sandbox.admin.records(account.id, "contacts").length === count,
        60_000,
        "all records",
      );
      const calls = stack.sandbox.admin
        .requests(account.id)
        .filter((entry) => entry.method === "POST");
      expect(calls.filter((entry) => entry.status === 429)).toEqual([]);
      expect(
        busiestWindow(
          calls.map((entry) => entry.at),
          10_000,
        ),
      ).toBeLessThanOrEqual(100);
      const emails = stack.sandbox.admin
        .records(account.id, "contacts")
        .map((r) => r.properties.email);
      expect(new Set(emails).size).toBe(count);
    } finally {
      await Promise.all(processes.map((worker) => worker.stop()));
    }
  }, 120_000);
});

describe("coalescing and fairness", () => {
  it("delivers 10,000 single writes at 10 requests/s as batch calls, each record once with its own recordId", async () => {
    const { account } = await connectAndInstall("bulk", { requests: 10, intervalMs: 1_000 });
    const worker = await stack.startWorker();
    try {
      const count = 10_000;
      const operationIds: string[] = [];
      const started = Date.now();
      await inBatches(
        Array.from({ length: count }, (_, i) => i),
        50,
        async (i) => {
          const response = await project.request(
            "POST",
            "/v1/projects/{p}/integrations/crm/objects/contacts",
            {
              groupRef: "bulk",
              type: "create",
              mode: "asynchronous",
              record: { email: `bulk-${i}@example.com` },
            },
          );
          expect(response.status).toBe(202);
          operationIds.push(response.body.operationId);
        },
      );
      await waitFor(
        () => stack.sandbox.admin.records(account.id, "contacts").length === count,
        120_000,
        "10,000 records",
      );
      const elapsedS = (Date.now() - started) / 1000;
      const calls = stack.sandbox.admin
        .requests(account.id)
        .filter((entry) => entry.method === "POST" && entry.status < 300);
      const deliverySeconds = ((calls.at(-1)?.at ?? 0) - (calls[0]?.at ?? 0)) / 1000;
      console.log(
        `coalescing: ${count} records accepted and written in ${elapsedS.toFixed(1)} s; at the provider ${calls.length} calls over ${deliverySeconds.toFixed(1)} s (${Math.round(count / Math.max(deliverySeconds, 0.001))} records/s)`,
      );
      // At 10 calls/s the only way to 500+ records/s is batches averaging 50+ records.
      expect(calls.length).toBeLessThanOrEqual(count / 50);
      const emails = stack.sandbox.admin
        .records(account.id, "contacts")
        .map((r) => r.properties.email);
      expect(new Set(emails).size).toBe(count);

      // Every operation has its own record id, and they are all different.
      await waitFor(
        async () =>
          (await stack.api.deps.db.operation.count({
            where: { id: { in: operationIds }, status: "success" },
          })) === count,
        60_000,
        "operations recorded",
      );
      const records = await stack.api.deps.db.operationRecord.findMany({
        where: { operationId: { in: operationIds } },
        select: { providerRecordId: true },
      });
      expect(records).toHaveLength(count);
      expect(new Set(records.map((r) => r.providerRecordId)).size).toBe(count);
    } finally {
      await worker.close();
      stack.workers.splice(stack.workers.indexOf(worker), 1);
    }
  }, 240_000);

  it("a write to connection B completes while connection A has 20,000 writes queued", async () => {
    const a = await connectAndInstall("backlog-a", { requests: 10, intervalMs: 1_000 });
    await connectAndInstall("backlog-b", { requests: 10, intervalMs: 1_000 });
    const integration = await project.request("GET", "/v1/projects/{p}/integrations/crm");
    const now = Date.now();
    const jobs: WriteJob[] = Array.from({ length: 20_000 }, (_, i) => ({
      operationId: `00000000-0000-7000-8000-${String(i).padStart(12, "0")}`,
      projectId: project.projectId,
      integrationId: integration.body.id,
      installationId: a.installation.id,
      configId: a.installation.config.id,
      connectionId: a.connectionId,
      provider: "hubspot",
      groupRef: "backlog-a",
      objectName: "contacts",
      type: "create",
      mode: "asynchronous",
      isBatch: false,
      allOrNone: false,
      records: [{ index: 0, record: { email: `backlog-${i}@example.com` } }],
      deadlineAt: now + 3_600_000,
      acceptedAt: now,
      request: { type: "create", mode: "asynchronous" },
    }));
    for (let i = 0; i < jobs.length; i += 2_000)
      await stack.api.deps.writes.enqueueMany(jobs.slice(i, i + 2_000));
    const worker = await stack.startWorker();
    try {
      await waitFor(
        () => stack.sandbox.admin.records(a.account.id, "contacts").length > 0,
        30_000,
        "A to start",
      );
      const response = await project.request(
        "POST",
        "/v1/projects/{p}/integrations/crm/objects/contacts",
        {
          groupRef: "backlog-b",
          type: "create",
          record: { email: "b@example.com" },
        },
      );
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body.result.success).toBe(true);
      // B did not wait for A's backlog: most of A is still queued.
      expect(stack.sandbox.admin.records(a.account.id, "contacts").length).toBeLessThan(15_000);
    } finally {
      await worker.close();
      stack.workers.splice(stack.workers.indexOf(worker), 1);
    }
  }, 180_000);
});
