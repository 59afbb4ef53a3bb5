import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject, startStack, type TestProject, type TestStack } from "./stack";

/**
 * Redis restarts (a failover, a deploy) must not lose accepted writes or leave a rate limiter
 * stuck. This file runs its own Redis with an append-only file, as production should, and
 * restarts it in the middle of a run.
 */

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

class OwnRedis {
  private process: ChildProcess | undefined;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--dir",
        this.dir,
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--save",
        "",
        "--maxmemory-policy",
        "noeviction",
      ],
      { stdio: "ignore" },
    );
    for (let i = 0; i < 100; i++) {
      if (
        spawnSync("redis-cli", ["-p", String(this.port), "ping"])
          .stdout?.toString()
          .trim() === "PONG"
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("redis did not start");
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.process?.once("exit", resolve));
    // SHUTDOWN fsyncs the append-only file first: nothing acknowledged is lost.
    spawnSync("redis-cli", ["-p", String(this.port), "shutdown"]);
    await exited;
  }
}

const manifest = `specVersion: 1.0.0
integrations:
  - name: crm
    provider: hubspot
    write:
      objects:
        - objectName: contacts
`;

let redis: OwnRedis;
let dir: string;
let stack: TestStack;
let project: TestProject;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "writ-redis-"));
  redis = new OwnRedis(await freePort(), dir);
  await redis.start();
  stack = await startStack({ redisUrl: redis.url });
  project = await createProject(stack, "restart");
  expect(
    (await project.request("PUT", "/v1/projects/{p}/integrations:batch", { sourceYaml: manifest }))
      .status,
  ).toBe(200);
}, 60_000);

afterAll(async () => {
  await stack.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("a Redis restart during a run", () => {
  it("loses no accepted write and leaves no limiter stuck", async () => {
    const account = stack.sandbox.admin.createAccount({
      provider: "hubspot",
      rateLimit: { requests: 50, intervalMs: 1000 },
      latencyMs: 5,
    });
    const connection = await project.request("POST", "/v1/projects/{p}/connections:generate", {
      groupRef: "g",
      consumerRef: "c",
      provider: "hubspot",
      apiKey: account.accessToken,
      rateLimit: { requests: 50, intervalMs: 1000 },
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

    const count = 400;
    const accepted: string[] = [];
    let next = 0;
    let restarted = false;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < count) {
          const i = next++;
          if (i === count / 2 && !restarted) {
            restarted = true;
            await redis.stop();
            await redis.start();
          }
          const response = await project.request(
            "POST",
            "/v1/projects/{p}/integrations/crm/objects/contacts",
            {
              groupRef: "g",
              type: "create",
              mode: "asynchronous",
              record: { email: `restart-${i}@example.com` },
            },
          );
          if (response.status === 202) accepted.push(response.body.operationId);
        }
      }),
    );
    // Requests made while Redis was down may have been refused; every accepted one must land.
    expect(accepted.length).toBeGreaterThan(count / 2);
    const started = Date.now();
    for (;;) {
      const succeeded = await stack.api.deps.db.operation.count({
        where: { id: { in: accepted }, status: "success" },
      });
      if (succeeded === accepted.length) break;
      if (Date.now() - started > 90_000)
        throw new Error(`${succeeded} of ${accepted.length} succeeded`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const emails = new Set(
      stack.sandbox.admin.records(account.id, "contacts").map((r) => r.properties.email),
    );
    const operations = await stack.api.deps.db.operationRecord.findMany({
      where: { operationId: { in: accepted } },
      select: { input: true },
    });
    for (const { input } of operations)
      expect(emails.has((input as { email: string }).email)).toBe(true);

    // The limiter still lets writes through after the restart.
    const after = await project.request(
      "POST",
      "/v1/projects/{p}/integrations/crm/objects/contacts",
      {
        groupRef: "g",
        type: "create",
        record: { email: "after-restart@example.com" },
      },
    );
    expect(after.status).toBe(200);
  }, 150_000);
});
