import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import type { IServerAdapter } from "@bull-board/api/typings/app";
import type { WriteQueue } from "./writeQueue";

/** The web framework side of the dashboard (Bull Board's server adapter, e.g. its Express one). */
export type QueueDashboardServer = IServerAdapter;

export interface QueueDashboardOptions {
  server: QueueDashboardServer;
  writes: WriteQueue;
  /**
   * Default true: operators can look but not retry, promote, clean or add jobs. Turning it off
   * lets anyone holding the admin token change what the workers do.
   */
  readOnly?: boolean;
}

/**
 * Bull Board over the write queue. Job payloads and return values are shown with their shape
 * (field names, ids, outcome) but without record values or credentials: the dashboard is for
 * following jobs, the operation endpoint is where a project reads what was written.
 */
export function mountQueueDashboard(options: QueueDashboardOptions): void {
  const writes = new BullMQAdapter(options.writes.queue, {
    readOnlyMode: options.readOnly ?? true,
  });
  writes.setFormatter("data", redactWriteJobData);
  writes.setFormatter("returnValue", redactWriteJobResult);
  createBullBoard({ queues: [writes], serverAdapter: options.server });
}

export const redactedValue = "[redacted]";

/** Same shape, every leaf replaced: field names stay readable, values do not. */
export function redactValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValues);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactValues(item)]),
    );
  }
  return redactedValue;
}

// Write job fields that are ids, enums, numbers or timestamps: safe to show as they are.
// Anything not listed (the request, fields added later) is redacted by default.
const visibleJobFields = new Set([
  "operationId",
  "projectId",
  "integrationId",
  "installationId",
  "configId",
  "connectionId",
  "provider",
  "groupRef",
  "objectName",
  "type",
  "mode",
  "isBatch",
  "allOrNone",
  "deadlineAt",
  "acceptedAt",
  "trace",
  "idempotency",
  "coalesce",
]);

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A write job payload (catalog.ts) for display: record, association and header values hidden. */
export function redactWriteJobData(data: unknown): unknown {
  const job = asObject(data);
  if (!job) return redactValues(data);
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(job)) {
    if (visibleJobFields.has(key)) shown[key] = value;
    else if (key === "records" && Array.isArray(value)) {
      shown.records = value.map((item) => {
        const record = asObject(item);
        if (!record) return redactValues(item);
        return Object.fromEntries(
          Object.entries(record).map(([field, inner]) => [
            field,
            field === "index" ? inner : redactValues(inner),
          ]),
        );
      });
    } else if (key === "headers" && Array.isArray(value)) {
      shown.headers = value.map((header) => {
        const entry = asObject(header);
        return entry && typeof entry.key === "string"
          ? { key: entry.key, value: redactedValue }
          : redactValues(header);
      });
    } else shown[key] = redactValues(value);
  }
  return shown;
}

// Keys of a write's answer (contracts' writeHttpAnswer) whose values are outcome, not content.
const visibleResultFields = new Set([
  "status",
  "httpStatus",
  "operationId",
  "success",
  "recordId",
  "successCount",
  "failureCount",
  "message",
]);

/** A write job's return value for display: provider record `data` hidden, outcome kept. */
export function redactWriteJobResult(value: unknown): unknown {
  if (value === undefined || value === null) return value;
  return redactResultNode(value);
}

function redactResultNode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactResultNode);
  const object = asObject(value);
  if (!object) return redactedValue;
  return Object.fromEntries(
    Object.entries(object).map(([key, item]) => {
      if (key === "data") return [key, redactValues(item)];
      if (item !== null && typeof item === "object") return [key, redactResultNode(item)];
      return [key, visibleResultFields.has(key) ? item : redactedValue];
    }),
  );
}
