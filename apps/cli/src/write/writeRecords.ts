import {
  type Operation,
  WritApiError,
  type WritClient,
  WritConnectionError,
  type WriteAnswer,
  type WriteRequestInput,
} from "@writ/sdk";
import { abortableSleep } from "../abortableSleep";
import type { SourceRecord } from "../records/sourceRecord";

export interface WriteTarget {
  project: string;
  integration: string;
  objectName: string;
  groupRef: string;
  type: "create" | "update" | "delete";
}

export interface WriteRunOptions {
  client: WritClient;
  target: WriteTarget;
  records: AsyncIterable<SourceRecord>;
  /** Records per request, 1 to 100. 1 sends single-record writes (the only kind `delete` has). */
  batchSize: number;
  /** Requests in flight at once. Reading pauses while all are busy, so memory stays bounded. */
  concurrency: number;
  mode: "synchronous" | "asynchronous";
  /** For asynchronous writes: poll each operation until it finishes, to report its records. */
  waitForOutcome: boolean;
  /** Makes each batch's Idempotency-Key unique to this run, so a retried request never writes twice. */
  runId: string;
  signal?: AbortSignal;
  now?: () => number;
  onProgress?: (progress: WriteProgress) => void;
  /** How often an unfinished operation is polled. Default 1 s. */
  pollIntervalMs?: number;
  /** Tries per request when the API cannot take it (unreachable, 429, 5xx). Default 4. */
  maxAttempts?: number;
  /** Wait before retry number `attempt` (1-based). Default: 0.5 s doubling, capped at 8 s. */
  retryDelayMs?: (attempt: number) => number;
}

export interface WriteProgress {
  /** Records read from the input, well-formed or not. */
  read: number;
  /** Records in requests the API accepted. */
  sent: number;
  succeeded: number;
  failed: number;
  /** Accepted asynchronously, outcome not awaited. */
  accepted: number;
}

export interface RecordFailure {
  /** Line of the input the record starts on. */
  line: number;
  message: string;
  operationId?: string;
}

export interface WriteRunSummary extends WriteProgress {
  operationIds: string[];
  /** Sorted by line; the first `maxKeptFailures` only, `failed` has the full count. */
  failures: RecordFailure[];
  elapsedMs: number;
  /** Stopped by the signal before the input was read to the end. */
  interrupted: boolean;
  /** A request-level error that stopped the run: every further request would have failed alike. */
  stoppedBy?: unknown;
}

interface PendingRecord {
  line: number;
  record: Record<string, unknown>;
}

const maxKeptFailures = 10_000;
const batchIssuePattern = /^batch\[(\d+)\]/;

/** Streams records to the write endpoint in batches with bounded concurrency, and tallies each record's outcome. */
export async function writeRecords(options: WriteRunOptions): Promise<WriteRunSummary> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const progress: WriteProgress = { read: 0, sent: 0, succeeded: 0, failed: 0, accepted: 0 };
  const failures: RecordFailure[] = [];
  const operationIds: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let stoppedBy: unknown;
  let stopped = false;
  const maxAttempts = options.maxAttempts ?? 4;
  const retryDelayMs =
    options.retryDelayMs ?? ((attempt: number) => Math.min(8000, 500 * 2 ** (attempt - 1)));
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const report = () => options.onProgress?.({ ...progress });

  const fail = (line: number, message: string, operationId?: string) => {
    progress.failed++;
    if (failures.length < maxKeptFailures)
      failures.push({ line, message, ...(operationId ? { operationId } : {}) });
  };
  const stop = (error: unknown) => {
    if (stoppedBy === undefined) stoppedBy = error;
    stopped = true;
  };

  const idempotencyKey = (records: PendingRecord[]) =>
    `writ-cli-${options.runId}-L${records[0]?.line}-${records[records.length - 1]?.line}-n${records.length}`;

  const requestBody = (records: PendingRecord[]): WriteRequestInput => {
    const common = {
      groupRef: options.target.groupRef,
      type: options.target.type,
      mode: options.mode,
    };
    const first = records[0];
    if (options.batchSize === 1 && records.length === 1 && first)
      return { ...common, record: first.record };
    return { ...common, batch: records.map(({ record }) => ({ record })) };
  };

  const sendWithRetries = async (records: PendingRecord[]): Promise<WriteAnswer> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await options.client.write(
          options.target.project,
          options.target.integration,
          options.target.objectName,
          requestBody(records),
          { idempotencyKey: idempotencyKey(records) },
        );
      } catch (error) {
        if (attempt >= maxAttempts || !isRetryable(error)) throw error;
        await abortableSleep(retryDelayMs(attempt));
      }
    }
  };

  /** The operation once finished; undefined when interrupted or when it cannot be read. */
  const waitForOperation = async (operationId: string): Promise<Operation | undefined> => {
    let failedReads = 0;
    for (;;) {
      let operation: Operation;
      try {
        operation = await options.client.getOperation(options.target.project, operationId);
      } catch (error) {
        if (++failedReads >= maxAttempts || !isRetryable(error)) return undefined;
        await abortableSleep(retryDelayMs(failedReads), options.signal);
        continue;
      }
      if (operation.status !== "in_progress") return operation;
      if (options.signal?.aborted) return undefined;
      await abortableSleep(pollIntervalMs, options.signal);
      if (options.signal?.aborted) return undefined;
    }
  };

  const settleFromOperation = (operation: Operation, records: PendingRecord[]) => {
    const fallback = operation.errors?.[0]?.message ?? operation.result ?? "the write failed";
    records.forEach((pending, index) => {
      const result = operation.records.find((record) => record.index === index);
      if (result?.status === "success") progress.succeeded++;
      else fail(pending.line, result?.error ?? fallback, operation.id);
    });
  };

  const settleFromAnswer = async (answer: WriteAnswer, records: PendingRecord[]) => {
    const body = answer.body as unknown as Record<string, unknown>;
    const operationId = typeof body.operationId === "string" ? body.operationId : undefined;
    if (operationId) operationIds.push(operationId);
    progress.sent += records.length;
    if (answer.status === 202 && operationId) {
      if (options.mode === "asynchronous" && !options.waitForOutcome) {
        progress.accepted += records.length;
        return;
      }
      // Accepted is all that is known of records whose operation could not be followed to its end.
      const operation = await waitForOperation(operationId);
      if (operation) settleFromOperation(operation, records);
      else progress.accepted += records.length;
      return;
    }
    const failureCount = typeof body.failureCount === "number" ? body.failureCount : undefined;
    const singleResult = body.result as { success?: boolean } | undefined;
    const allSucceeded =
      failureCount !== undefined ? failureCount === 0 : singleResult?.success === true;
    if (allSucceeded) {
      progress.succeeded += records.length;
      return;
    }
    // The write answer says how many failed; the operation says which and why.
    if (operationId) {
      try {
        settleFromOperation(
          await options.client.getOperation(options.target.project, operationId),
          records,
        );
        return;
      } catch {
        // Fall back to what the write answer itself says.
      }
    }
    const messages =
      (body.errors as Array<{ message: string }> | undefined)?.map((e) => e.message) ?? [];
    const results = body.results as Array<{ success: boolean }> | undefined;
    records.forEach((pending, index) => {
      if (results?.[index]?.success) progress.succeeded++;
      else fail(pending.line, messages.join("; ") || "the write failed", operationId);
    });
  };

  const sendBatch = async (batch: PendingRecord[]): Promise<void> => {
    let records = batch;
    while (records.length > 0) {
      let answer: WriteAnswer;
      try {
        answer = await sendWithRetries(records);
      } catch (error) {
        if (error instanceof WritApiError && error.status === 413 && records.length > 1) {
          const half = Math.ceil(records.length / 2);
          await sendBatch(records.slice(0, half));
          await sendBatch(records.slice(half));
          return;
        }
        const rejected = rejectedRecordIndexes(error, records.length);
        if (rejected) {
          // Writ refused the request for a few records' sake: report those, send the others.
          for (const [index, message] of rejected) {
            const pending = records[index];
            if (pending) fail(pending.line, message);
          }
          records = records.filter((_, index) => !rejected.has(index));
          continue;
        }
        // Nothing of this batch was written; the summary counts it as read but not sent.
        stop(error);
        return;
      }
      await settleFromAnswer(answer, records);
      return;
    }
  };

  /** Sends a batch once a slot is free; false when the run stopped while waiting for one. */
  const launch = async (batch: PendingRecord[]): Promise<boolean> => {
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    if (stopped || options.signal?.aborted) return false;
    const task: Promise<void> = sendBatch(batch)
      // Only an unforeseen error gets here; the run stops rather than guess at records' outcomes.
      .catch((error: unknown) => stop(error))
      .finally(() => {
        inFlight.delete(task);
        report();
      });
    inFlight.add(task);
    return true;
  };

  let interrupted = false;
  let batch: PendingRecord[] = [];
  for await (const item of options.records) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    if (stopped) break;
    progress.read++;
    if ("error" in item) {
      fail(item.line, item.error);
      report();
      continue;
    }
    batch.push({ line: item.line, record: item.record });
    if (batch.length >= options.batchSize) {
      const launched = await launch(batch);
      batch = [];
      if (!launched) break;
    }
  }
  if (batch.length > 0) await launch(batch);
  await Promise.all(inFlight);
  interrupted ||= options.signal?.aborted === true && !stopped;
  report();

  failures.sort((a, b) => a.line - b.line);
  return {
    ...progress,
    operationIds,
    failures,
    elapsedMs: now() - startedAt,
    interrupted,
    ...(stoppedBy !== undefined ? { stoppedBy } : {}),
  };
}

/** Worth trying again with the same Idempotency-Key: nothing was written, or it is safe to ask again. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof WritConnectionError) return true;
  if (!(error instanceof WritApiError)) return false;
  return error.problem.retryable === true || error.status === 429 || error.status >= 500;
}

/**
 * For a 400 whose issues all point at records of the batch (`batch[3].record.id`), the message
 * for each such record; undefined when the request as a whole was refused.
 */
export function rejectedRecordIndexes(
  error: unknown,
  batchLength: number,
): Map<number, string> | undefined {
  if (!(error instanceof WritApiError) || error.status !== 400) return undefined;
  const issues = error.problem.issues ?? [];
  if (issues.length === 0) return undefined;
  const rejected = new Map<number, string>();
  for (const issue of issues) {
    const match = batchIssuePattern.exec(issue.name);
    const index = match ? Number(match[1]) : Number.NaN;
    if (!(index >= 0 && index < batchLength)) return undefined;
    const earlier = rejected.get(index);
    rejected.set(index, earlier ? `${earlier}; ${issue.detail}` : issue.detail);
  }
  return rejected;
}
