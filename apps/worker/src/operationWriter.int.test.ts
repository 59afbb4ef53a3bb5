import { randomUUID } from "node:crypto";
import {
  createDb,
  createProject,
  type Db,
  findOperation,
  type OperationSnapshot,
  saveOperations,
} from "@writ/db";
import { createTestDatabase, type TestDatabase } from "@writ/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OperationWriter } from "./operationWriter";

let database: TestDatabase;
let db: Db;
let projectId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { poolSize: 4 });
  projectId = (await createProject(db, { name: "operation-writer" })).id;
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

function snapshot(overrides: Partial<OperationSnapshot> = {}): OperationSnapshot {
  return {
    id: randomUUID(),
    projectId,
    integrationId: randomUUID(),
    installationId: randomUUID(),
    configId: randomUUID(),
    connectionId: randomUUID(),
    groupRef: "group-1",
    objectName: "contacts",
    writeType: "create",
    mode: "asynchronous",
    isBatch: false,
    status: "in_progress",
    successCount: 0,
    failureCount: 0,
    request: { type: "create" },
    attempts: 1,
    deadlineAt: new Date("2030-01-01T00:00:00.000Z"),
    createdAt: new Date(),
    records: [{ index: 0, status: "pending", input: { email: "a@example.com" } }],
    ...overrides,
  };
}

const nextTurns = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The transaction that last wrote each operation row (rows committed together share one). */
async function writers(ids: string[]): Promise<Map<string, string>> {
  const rows = await db.$queryRaw<Array<{ id: string; xmin: string }>>`
    SELECT "id"::text AS id, xmin::text AS xmin FROM "Operation" WHERE "id"::text = ANY(${ids})`;
  return new Map(rows.map((row) => [row.id, row.xmin]));
}

/** Locks an operation row in another transaction, so a save that updates it waits for release. */
async function lockOperation(operationId: string): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "Operation" WHERE "id" = ${operationId}::uuid FOR UPDATE`;
      locked();
      await released;
    },
    { timeout: 20_000 },
  );
  await Promise.race([isLocked, holder]);
  return async () => {
    release();
    await holder;
  };
}

async function untilASaveWaitsForTheLock(): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const [row] = await db.$queryRaw<Array<{ waiting: number }>>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (row && row.waiting > 0) return;
    await nextTurns(10);
  }
  throw new Error("no save ever waited for the locked row");
}

function settledFlags(promises: Array<Promise<unknown>>): { settled: boolean[] } {
  const state = { settled: promises.map(() => false) };
  promises.forEach((promise, i) => {
    promise.then(
      () => {
        state.settled[i] = true;
      },
      () => {
        state.settled[i] = true;
      },
    );
  });
  return state;
}

describe("OperationWriter", () => {
  it("resolves a lone save promptly, once the operation is readable", async () => {
    const writer = new OperationWriter(db);
    const lone = snapshot();

    const started = performance.now();
    await writer.save(lone);
    const elapsed = performance.now() - started;

    expect(await findOperation(db, projectId, lone.id)).toMatchObject({ status: "in_progress" });
    expect(elapsed).toBeLessThan(1_000);
    await writer.close();
  });

  it("commits saves asked for in the same turn together, and later ones separately", async () => {
    const writer = new OperationWriter(db);
    const together = [snapshot(), snapshot(), snapshot()];
    const after = snapshot();

    await Promise.all(together.map((s) => writer.save(s)));
    await writer.save(after);

    const xmins = await writers([...together, after].map((s) => s.id));
    expect(new Set(together.map((s) => xmins.get(s.id))).size).toBe(1);
    expect(xmins.get(after.id)).toBeDefined();
    expect(xmins.get(after.id)).not.toBe(xmins.get(together[0]!.id));
    await writer.close();
  });

  it("gathers the saves asked for while its only commit is running into one later batch", async () => {
    const writer = new OperationWriter(db, { maxInFlight: 1 });
    const blocked = snapshot();
    await saveOperations(db, [blocked]);
    const release = await lockOperation(blocked.id);

    const gathered = [snapshot(), snapshot(), snapshot()];
    let saves: Array<Promise<void>> = [];
    try {
      saves = [writer.save({ ...blocked, status: "success", attempts: 2 })];
      await untilASaveWaitsForTheLock();
      for (const s of gathered) {
        saves.push(writer.save(s));
        await nextTurns(20);
      }
      const progress = settledFlags(saves);
      await nextTurns(50);
      expect(progress.settled).toEqual([false, false, false, false]);
      expect(await db.operation.count({ where: { id: { in: gathered.map((s) => s.id) } } })).toBe(
        0,
      );
    } finally {
      await release();
    }
    await Promise.all(saves);

    const xmins = await writers([blocked, ...gathered].map((s) => s.id));
    expect(new Set(gathered.map((s) => xmins.get(s.id))).size).toBe(1);
    expect(xmins.get(gathered[0]!.id)).not.toBe(xmins.get(blocked.id));
    const stored = await db.operation.findMany({
      where: { id: { in: [blocked, ...gathered].map((s) => s.id) } },
    });
    const updatedAt = new Map(stored.map((op) => [op.id, op.updatedAt.getTime()]));
    expect(new Set(gathered.map((s) => updatedAt.get(s.id))).size).toBe(1);
    expect(updatedAt.get(gathered[0]!.id)).not.toBe(updatedAt.get(blocked.id));
    expect(stored.find((op) => op.id === blocked.id)?.status).toBe("success");
    await writer.close();
  });

  it("closes once pending and running saves are durable, and refuses saves afterwards", async () => {
    const writer = new OperationWriter(db, { maxInFlight: 1 });
    const running = snapshot();
    await saveOperations(db, [running]);
    const release = await lockOperation(running.id);
    const pending = snapshot();
    const late = snapshot();

    let saves: Array<Promise<void>> = [];
    let closing: Promise<void> = Promise.resolve();
    try {
      saves = [writer.save({ ...running, status: "success", attempts: 2 })];
      await untilASaveWaitsForTheLock();
      saves.push(writer.save(pending));
      closing = writer.close();
      const progress = settledFlags([closing]);
      await expect(writer.save(late)).rejects.toThrow(/shutting down/);
      await nextTurns(50);
      expect(progress.settled).toEqual([false]);
    } finally {
      await release();
    }
    await closing;

    expect(await findOperation(db, projectId, running.id)).toMatchObject({ status: "success" });
    expect(await findOperation(db, projectId, pending.id)).not.toBeNull();
    await Promise.all(saves);
    expect(await findOperation(db, projectId, late.id)).toBeNull();
  });
});
