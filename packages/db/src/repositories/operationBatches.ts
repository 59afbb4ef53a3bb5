import type { Db } from "../client";
import type { OperationSnapshot } from "./operations";

/**
 * Saves many operation snapshots in one statement, whatever their number: rows travel as one
 * JSON array per table and PostgreSQL unpacks them with jsonb_to_recordset. A worker finishing
 * hundreds of writes a second then costs the database one round trip (and one commit) per batch,
 * not several per write.
 */
export async function saveOperations(db: Db, snapshots: OperationSnapshot[]): Promise<void> {
  if (snapshots.length === 0) return;
  // The latest snapshot of an operation wins if one batch holds two.
  const byId = new Map(snapshots.map((snapshot) => [snapshot.id, snapshot]));
  const latest = [...byId.values()];
  const now = new Date().toISOString();
  const operations = latest.map((s) => ({
    id: s.id,
    projectId: s.projectId,
    integrationId: s.integrationId,
    installationId: s.installationId,
    configId: s.configId,
    connectionId: s.connectionId,
    groupRef: s.groupRef,
    objectName: s.objectName,
    writeType: s.writeType,
    mode: s.mode,
    isBatch: s.isBatch,
    status: s.status,
    result: s.result ?? null,
    recordCount: s.records.length,
    successCount: s.successCount,
    failureCount: s.failureCount,
    errors: s.errors ?? null,
    request: s.request,
    attempts: s.attempts,
    attemptLog: s.attemptLog ?? null,
    lastAttemptAt: s.lastAttemptAt?.toISOString() ?? null,
    deadlineAt: s.deadlineAt.toISOString(),
    traceId: s.traceId ?? null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: now,
    finishedAt: s.finishedAt?.toISOString() ?? null,
  }));
  const records = latest.flatMap((s) =>
    s.records.map((r) => ({
      operationId: s.id,
      index: r.index,
      status: r.status,
      input: r.input,
      associations: r.associations ?? null,
      providerRecordId: r.providerRecordId ?? null,
      error: r.error ?? null,
      data: r.data ?? null,
    })),
  );
  const keys = latest.flatMap((s) =>
    s.idempotency
      ? [
          {
            projectId: s.projectId,
            key: s.idempotency.key,
            fingerprint: s.idempotency.fingerprint,
            operationId: s.id,
            expiresAt: s.idempotency.expiresAt.toISOString(),
          },
        ]
      : [],
  );
  // One statement, so one round trip and one implicit transaction: the operation rows first,
  // then their records (an operation's record list never changes between snapshots, so an upsert
  // on (operationId, index) replaces the previous snapshot's rows), then idempotency keys.
  // Foreign keys are checked at the end of the statement, after the operation rows exist.
  await db.$executeRawUnsafe(
    `WITH ops AS (
       INSERT INTO "Operation" ("id","projectId","integrationId","installationId","configId","connectionId","groupRef","objectName","writeType","mode","isBatch","status","result","recordCount","successCount","failureCount","errors","request","attempts","attemptLog","lastAttemptAt","deadlineAt","traceId","createdAt","updatedAt","finishedAt")
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x("id" uuid,"projectId" uuid,"integrationId" uuid,"installationId" uuid,"configId" uuid,"connectionId" uuid,"groupRef" text,"objectName" text,"writeType" text,"mode" text,"isBatch" boolean,"status" text,"result" text,"recordCount" int,"successCount" int,"failureCount" int,"errors" jsonb,"request" jsonb,"attempts" int,"attemptLog" jsonb,"lastAttemptAt" timestamptz,"deadlineAt" timestamptz,"traceId" text,"createdAt" timestamptz,"updatedAt" timestamptz,"finishedAt" timestamptz)
       ON CONFLICT ("id") DO UPDATE SET "status"=EXCLUDED."status","result"=EXCLUDED."result","successCount"=EXCLUDED."successCount","failureCount"=EXCLUDED."failureCount","errors"=EXCLUDED."errors","attempts"=EXCLUDED."attempts","attemptLog"=EXCLUDED."attemptLog","lastAttemptAt"=EXCLUDED."lastAttemptAt","traceId"=COALESCE(EXCLUDED."traceId","Operation"."traceId"),"updatedAt"=EXCLUDED."updatedAt","finishedAt"=EXCLUDED."finishedAt"
       RETURNING 1
     ), recs AS (
       INSERT INTO "OperationRecord" ("operationId","index","status","input","associations","providerRecordId","error","data")
       SELECT * FROM jsonb_to_recordset($2::jsonb) AS x("operationId" uuid,"index" int,"status" text,"input" jsonb,"associations" jsonb,"providerRecordId" text,"error" text,"data" jsonb)
       ON CONFLICT ("operationId","index") DO UPDATE SET "status"=EXCLUDED."status","input"=EXCLUDED."input","associations"=EXCLUDED."associations","providerRecordId"=EXCLUDED."providerRecordId","error"=EXCLUDED."error","data"=EXCLUDED."data"
       RETURNING 1
     ), keys AS (
       INSERT INTO "IdempotencyKey" ("projectId","key","fingerprint","operationId","expiresAt")
       SELECT * FROM jsonb_to_recordset($3::jsonb) AS x("projectId" uuid,"key" text,"fingerprint" text,"operationId" uuid,"expiresAt" timestamptz)
       ON CONFLICT ("projectId","key") DO NOTHING
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ops) + (SELECT count(*) FROM recs) + (SELECT count(*) FROM keys)`,
    JSON.stringify(operations),
    JSON.stringify(records),
    JSON.stringify(keys),
  );
}
