import { randomUUID } from "node:crypto";
import { testRedisUrl, uniqueRedisPrefix } from "@writ/testing";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WriteJob } from "./catalog";
import { createRedis } from "./connection";
import { connectionBacklogKey, WriteQueue } from "./writeQueue";
import { createWriteWorker } from "./writeWorker";

let redis: Redis;
let prefix: string;
let queue: WriteQueue;
const opened: Redis[] = [];

beforeEach(() => {
  redis = createRedis(testRedisUrl);
  opened.push(redis);
  prefix = `{${uniqueRedisPrefix("write-queue")}}`;
  queue = new WriteQueue({ connection: redis, prefix });
});

afterEach(async () => {
  await queue.queue.obliterate({ force: true }).catch(() => {});
  await redis.del(connectionBacklogKey(prefix, "conn-a"), connectionBacklogKey(prefix, "conn-b"));
  await queue.close();
});

afterAll(() => {
  for (const client of opened) client.disconnect();
});

function job(connectionId: string, email: string): WriteJob {
  const now = Date.now();
  return {
    operationId: randomUUID(),
    projectId: randomUUID(),
    integrationId: randomUUID(),
    installationId: randomUUID(),
    configId: randomUUID(),
    connectionId,
    provider: "hubspot",
    groupRef: "group-1",
    objectName: "contacts",
    type: "create",
    mode: "asynchronous",
    isBatch: false,
    allOrNone: false,
    records: [{ index: 0, record: { email } }],
    deadlineAt: now + 3_600_000,
    acceptedAt: now,
    request: { type: "create", mode: "asynchronous" },
  };
}

async function priorityOf(operationId: string): Promise<number | undefined> {
  return (await queue.queue.getJob(operationId))?.opts.priority;
}

describe("WriteQueue.enqueue", () => {
  it("queues writes enqueued in one turn with their connection's backlog positions", async () => {
    const a = [job("conn-a", "a1@example.com"), job("conn-a", "a2@example.com")];
    const b = job("conn-b", "b1@example.com");
    const a3 = job("conn-a", "a3@example.com");
    await Promise.all([...a, b, a3].map((write) => queue.enqueue(write)));

    expect(await priorityOf(a[0]!.operationId)).toBe(1);
    expect(await priorityOf(a[1]!.operationId)).toBe(2);
    expect(await priorityOf(a3.operationId)).toBe(3);
    expect(await priorityOf(b.operationId)).toBe(1);
    expect(Number(await redis.get(connectionBacklogKey(prefix, "conn-a")))).toBe(3);
    expect(Number(await redis.get(connectionBacklogKey(prefix, "conn-b")))).toBe(1);
    const stored = await queue.getJob(a3.operationId);
    expect(stored?.data.records[0]?.record).toEqual({ email: "a3@example.com" });
  });

  it("continues a connection's positions across turns and across enqueueMany", async () => {
    await queue.enqueue(job("conn-a", "first@example.com"));
    const second = job("conn-a", "second@example.com");
    await queue.enqueue(second);
    const bulk = [job("conn-a", "third@example.com"), job("conn-a", "fourth@example.com")];
    await queue.enqueueMany(bulk);

    expect(await priorityOf(second.operationId)).toBe(2);
    expect(await priorityOf(bulk[0]!.operationId)).toBe(3);
    expect(await priorityOf(bulk[1]!.operationId)).toBe(4);
  });

  it("refuses a malformed write alone and still queues the rest of its turn", async () => {
    const good = job("conn-a", "good@example.com");
    const bad = { ...job("conn-a", "bad@example.com"), type: "upsert" } as unknown as WriteJob;
    const outcomes = await Promise.allSettled([queue.enqueue(good), queue.enqueue(bad)]);

    expect(outcomes[0]?.status).toBe("fulfilled");
    expect(outcomes[1]?.status).toBe("rejected");
    expect(await queue.getJob(good.operationId)).not.toBeNull();
    expect(await queue.getJob(bad.operationId)).toBeNull();
    expect(Number(await redis.get(connectionBacklogKey(prefix, "conn-a")))).toBe(1);
  });

  it("rejects every write of a turn when Redis refuses the batch, and queues none", async () => {
    const closedClient = createRedis(testRedisUrl);
    opened.push(closedClient);
    const broken = new WriteQueue({ connection: closedClient, prefix });
    await broken.queue.waitUntilReady();
    closedClient.disconnect();
    const writes = [job("conn-a", "x@example.com"), job("conn-a", "y@example.com")];
    const outcomes = await Promise.allSettled(writes.map((write) => broken.enqueue(write)));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]);
    for (const write of writes) expect(await queue.getJob(write.operationId)).toBeNull();
  });

  it("close() still sends the writes waiting for the end of the turn", async () => {
    const client = createRedis(testRedisUrl);
    opened.push(client);
    const other = new WriteQueue({ connection: client, prefix });
    const write = job("conn-b", "late@example.com");
    const accepted = other.enqueue(write);
    await other.close();
    await accepted;

    expect(await queue.getJob(write.operationId)).not.toBeNull();
  });
});

describe("write worker", () => {
  it("takes every finished job out of its connection's backlog", async () => {
    const writes = [
      ...Array.from({ length: 7 }, (_, i) => job("conn-a", `a${i}@example.com`)),
      job("conn-b", "b@example.com"),
    ];
    await Promise.all(writes.map((write) => queue.enqueue(write)));
    expect(Number(await redis.get(connectionBacklogKey(prefix, "conn-a")))).toBe(7);

    const workerConnection = createRedis(testRedisUrl);
    opened.push(workerConnection);
    const finished: string[] = [];
    const worker = createWriteWorker({
      connection: workerConnection,
      prefix,
      concurrency: 4,
      async process(data) {
        finished.push(data.operationId);
        return { status: "success", httpStatus: 200, body: {} };
      },
    });
    try {
      for (let waited = 0; finished.length < writes.length && waited < 5_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
      for (let waited = 0; waited < 5_000; waited += 20) {
        const counts = await queue.counts();
        if (counts.waiting === 0 && counts.active === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await worker.close();
    }

    expect(finished.sort()).toEqual(writes.map((write) => write.operationId).sort());
    expect(Number(await redis.get(connectionBacklogKey(prefix, "conn-a")))).toBe(0);
    expect(Number(await redis.get(connectionBacklogKey(prefix, "conn-b")))).toBe(0);
  });
});
