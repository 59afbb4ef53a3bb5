import { isProviderError, type ProviderError, type RecordOutcome } from "@writ/connectors";
import { type WriteConfigObject, writeHttpAnswer } from "@writ/contracts";
import {
  type AttemptLogEntry,
  type Db,
  findOperation,
  type OperationRecordSnapshot,
  type OperationSnapshot,
} from "@writ/db";
import {
  fieldsNeedingCurrentValues,
  PipelineInputError,
  planWrite,
  type WritePlan,
} from "@writ/pipeline";
import {
  RetryLaterError,
  type WriteJob,
  type WriteJobContext,
  type WriteJobResult,
} from "@writ/queue";
import { type Logger, withSpan } from "@writ/telemetry";
import pRetry from "p-retry";
import type { ProviderDispatcher } from "./dispatcher";
import type { OperationWriter } from "./operationWriter";
import { shortRetrySlot } from "./providerCallTracing";
import { retryDelayMs } from "./retryPolicy";
import type { WebhookSender } from "./webhooks";
import type {
  ConnectionContextData,
  InstallationContext,
  WriteContextLoader,
} from "./writeContext";

export interface WriteProcessorDeps {
  db: Db;
  contexts: WriteContextLoader;
  dispatcher: ProviderDispatcher;
  operations: OperationWriter;
  webhooks: WebhookSender;
  logger: Logger;
  /** Caps every operation's retry window (WRIT_MAX_RETRY_WINDOW_MS). */
  maxRetryWindowMs?: number | undefined;
}

/** A record's state within one attempt. `retryable` records go around again. */
interface RecordState {
  index: number;
  status: "success" | "failure" | "retryable";
  recordId?: string | undefined;
  data?: Record<string, unknown> | undefined;
  error?: string | undefined;
  cause?: ProviderError | undefined;
}

class OperationFailure extends Error {}

export function createWriteProcessor(deps: WriteProcessorDeps) {
  return async function processWrite(
    job: WriteJob,
    context: WriteJobContext,
  ): Promise<WriteJobResult> {
    const attempt = context.attemptsMade + 1;
    const now = Date.now();
    // A retried job, or one cut off by a worker that stopped mid-job, resumes: records that
    // already succeeded or failed for good are not sent again.
    const prior = context.ranBefore
      ? await findOperation(deps.db, job.projectId, job.operationId)
      : null;
    const states = new Map<number, RecordState>();
    for (const record of prior?.records ?? []) {
      if (record.status === "success" || record.status === "failure") {
        states.set(record.index, {
          index: record.index,
          status: record.status,
          recordId: record.providerRecordId ?? undefined,
          data: (record.data as Record<string, unknown> | null) ?? undefined,
          error: record.error ?? undefined,
        });
      }
    }
    const attemptLog = ((prior?.attemptLog as AttemptLogEntry[] | null) ?? []).slice();
    const pending = job.records.filter((record) => !states.has(record.index));

    let installation: InstallationContext | null = null;
    let connection: ConnectionContextData | null = null;
    let operationError: string | undefined;
    try {
      [installation, connection] = await withSpan(
        "config load",
        {
          attributes: {
            "writ.installation_id": job.installationId,
            "writ.connection_id": job.connectionId,
          },
        },
        async () => {
          const loaded = await deps.contexts.installation(
            job.projectId,
            job.integrationId,
            job.installationId,
          );
          return [
            loaded,
            loaded ? await deps.contexts.connection(job.projectId, job.connectionId) : null,
          ] as const;
        },
      );
      if (!installation) {
        throw new OperationFailure(
          `the installation for group ${job.groupRef} was removed after this write was accepted`,
        );
      }
      if (!connection) throw new OperationFailure("the installation's connection no longer exists");
      if (connection.status === "bad_credentials") {
        throw new OperationFailure(
          "the connection's credentials were rejected by the provider; the customer must reconnect",
        );
      }
      const outcomes = await writePending(deps, job, pending, installation);
      for (const state of outcomes) states.set(state.index, state);
    } catch (error) {
      if (error instanceof OperationFailure) {
        operationError = error.message;
        for (const record of pending)
          states.set(record.index, {
            index: record.index,
            status: "failure",
            error: error.message,
          });
      } else if (isProviderError(error)) {
        // The call itself failed: every record it carried shares the outcome.
        const status =
          error.disposition === "retry" || error.disposition === "rate_limited"
            ? "retryable"
            : "failure";
        const message =
          error.disposition === "bad_credentials"
            ? `the provider rejected the connection's credentials (reconnect required): ${error.providerMessage}`
            : error.providerMessage;
        for (const record of pending) {
          states.set(record.index, { index: record.index, status, error: message, cause: error });
        }
      } else {
        throw error;
      }
    }

    const retryable = [...states.values()].filter((state) => state.status === "retryable");
    const firstRetryable = retryable[0];
    if (firstRetryable) {
      attemptLog.push(attemptEntry(firstRetryable, now));
      const delay = retryDelayMs(attempt, firstRetryable.cause);
      const deadline = deps.maxRetryWindowMs
        ? Math.min(job.deadlineAt, job.acceptedAt + deps.maxRetryWindowMs)
        : job.deadlineAt;
      if (now + delay < deadline) {
        await deps.operations.save(
          snapshot(job, states, attemptLog, attempt, now, "in_progress", undefined),
        );
        throw new RetryLaterError(firstRetryable.error ?? "retrying", delay);
      }
      for (const state of retryable) {
        state.status = "failure";
        state.error = `gave up at the retry deadline; last provider error: ${state.error ?? "unknown"}`;
      }
    }

    const records = job.records.map((record) => states.get(record.index)!);
    const allSucceeded = records.every((state) => state.status === "success");
    const finalStatus = allSucceeded ? "success" : "failure";
    await deps.operations.save(
      snapshot(job, states, attemptLog, attempt, now, finalStatus, operationError),
    );
    const answer = writeHttpAnswer({
      operationId: job.operationId,
      isBatch: job.isBatch,
      records: records.map((state) => ({
        status: state.status === "success" ? "success" : "failure",
        recordId: state.recordId,
        error: state.error,
        data: state.data,
      })),
      errors: operationError ? [{ message: operationError }] : undefined,
    });
    if (job.mode === "asynchronous" && installation?.webhook) {
      await notify(deps, job, installation, connection, records);
    }
    return { status: finalStatus, httpStatus: answer.httpStatus, body: answer.body };
  };
}

async function writePending(
  deps: WriteProcessorDeps,
  job: WriteJob,
  pending: WriteJob["records"],
  installation: InstallationContext,
): Promise<RecordState[]> {
  if (pending.length === 0) return [];
  const target = {
    projectId: job.projectId,
    connectionId: job.connectionId,
    provider: job.provider,
  };
  const writeObject: WriteConfigObject = installation.writeObjects[job.objectName] ?? {
    objectName: job.objectName,
  };
  const readObject = writeObject.inheritMapping
    ? installation.readObjects[job.objectName]
    : undefined;

  const results: RecordState[] = [];
  const planned: Array<{ index: number; plan: WritePlan; associations?: unknown[] | undefined }> =
    [];
  // Reads of current values (ifEmpty overwrite policy) are provider calls inside this span.
  await withSpan("pipeline", { attributes: { "writ.record_count": pending.length } }, async () => {
    for (const item of pending) {
      try {
        const base = { type: job.type, record: item.record, writeObject, readObject };
        const needed = fieldsNeedingCurrentValues(base);
        let currentRecord: Record<string, unknown> | undefined;
        const recordId = item.record.id;
        if (needed.length > 0 && (typeof recordId === "string" || typeof recordId === "number")) {
          currentRecord =
            (await deps.dispatcher.call(target, (ctx, connector) =>
              connector.get(ctx, job.objectName, String(recordId), needed),
            )) ?? {};
        }
        planned.push({
          index: item.index,
          plan: planWrite({ ...base, currentRecord }),
          associations: item.associations,
        });
      } catch (error) {
        if (!(error instanceof PipelineInputError)) throw error;
        results.push({ index: item.index, status: "failure", error: error.message });
      }
    }
  });
  if (planned.length === 0) return results;

  if (job.isBatch && job.type !== "delete") {
    const writeType = job.type;
    const batch = await withShortRetries(() =>
      deps.dispatcher.call(target, (ctx, connector) =>
        connector.writeBatch(
          ctx,
          job.objectName,
          writeType,
          planned.map(({ plan, associations }) => ({
            fields: plan.payload,
            ...(plan.recordId !== undefined ? { recordId: plan.recordId } : {}),
            ...(associations ? { associations } : {}),
          })),
          { allOrNone: job.allOrNone, ...(job.headers ? { headers: job.headers } : {}) },
        ),
      ),
    );
    batch.outcomes.forEach((outcome, position) => {
      const entry = planned[position];
      if (entry) results.push(stateOf(entry.index, outcome));
    });
    return results;
  }

  const outcomes = await Promise.all(
    planned.map(async ({ index, plan, associations }) => {
      const outcome = await withShortRetries(async () => {
        const result =
          job.type === "delete"
            ? await deps.dispatcher.call(target, (ctx, connector) =>
                connector.delete(
                  ctx,
                  job.objectName,
                  plan.recordId ?? "",
                  job.headers ? { headers: job.headers } : {},
                ),
              )
            : await deps.dispatcher.submitSingle(
                target,
                job.objectName,
                job.type,
                { fields: plan.payload, recordId: plan.recordId, associations },
                job.headers,
                job.coalesce,
              );
        // A transient per-record failure is retried like a failed call.
        if (!result.ok && isTransient(result.error)) throw result.error;
        return result;
      }).catch((error: unknown): RecordOutcome => {
        if (isProviderError(error) && isTransient(error)) return { ok: false, error };
        throw error;
      });
      return stateOf(index, outcome);
    }),
  );
  return [...results, ...outcomes];
}

function isTransient(error: ProviderError): boolean {
  return error.disposition === "retry" || error.disposition === "rate_limited";
}

const shortRetryLimitMs = 5_000;

/**
 * A couple of quick in-process retries for transient failures that ask for a short wait
 * (jittered backoff, never sooner than Retry-After); anything longer goes back to the queue as a
 * delayed retry so it doesn't hold a worker slot.
 */
function withShortRetries<T>(fn: () => Promise<T>): Promise<T> {
  return pRetry((attemptNumber) => shortRetrySlot.with(attemptNumber - 1, fn), {
    retries: 2,
    minTimeout: 200,
    maxTimeout: 2000,
    factor: 2,
    randomize: true,
    shouldRetry: ({ error }) =>
      isProviderError(error) &&
      isTransient(error) &&
      (error.retryAfterMs ?? 0) <= shortRetryLimitMs,
    onFailedAttempt: async ({ error }) => {
      const wait = isProviderError(error) ? (error.retryAfterMs ?? 0) : 0;
      if (wait > 0 && wait <= shortRetryLimitMs)
        await new Promise((resolve) => setTimeout(resolve, wait));
    },
  });
}

function stateOf(index: number, outcome: RecordOutcome): RecordState {
  if (outcome.ok)
    return { index, status: "success", recordId: outcome.recordId, data: outcome.data };
  const retryable =
    outcome.error.disposition === "retry" || outcome.error.disposition === "rate_limited";
  return {
    index,
    status: retryable ? "retryable" : "failure",
    error: outcome.error.providerMessage,
    cause: outcome.error,
  };
}

function attemptEntry(state: RecordState, now: number): AttemptLogEntry {
  return {
    at: new Date(now).toISOString(),
    error: state.error ?? "unknown error",
    code: state.cause?.code,
    status: state.cause?.status,
    disposition: state.cause?.disposition ?? "retry",
  };
}

function snapshot(
  job: WriteJob,
  states: Map<number, RecordState>,
  attemptLog: AttemptLogEntry[],
  attempt: number,
  now: number,
  status: OperationSnapshot["status"],
  operationError: string | undefined,
): OperationSnapshot {
  const records: OperationRecordSnapshot[] = job.records.map((record) => {
    const state = states.get(record.index);
    return {
      index: record.index,
      status:
        state?.status === "success"
          ? "success"
          : state?.status === "failure"
            ? "failure"
            : "pending",
      input: record.record,
      associations: record.associations,
      providerRecordId: state?.recordId,
      error: state?.error,
      data: state?.data,
    };
  });
  const successCount = records.filter((r) => r.status === "success").length;
  const failureCount = records.filter((r) => r.status === "failure").length;
  const firstError = records.find((r) => r.error)?.error;
  const finished = status !== "in_progress";
  return {
    id: job.operationId,
    projectId: job.projectId,
    integrationId: job.integrationId,
    installationId: job.installationId,
    configId: job.configId,
    connectionId: job.connectionId,
    groupRef: job.groupRef,
    objectName: job.objectName,
    writeType: job.type,
    mode: job.mode,
    isBatch: job.isBatch,
    status,
    result: !finished
      ? `retrying: ${attemptLog[attemptLog.length - 1]?.error ?? ""}`
      : status === "success"
        ? job.isBatch
          ? `${successCount} of ${records.length} records written`
          : "record written"
        : (operationError ??
          (job.isBatch
            ? `${failureCount} of ${records.length} records failed: ${firstError ?? ""}`
            : (firstError ?? "the write failed"))),
    successCount,
    failureCount,
    errors: operationError ? [{ message: operationError }] : undefined,
    request: job.request,
    attempts: attempt,
    attemptLog,
    lastAttemptAt: new Date(now),
    deadlineAt: new Date(job.deadlineAt),
    traceId: job.trace?.traceparent.split("-")[1],
    createdAt: new Date(job.acceptedAt),
    finishedAt: finished ? new Date() : undefined,
    records,
    idempotency: job.idempotency
      ? {
          key: job.idempotency.key,
          fingerprint: job.idempotency.fingerprint,
          expiresAt: new Date(job.idempotency.expiresAt),
        }
      : undefined,
  };
}

async function notify(
  deps: WriteProcessorDeps,
  job: WriteJob,
  installation: InstallationContext,
  connection: ConnectionContextData | null,
  records: RecordState[],
): Promise<void> {
  const webhook = installation.webhook;
  if (!webhook) return;
  await deps.webhooks.send(webhook.url, deps.contexts.webhookSecret(webhook), {
    projectId: job.projectId,
    provider: job.provider,
    integrationId: job.integrationId,
    integrationName: installation.integrationName,
    installationId: job.installationId,
    groupRef: job.groupRef,
    groupName: connection?.groupName ?? job.groupRef,
    connectionId: job.connectionId,
    consumerRef: connection?.consumerRef ?? "",
    consumerName: connection?.consumerName ?? "",
    operationId: job.operationId,
    objectName: job.objectName,
    success: records.every((state) => state.status === "success"),
    successfulRecordIds: records.flatMap((state) =>
      state.status === "success" && state.recordId ? [state.recordId] : [],
    ),
    errors: records.flatMap((state) =>
      state.status === "failure" && state.error ? [state.error] : [],
    ),
  });
}
