import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@writ/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client";
import { saveOperations } from "./operationBatches";
import { findIdempotencyKey, findOperation, type OperationSnapshot } from "./operations";
import { createProject } from "./projects";

let database: TestDatabase;
let db: Db;
let projectId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { poolSize: 2 });
  projectId = (await createProject(db, { name: "operation-batches" })).id;
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
    attempts: 0,
    deadlineAt: new Date("2030-01-01T00:00:00.000Z"),
    createdAt: new Date("2026-01-01T00:00:00.000Z"),
    records: [{ index: 0, status: "pending", input: { email: "a@example.com" } }],
    ...overrides,
  };
}

describe("saveOperations", () => {
  it("stores every operation of a batch with all its fields and records", async () => {
    const full = snapshot({
      groupRef: "group-full",
      objectName: "deals",
      writeType: "update",
      mode: "synchronous",
      isBatch: true,
      status: "failure",
      result: "partial",
      successCount: 2,
      failureCount: 1,
      errors: [{ message: "one record refused" }],
      request: { type: "update", headers: { "x-trace": "1" } },
      attempts: 2,
      attemptLog: [{ at: "2026-01-01T00:00:01.000Z", error: "timeout", disposition: "retry" }],
      lastAttemptAt: new Date("2026-01-01T00:00:02.123Z"),
      deadlineAt: new Date("2026-01-02T00:00:00.456Z"),
      traceId: "trace-full",
      createdAt: new Date("2026-01-01T00:00:00.789Z"),
      finishedAt: new Date("2026-01-01T00:00:03.000Z"),
      records: [
        {
          index: 0,
          status: "success",
          input: { name: "first" },
          associations: [{ to: "company-1" }],
          providerRecordId: "p-0",
          data: { id: "p-0" },
        },
        { index: 1, status: "failure", input: { name: "second" }, error: "invalid name" },
        { index: 2, status: "success", input: { name: "third" }, providerRecordId: "p-2" },
      ],
      idempotency: { key: "full-key", fingerprint: "fp-full", expiresAt: new Date("2030-01-01") },
    });
    const minimal = snapshot();

    await saveOperations(db, [full, minimal]);

    const stored = await findOperation(db, projectId, full.id);
    expect(stored).toMatchObject({
      id: full.id,
      projectId,
      integrationId: full.integrationId,
      installationId: full.installationId,
      configId: full.configId,
      connectionId: full.connectionId,
      groupRef: "group-full",
      objectName: "deals",
      writeType: "update",
      mode: "synchronous",
      isBatch: true,
      status: "failure",
      result: "partial",
      recordCount: 3,
      successCount: 2,
      failureCount: 1,
      errors: full.errors,
      request: full.request,
      attempts: 2,
      attemptLog: full.attemptLog,
      lastAttemptAt: full.lastAttemptAt,
      deadlineAt: full.deadlineAt,
      traceId: "trace-full",
      createdAt: full.createdAt,
      finishedAt: full.finishedAt,
    });
    expect(stored?.records).toEqual(
      full.records.map((record) => ({
        operationId: full.id,
        associations: null,
        providerRecordId: null,
        error: null,
        data: null,
        ...record,
      })),
    );
    expect(await findIdempotencyKey(db, projectId, "full-key")).toEqual({
      fingerprint: "fp-full",
      operationId: full.id,
    });

    const storedMinimal = await findOperation(db, projectId, minimal.id);
    expect(storedMinimal).toMatchObject({
      status: "in_progress",
      result: null,
      recordCount: 1,
      errors: null,
      attemptLog: null,
      lastAttemptAt: null,
      traceId: null,
      finishedAt: null,
    });
    expect(storedMinimal?.records).toHaveLength(1);
    expect(storedMinimal?.updatedAt).toEqual(stored?.updatedAt);
  });

  it("replaces an operation's earlier snapshot without duplicating its records", async () => {
    const first = snapshot({
      attempts: 1,
      errors: [{ message: "retrying: timeout" }],
      attemptLog: [{ at: "2026-01-01T00:00:01.000Z", error: "timeout", disposition: "retry" }],
      lastAttemptAt: new Date("2026-01-01T00:00:01.000Z"),
      traceId: "trace-first",
      records: [
        { index: 0, status: "pending", input: { n: 0 } },
        { index: 1, status: "failure", input: { n: 1 }, error: "timeout" },
      ],
    });
    await saveOperations(db, [first]);
    const before = await findOperation(db, projectId, first.id);
    await new Promise((resolve) => setTimeout(resolve, 5));

    const later: OperationSnapshot = {
      ...first,
      status: "success",
      result: "success",
      successCount: 2,
      errors: undefined,
      attempts: 2,
      attemptLog: [
        ...(first.attemptLog ?? []),
        { at: "2026-01-01T00:00:05.000Z", error: "reset", disposition: "retry" },
      ],
      lastAttemptAt: new Date("2026-01-01T00:00:05.000Z"),
      traceId: undefined,
      finishedAt: new Date("2026-01-01T00:00:06.000Z"),
      records: [
        { index: 0, status: "success", input: { n: 0 }, providerRecordId: "p-0", data: { ok: 0 } },
        { index: 1, status: "success", input: { n: 1 }, providerRecordId: "p-1" },
      ],
    };
    await saveOperations(db, [later]);

    const after = await findOperation(db, projectId, first.id);
    expect(after).toMatchObject({
      status: "success",
      result: "success",
      successCount: 2,
      errors: null,
      attempts: 2,
      attemptLog: later.attemptLog,
      lastAttemptAt: later.lastAttemptAt,
      traceId: "trace-first",
      finishedAt: later.finishedAt,
      createdAt: first.createdAt,
    });
    expect(after!.updatedAt.getTime()).toBeGreaterThan(before!.updatedAt.getTime());
    expect(after?.records).toMatchObject([
      { index: 0, status: "success", providerRecordId: "p-0", error: null, data: { ok: 0 } },
      { index: 1, status: "success", providerRecordId: "p-1", error: null, data: null },
    ]);
    expect(await db.operationRecord.count({ where: { operationId: first.id } })).toBe(2);
  });

  it("keeps the last of two snapshots of one operation in the same batch", async () => {
    const earlier = snapshot({ attempts: 1 });
    const latest: OperationSnapshot = {
      ...earlier,
      status: "failure",
      failureCount: 1,
      attempts: 3,
      records: [{ index: 0, status: "failure", input: { email: "a@example.com" }, error: "gone" }],
    };

    await saveOperations(db, [earlier, latest]);

    const stored = await findOperation(db, projectId, earlier.id);
    expect(stored).toMatchObject({ status: "failure", failureCount: 1, attempts: 3 });
    expect(stored?.records).toHaveLength(1);
    expect(stored?.records[0]).toMatchObject({ status: "failure", error: "gone" });
  });

  it("keeps the first operation bound to an idempotency key when the key is saved again", async () => {
    const expiresAt = new Date("2030-01-01T00:00:00.000Z");
    const first = snapshot({ idempotency: { key: "shared", fingerprint: "fp-1", expiresAt } });
    const second = snapshot({ idempotency: { key: "shared", fingerprint: "fp-2", expiresAt } });

    await saveOperations(db, [first]);
    await saveOperations(db, [second]);

    expect(await findIdempotencyKey(db, projectId, "shared")).toEqual({
      fingerprint: "fp-1",
      operationId: first.id,
    });
    expect(await db.idempotencyKey.count({ where: { projectId, key: "shared" } })).toBe(1);
    expect(await findOperation(db, projectId, second.id)).not.toBeNull();
  });

  it("writes nothing from a batch when one of its operations cannot be stored", async () => {
    const existing = snapshot({ attempts: 1 });
    await saveOperations(db, [existing]);

    const updated: OperationSnapshot = { ...existing, status: "success", attempts: 2 };
    const fresh = snapshot({
      records: [
        { index: 0, status: "success", input: { n: 0 } },
        { index: 1, status: "success", input: { n: 1 } },
      ],
      idempotency: { key: "doomed", fingerprint: "fp", expiresAt: new Date("2030-01-01") },
    });
    const orphan = snapshot({ projectId: randomUUID() });

    await expect(saveOperations(db, [updated, fresh, orphan])).rejects.toThrow();

    expect(await db.operation.count({ where: { id: { in: [fresh.id, orphan.id] } } })).toBe(0);
    expect(
      await db.operationRecord.count({ where: { operationId: { in: [fresh.id, orphan.id] } } }),
    ).toBe(0);
    expect(await db.idempotencyKey.count({ where: { key: "doomed" } })).toBe(0);
    expect(await findOperation(db, projectId, existing.id)).toMatchObject({
      status: "in_progress",
      attempts: 1,
    });
  });
});
