import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject, startStack, type TestProject, type TestStack } from "./stack";

/** Ampersand's autoBatchPolicy: single async writes wait in a group until 100 or maxDelayMinutes. */

const manifest = `specVersion: 1.0.0
integrations:
  - name: crm
    provider: hubspot
    write:
      objects:
        - objectName: contacts
`;

let stack: TestStack;
let project: TestProject;
let account: { id: string; accessToken: string };

async function allSucceeded(operationIds: string[], timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (
    (await stack.api.deps.db.operation.count({
      where: { id: { in: operationIds }, status: "success" },
    })) < operationIds.length
  ) {
    if (Date.now() - started > timeoutMs) throw new Error("operations did not finish");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function autoBatchedWrite(email: string) {
  return project.request("POST", "/v1/projects/{p}/integrations/crm/objects/contacts", {
    groupRef: "g",
    type: "create",
    mode: "asynchronous",
    autoBatchPolicy: { maxDelayMinutes: 5 },
    record: { email },
  });
}

beforeAll(async () => {
  // Enough worker slots to hold a whole group at once, so it coalesces into full batch calls.
  stack = await startStack({ workerEnv: { WRIT_WORKER_CONCURRENCY: "100" } });
  project = await createProject(stack, "autobatch");
  expect(
    (await project.request("PUT", "/v1/projects/{p}/integrations:batch", { sourceYaml: manifest }))
      .status,
  ).toBe(200);
  account = stack.sandbox.admin.createAccount({
    provider: "hubspot",
    rateLimit: { requests: 1000, intervalMs: 1000 },
  });
  const connection = await project.request("POST", "/v1/projects/{p}/connections:generate", {
    groupRef: "g",
    consumerRef: "c",
    provider: "hubspot",
    apiKey: account.accessToken,
  });
  await project.request("POST", "/v1/projects/{p}/integrations/crm/installations", {
    groupRef: "g",
    connectionId: connection.body.id,
    config: {
      content: {
        provider: "hubspot",
        write: { objects: { contacts: { objectName: "contacts" } } },
      },
    },
  });
});
afterAll(() => stack.close());

describe("autoBatchPolicy", () => {
  it("holds a group until its delay is due, then sends it together", async () => {
    const accepted = await Promise.all(["a@x.com", "b@x.com", "c@x.com"].map(autoBatchedWrite));
    expect(accepted.map((r) => r.status)).toEqual([202, 202, 202]);
    const ids = accepted.map((r) => r.body.operationId as string);

    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(stack.sandbox.admin.records(account.id, "contacts")).toHaveLength(0);
    const waiting = await project.request("GET", `/v1/projects/{p}/operations/${ids[0]}`);
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ status: "in_progress", objectName: "contacts" });
    expect(waiting.body.result).toContain("auto batch");

    // The group's flush is scheduled maxDelayMinutes after its first record; bring it forward.
    const flushes = await stack.api.deps.autoBatcher.queue.getDelayed();
    expect(flushes).toHaveLength(1);
    expect(flushes[0]!.opts.delay).toBe(5 * 60_000);
    await flushes[0]!.promote();

    await allSucceeded(ids);
    const calls = stack.sandbox.admin
      .requests(account.id)
      .filter((entry) => entry.method === "POST");
    // The group leaves together, as one batch call: the worker waits for all three.
    expect(calls.map((entry) => entry.records)).toEqual([3]);
    expect(calls[0]?.path).toContain("/batch/");
  });

  it("sends a group as soon as 100 records wait", async () => {
    const before = stack.sandbox.admin.requests(account.id).length;
    const accepted = await Promise.all(
      Array.from({ length: 100 }, (_, i) => autoBatchedWrite(`full-${i}@x.com`)),
    );
    expect(accepted.every((r) => r.status === 202)).toBe(true);
    await allSucceeded(accepted.map((r) => r.body.operationId as string));
    const calls = stack.sandbox.admin
      .requests(account.id)
      .slice(before)
      .filter((entry) => entry.method === "POST");
    // One provider batch call for the whole group.
    expect(calls.map((entry) => entry.records)).toEqual([100]);
  });

  it("sends the part of a group that arrived once the hold runs out", async () => {
    const before = stack.sandbox.admin.requests(account.id).length;
    const accepted = await Promise.all(["p1@x.com", "p2@x.com", "p3@x.com"].map(autoBatchedWrite));
    const ids = accepted.map((r) => r.body.operationId as string);
    // Take the group off its schedule and hand its three writes to the queue announced as a
    // group of five: two never reach this worker, as when the rest of a flush went to another.
    const [flush] = await stack.api.deps.autoBatcher.queue.getDelayed();
    await flush!.remove();
    const jobs = await Promise.all(
      ids.map(async (id) => (await stack.api.deps.autoBatcher.pending(id))!.job),
    );
    await stack.api.deps.writes.enqueueMany(
      jobs.map((job) => ({ ...job, coalesce: { group: "partly-here", size: 5 } })),
    );

    await allSucceeded(ids);
    const calls = stack.sandbox.admin
      .requests(account.id)
      .slice(before)
      .filter((entry) => entry.method === "POST");
    expect(calls.map((entry) => entry.records)).toEqual([3]);
  });
});
