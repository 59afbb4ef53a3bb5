import { writeHttpAnswer } from "@writ/contracts";
import { findOperation, type OperationWithRecords } from "@writ/db";
import type { WriteJobView } from "@writ/queue";
import type { Request } from "express";
import type { AppDeps } from "./deps";
import type { EndpointResult } from "./http/endpoint";

export function operationLocation(
  deps: AppDeps,
  req: Request,
  projectIdOrName: string,
  operationId: string,
): string {
  const path = `/v1/projects/${encodeURIComponent(projectIdOrName)}/operations/${operationId}`;
  const base = deps.config.publicUrl ?? `${req.protocol}://${req.get("host") ?? "localhost"}`;
  return `${base.replace(/\/$/, "")}${path}`;
}

/**
 * The answer to a request repeated with the same Idempotency-Key: the original operation, in the
 * kind of answer the original got (a synchronous write waits for its outcome again).
 */
export async function replayedWriteAnswer(
  deps: AppDeps,
  req: Request,
  projectIdOrName: string,
  projectId: string,
  operationId: string,
  mode: string,
): Promise<EndpointResult> {
  const headers = {
    Location: operationLocation(deps, req, projectIdOrName, operationId),
    "Idempotent-Replayed": "true",
  };
  if (mode === "asynchronous") return { status: 202, body: { operationId }, headers };
  const stored = await findOperation(deps.db, projectId, operationId);
  if (stored && stored.status !== "in_progress") {
    const answer = writeHttpAnswer(finishedWriteOf(stored));
    return { status: answer.httpStatus, body: answer.body, headers };
  }
  const result = await deps.writes.waitForResult(operationId, deps.config.syncTimeoutMs);
  if (!result) return { status: 202, body: { operationId }, headers };
  return { status: result.httpStatus, body: result.body, headers };
}

function finishedWriteOf(operation: OperationWithRecords) {
  return {
    operationId: operation.id,
    isBatch: operation.isBatch,
    records: operation.records.map((record) => ({
      status: record.status as "success" | "failure" | "pending",
      recordId: record.providerRecordId ?? undefined,
      error: record.error ?? undefined,
      data: (record.data as Record<string, unknown> | null) ?? undefined,
    })),
    errors: (operation.errors as Array<{ message: string }> | null) ?? undefined,
  };
}

/** Ampersand's Operation shape, plus Writ's per-record detail. */
export function operationView(operation: OperationWithRecords) {
  const successfulRecordIds = operation.records
    .filter((record) => record.status === "success" && record.providerRecordId)
    .map((record) => record.providerRecordId as string);
  return {
    id: operation.id,
    projectId: operation.projectId,
    integrationId: operation.integrationId,
    installationId: operation.installationId,
    configId: operation.configId,
    actionType: "write",
    status: operation.status,
    result: operation.result ?? undefined,
    metadata: {
      objects: [operation.objectName],
      retry: {
        attempts: operation.attempts,
        lastAttempt: operation.lastAttemptAt?.toISOString(),
      },
      successfulRecordIds,
    },
    groupRef: operation.groupRef,
    objectName: operation.objectName,
    type: operation.writeType,
    mode: operation.mode,
    isBatch: operation.isBatch,
    recordCount: operation.recordCount,
    successCount: operation.successCount,
    failureCount: operation.failureCount,
    errors: operation.errors ?? undefined,
    attempts: operation.attemptLog ?? [],
    records: operation.records.map((record) => ({
      index: record.index,
      status: record.status,
      recordId: record.providerRecordId ?? undefined,
      error: record.error ?? undefined,
      data: record.data ?? undefined,
    })),
    traceId: operation.traceId ?? undefined,
    deadlineTime: operation.deadlineAt.toISOString(),
    createTime: operation.createdAt.toISOString(),
    updateTime: operation.updatedAt.toISOString(),
    finishTime: operation.finishedAt?.toISOString(),
  };
}

/** An accepted operation that no worker has recorded yet: what its queued job tells. */
export function queuedOperationView(job: WriteJobView) {
  const data = job.data;
  const accepted = new Date(data.acceptedAt).toISOString();
  return {
    id: data.operationId,
    projectId: data.projectId,
    integrationId: data.integrationId,
    installationId: data.installationId,
    configId: data.configId,
    actionType: "write",
    status: "in_progress",
    result:
      job.state === "delayed" ? "waiting to retry" : job.state === "active" ? "writing" : "queued",
    metadata: {
      objects: [data.objectName],
      retry: { attempts: job.attemptsMade },
      successfulRecordIds: [],
    },
    groupRef: data.groupRef,
    objectName: data.objectName,
    type: data.type,
    mode: data.mode,
    isBatch: data.isBatch,
    recordCount: data.records.length,
    successCount: 0,
    failureCount: 0,
    attempts: [],
    records: data.records.map((record) => ({ index: record.index, status: "pending" })),
    deadlineTime: new Date(data.deadlineAt).toISOString(),
    createTime: accepted,
    updateTime: accepted,
  };
}
