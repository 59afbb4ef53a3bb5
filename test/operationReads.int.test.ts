// Reading an operation at each point of its life: queued (no worker has taken it), with a worker,
// waiting to retry, and finished. The first is answered from the queue alone; each must still
// say where the write is, and only to the project that made it.
import { findOperation } from "@writ/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hubspotContactsManifest, installContacts } from "./fixtures/hubspotContacts";
import { createProject, startStack, type TestProject, type TestStack } from "./stack";
import { waitForValue } from "./waiting";

let stack: TestStack;
let project: TestProject;
let other: TestProject;
let account: { id: string; accessToken: string };

beforeAll(async () => {
  // No worker at first: writes stay queued until a test starts one.
  stack = await startStack({ workers: 0 });
  project = await createProject(stack, "reads");
  other = await createProject(stack, "reads-other");
  const deployed = await project.request("PUT", "/v1/projects/{p}/integrations:batch", {
    sourceYaml: hubspotContactsManifest,
  });
  expect(deployed.status).toBe(200);
  account = stack.sandbox.admin.createAccount({ provider: "hubspot" });
  await installContacts(project, "acme", { apiKey: account.accessToken });
});
afterAll(() => stack.close());

function write(email: string) {
  return project.request("POST", "/v1/projects/{p}/integrations/crm/objects/contacts", {
    groupRef: "acme",
    type: "create",
    mode: "asynchronous",
    record: { email },
  });
}

describe("reading an operation", () => {
  it("answers a queued write from its job, to its own project only", async () => {
    const accepted = await write("queued@example.com");
    expect(accepted.status).toBe(202);
    const id = accepted.body.operationId as string;

    const read = await project.request("GET", `/v1/projects/{p}/operations/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id,
      projectId: project.projectId,
      status: "in_progress",
      result: "queued",
      groupRef: "acme",
      objectName: "contacts",
      recordCount: 1,
      metadata: { retry: { attempts: 0 } },
      records: [{ index: 0, status: "pending" }],
    });
    expect(await findOperation(stack.api.deps.db, project.projectId, id)).toBeNull();

    const foreign = await other.request("GET", `/v1/projects/${other.projectId}/operations/${id}`);
    expect(foreign.status).toBe(404);
  });

  it("shows the recorded attempt of a write waiting to retry, then its outcome", async () => {
    // The provider answers 503 until the first attempt is recorded; the retry then succeeds.
    stack.sandbox.admin.setFaults(account.id, { errorRate: 1, statuses: [503] });
    const accepted = await write("retried@example.com");
    const id = accepted.body.operationId as string;
    const worker = await stack.startWorker();
    try {
      const retrying = await waitForValue("the first attempt to be recorded", async () => {
        const read = await project.request("GET", `/v1/projects/{p}/operations/${id}`);
        return read.body.attempts?.length > 0 ? read.body : undefined;
      });
      stack.sandbox.admin.setFaults(account.id, null);
      expect(retrying.status).toBe("in_progress");
      expect(retrying.attempts[0]).toMatchObject({ status: 503, disposition: "retry" });

      const done = await waitForValue("the write to succeed", async () => {
        const read = await project.request("GET", `/v1/projects/{p}/operations/${id}`);
        return read.body.status === "success" ? read.body : undefined;
      });
      expect(done.records[0]).toMatchObject({ status: "success", recordId: expect.any(String) });
      expect(done.attempts.length).toBeGreaterThanOrEqual(1);
    } finally {
      await worker.close();
    }
  });

  it("says a write is with a worker while its provider call is in flight", async () => {
    // Every call to the provider takes a second, so the job stays active long enough to read.
    stack.sandbox.admin.setFaults(account.id, { latencyMs: 1000 });
    const worker = await stack.startWorker();
    try {
      const accepted = await write("slow@example.com");
      const id = accepted.body.operationId as string;
      const writing = await waitForValue("the worker to take the write", async () => {
        const read = await project.request("GET", `/v1/projects/{p}/operations/${id}`);
        return read.body.result === "writing" ? read.body : undefined;
      });
      expect(writing).toMatchObject({ status: "in_progress", records: [{ status: "pending" }] });
      expect(await findOperation(stack.api.deps.db, project.projectId, id)).toBeNull();
      const done = await waitForValue("the write to succeed", async () => {
        const read = await project.request("GET", `/v1/projects/{p}/operations/${id}`);
        return read.body.status === "success" ? read.body : undefined;
      });
      expect(done.result).toBe("record written");
    } finally {
      stack.sandbox.admin.setFaults(account.id, null);
      await worker.close();
    }
  });
});
