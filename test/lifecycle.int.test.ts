import { parseApiEnv, startApi } from "@writ/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hubspotContactsManifest, installContacts } from "./fixtures/hubspotContacts";
import { call, createProject, startStack, type TestProject, type TestStack } from "./stack";
import { inBatches, waitFor } from "./waiting";

/**
 * Shutdown loses nothing: worker processes stopped in the middle of a run hand their work over,
 * an API instance being closed still answers the requests it took, and both report draining on
 * /readyz before they stop.
 */

const manifest = hubspotContactsManifest;
const writePath = "/v1/projects/{p}/integrations/crm/objects/contacts";
const generousLimit = { requests: 100_000, intervalMs: 10_000 };

let stack: TestStack;
let project: TestProject;

async function connectAndInstall(groupRef: string, latencyMs: number) {
  const account = stack.sandbox.admin.createAccount({
    provider: "hubspot",
    rateLimit: generousLimit,
    latencyMs,
  });
  await installContacts(project, groupRef, {
    apiKey: account.accessToken,
    rateLimit: generousLimit,
  });
  return account;
}

async function activeJobs(): Promise<number> {
  return (await stack.api.deps.writes.counts()).active;
}

/** Whether a fresh connection to `url` is refused (nothing listens there any more). */
async function connectionRefused(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/healthz`);
    return false;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED";
  }
}

/** A second API instance on the stack's database and queue, as another pod would be. */
function startSecondApi(env: Record<string, string>) {
  return startApi(parseApiEnv({ ...stack.workerEnv, PORT: "0", HOST: "127.0.0.1", ...env }));
}

beforeAll(async () => {
  stack = await startStack({ workers: 0 });
  project = await createProject(stack, "lifecycle");
  expect(
    (await project.request("PUT", "/v1/projects/{p}/integrations:batch", { sourceYaml: manifest }))
      .status,
  ).toBe(200);
}, 60_000);
afterAll(() => stack.close());

describe("worker processes stopped mid-run", () => {
  it("hands 5,000 accepted writes over to other workers: every one succeeds, once", async () => {
    const account = await connectAndInstall("handover", 20);
    const workerEnv = { WRIT_WORKER_CONCURRENCY: "50" };
    const [first, second] = await Promise.all([
      stack.spawnWorkerProcess(workerEnv),
      stack.spawnWorkerProcess(workerEnv),
    ]);
    const written = () => stack.sandbox.admin.records(account.id, "contacts").length;
    // SIGTERM the first worker a fifth of the way in, the second (and start a third) halfway.
    const handover = (async () => {
      await waitFor(() => written() >= 1_000, 60_000, "1,000 records");
      const activeAtFirstStop = await activeJobs();
      const firstExit = first.stop();
      await waitFor(() => written() >= 2_500, 60_000, "2,500 records");
      const activeAtSecondStop = await activeJobs();
      const secondExit = second.stop();
      const third = await stack.spawnWorkerProcess(workerEnv);
      return {
        exits: await Promise.all([firstExit, secondExit]),
        third,
        activeAtStops: [activeAtFirstStop, activeAtSecondStop],
      };
    })();

    const count = 5_000;
    const operationIds: string[] = [];
    await inBatches(
      Array.from({ length: count }, (_, i) => i),
      50,
      async (i) => {
        const response = await project.request("POST", writePath, {
          groupRef: "handover",
          type: "create",
          mode: "asynchronous",
          record: { email: `handover-${i}@example.com` },
        });
        expect(response.status).toBe(202);
        operationIds.push(response.body.operationId);
      },
    );
    const { exits, third, activeAtStops } = await handover;
    try {
      // Each stop was graceful: the process finished its active jobs and exited cleanly.
      expect(exits).toEqual([0, 0]);
      const finished = () =>
        stack.api.deps.db.operation.count({
          where: { id: { in: operationIds }, status: { in: ["success", "failure"] } },
        });
      await waitFor(async () => (await finished()) === count, 90_000, "every operation");
      expect(
        await stack.api.deps.db.operation.count({
          where: { id: { in: operationIds }, status: "success" },
        }),
      ).toBe(count);

      const emails = stack.sandbox.admin
        .records(account.id, "contacts")
        .map((record) => String(record.properties.email));
      const seen = new Set<string>();
      const duplicates = emails.filter((email) => seen.has(email) || !seen.add(email));
      console.log(
        `handover: ${count} writes, jobs active at the two SIGTERMs: ${activeAtStops.join(" and ")}, ` +
          `${duplicates.length} duplicated records`,
      );
      expect(seen.size).toBe(count);
      expect(duplicates).toEqual([]);
      expect((await stack.api.deps.writes.counts()).failed).toBe(0);
    } finally {
      await third.stop();
    }
  }, 180_000);
});

describe("API drain", () => {
  beforeAll(async () => {
    // Each provider call takes 3 s, so a synchronous write is still waiting when close() starts.
    await connectAndInstall("drain", 3_000);
    await stack.startWorker();
  });
  afterAll(async () => {
    for (const worker of stack.workers.splice(0)) await worker.close();
  });

  it("fails /readyz, refuses new connections and still answers the synchronous write in flight", async () => {
    const other = await startSecondApi({ WRIT_SHUTDOWN_DELAY_MS: "1000" });
    const write = call(other.url, "POST", writePath.replace("{p}", project.projectId), {
      body: { groupRef: "drain", type: "create", record: { email: "drain@example.com" } },
      headers: { "X-Api-Key": project.apiKey },
    });
    await waitFor(async () => (await activeJobs()) === 1, 10_000, "the write to reach a worker");

    let closed = false;
    const closing = other.close().then(() => {
      closed = true;
    });
    const ready = await call(other.url, "GET", "/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body.checks.lifecycle).toBe("draining");

    // After the pre-stop delay nothing new gets in, while the write is still being answered.
    await waitFor(() => connectionRefused(other.url), 10_000, "new connections to be refused");
    expect(closed).toBe(false);

    const answer = await write;
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.result.success).toBe(true);
    await closing;
    expect(await connectionRefused(other.url)).toBe(true);
  }, 30_000);

  it("answers 202 with the operationId when the drain deadline cuts a synchronous wait short", async () => {
    const other = await startSecondApi({ WRIT_SHUTDOWN_TIMEOUT_MS: "200" });
    const write = call(other.url, "POST", writePath.replace("{p}", project.projectId), {
      body: { groupRef: "drain", type: "create", record: { email: "cut-short@example.com" } },
      headers: { "X-Api-Key": project.apiKey },
    });
    await waitFor(async () => (await activeJobs()) === 1, 10_000, "the write to reach a worker");
    await other.close();

    const answer = await write;
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const operationId: string = answer.body.operationId;
    expect(operationId).toBeTruthy();
    // The write itself goes on and can be followed through any other instance.
    await waitFor(
      async () =>
        (await project.request("GET", `/v1/projects/{p}/operations/${operationId}`)).body
          ?.status === "success",
      15_000,
      "the cut-short write to finish",
    );
  }, 30_000);
});

describe("worker drain", () => {
  it("fails /readyz while it finishes its active job, then exits", async () => {
    const account = await connectAndInstall("worker-drain", 3_000);
    const worker = await stack.spawnWorkerProcess();
    const healthUrl = worker.healthUrl;
    expect(healthUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    if (!healthUrl) return;
    expect((await call(healthUrl, "GET", "/readyz")).status).toBe(200);

    const accepted = await project.request("POST", writePath, {
      groupRef: "worker-drain",
      type: "create",
      mode: "asynchronous",
      record: { email: "worker-drain@example.com" },
    });
    expect(accepted.status).toBe(202);
    await waitFor(async () => (await activeJobs()) === 1, 10_000, "the job to start");

    const exited = worker.stop();
    let readiness = await call(healthUrl, "GET", "/readyz");
    await waitFor(
      async () => {
        readiness = await call(healthUrl, "GET", "/readyz");
        return readiness.status === 503;
      },
      10_000,
      "/readyz to report draining",
    );
    expect(readiness.body).toMatchObject({ status: "not_ready", draining: true });

    expect(await exited).toBe(0);
    // It finished the job it had before exiting.
    expect(stack.sandbox.admin.records(account.id, "contacts")).toHaveLength(1);
    const operation = await project.request(
      "GET",
      `/v1/projects/{p}/operations/${accepted.body.operationId}`,
    );
    expect(operation.body.status).toBe("success");
  }, 60_000);
});
