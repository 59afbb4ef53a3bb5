import type { Db } from "../client";
import type { Operation, OperationRecord } from "../generated/client";

export type OperationStatus = "in_progress" | "success" | "failure";
export type RecordStatus = "pending" | "success" | "failure";

export interface AttemptLogEntry {
  at: string;
  error: string;
  code?: string | undefined;
  status?: number | undefined;
  disposition: string;
}

export interface OperationRecordSnapshot {
  index: number;
  status: RecordStatus;
  input: Record<string, unknown>;
  associations?: unknown[] | undefined;
  providerRecordId?: string | undefined;
  error?: string | undefined;
  data?: Record<string, unknown> | undefined;
}

/** Everything known about an operation at one moment; saving it twice is harmless. */
export interface OperationSnapshot {
  id: string;
  projectId: string;
  integrationId: string;
  installationId: string;
  configId: string;
  connectionId: string;
  groupRef: string;
  objectName: string;
  writeType: string;
  mode: string;
  isBatch: boolean;
  status: OperationStatus;
  result?: string | undefined;
  successCount: number;
  failureCount: number;
  errors?: Array<{ message: string }> | undefined;
  request: Record<string, unknown>;
  attempts: number;
  attemptLog?: AttemptLogEntry[] | undefined;
  lastAttemptAt?: Date | undefined;
  deadlineAt: Date;
  traceId?: string | undefined;
  createdAt: Date;
  finishedAt?: Date | undefined;
  records: OperationRecordSnapshot[];
  idempotency?: { key: string; fingerprint: string; expiresAt: Date } | undefined;
}

export type OperationWithRecords = Operation & { records: OperationRecord[] };

/**
 * One operation with its records, in one query: clients poll this while their writes run, so it
 * is a single round trip (records folded in with json_agg) rather than the two an ORM `include`
 * makes. `operationId` must be a UUID (callers check; see isUuid).
 */
export async function findOperation(
  db: Db,
  projectId: string,
  operationId: string,
): Promise<OperationWithRecords | null> {
  const rows = await db.$queryRawUnsafe<OperationWithRecords[]>(
    `SELECT o.*, COALESCE(
       (SELECT json_agg(r ORDER BY r."index") FROM "OperationRecord" r WHERE r."operationId" = o."id"),
       '[]'::json) AS "records"
     FROM "Operation" o WHERE o."id" = $1::uuid AND o."projectId" = $2::uuid`,
    operationId,
    projectId,
  );
  return rows[0] ?? null;
}

export interface OperationListFilter {
  groupRef?: string | undefined;
  status?: string | undefined;
  objectName?: string | undefined;
  integrationId?: string | undefined;
}

export interface OperationCursor {
  createdAt: Date;
  id: string;
}

export function encodeOperationCursor(cursor: OperationCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`).toString("base64url");
}

export function decodeOperationCursor(value: string): OperationCursor | null {
  const [at, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (!at || !id) return null;
  const createdAt = new Date(at);
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id };
}

/** Newest first, keyset-paginated on (createdAt, id): stable and index-only at any depth. */
export async function listOperations(
  db: Db,
  projectId: string,
  filter: OperationListFilter,
  page: { cursor?: OperationCursor | null | undefined; limit: number },
): Promise<{ operations: Operation[]; nextCursor: OperationCursor | null }> {
  const cursor = page.cursor;
  const rows = await db.operation.findMany({
    where: {
      projectId,
      groupRef: filter.groupRef,
      status: filter.status,
      objectName: filter.objectName,
      integrationId: filter.integrationId,
      ...(cursor
        ? {
            OR: [
              { createdAt: { lt: cursor.createdAt } },
              { createdAt: cursor.createdAt, id: { lt: cursor.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
  });
  const operations = rows.slice(0, page.limit);
  const last = operations[operations.length - 1];
  const nextCursor =
    rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null;
  return { operations, nextCursor };
}

export async function findIdempotencyKey(
  db: Db,
  projectId: string,
  key: string,
): Promise<{ fingerprint: string; operationId: string } | null> {
  const row = await db.idempotencyKey.findUnique({
    where: { projectId_key: { projectId, key } },
  });
  if (!row || row.expiresAt < new Date()) return null;
  return { fingerprint: row.fingerprint, operationId: row.operationId };
}

export async function deleteExpiredIdempotencyKeys(db: Db, now = new Date()): Promise<number> {
  const result = await db.idempotencyKey.deleteMany({ where: { expiresAt: { lt: now } } });
  return result.count;
}
