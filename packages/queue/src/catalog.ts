import { providerNames } from "@writ/contracts";
import type { JobsOptions } from "bullmq";
import { z } from "zod";

/**
 * The job catalog: the one contract between the API (producer) and the workers (consumers).
 * Each job has a queue, a name, a zod schema of its payload and its default options; both sides
 * derive their types from here.
 */

export const writeJobSchema = z.object({
  operationId: z.string(),
  projectId: z.string(),
  integrationId: z.string(),
  installationId: z.string(),
  configId: z.string(),
  connectionId: z.string(),
  provider: z.enum(providerNames),
  groupRef: z.string(),
  objectName: z.string(),
  type: z.enum(["create", "update", "delete"]),
  mode: z.enum(["synchronous", "asynchronous"]),
  isBatch: z.boolean(),
  allOrNone: z.boolean(),
  records: z.array(
    z.object({
      index: z.int(),
      record: z.record(z.string(), z.unknown()),
      associations: z.array(z.unknown()).optional(),
    }),
  ),
  headers: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
  /** Epoch ms after which retries stop and the operation fails with its last error. */
  deadlineAt: z.number(),
  acceptedAt: z.number(),
  idempotency: z
    .object({ key: z.string(), fingerprint: z.string(), expiresAt: z.number() })
    .optional(),
  /**
   * Set on the single writes one auto-batch flush hands to the queue together: how many left in
   * that flush, so a worker holds the first ones briefly and sends them as one batch call instead
   * of letting the first go alone (see the worker's dispatcher).
   */
  coalesce: z.object({ group: z.string(), size: z.int().min(2) }).optional(),
  /** W3C trace context of the request that produced the job. */
  trace: z.object({ traceparent: z.string(), tracestate: z.string().optional() }).optional(),
  /** The request as accepted, minus records: kept on the operation for replay and audit. */
  request: z.record(z.string(), z.unknown()),
});

export type WriteJob = z.infer<typeof writeJobSchema>;

/** What a finished write job returns: the HTTP answer a synchronous caller gets. */
export const writeJobResultSchema = z.object({
  status: z.enum(["success", "failure"]),
  httpStatus: z.int(),
  body: z.unknown(),
});
export type WriteJobResult = z.infer<typeof writeJobResultSchema>;

export const jobCatalog = {
  write: {
    queue: "writes",
    name: "write",
    schema: writeJobSchema,
    options: {
      // Retries are driven by the worker against the operation's own deadline (see the worker's
      // retry policy); the attempt cap here only backstops a job that keeps crashing the process.
      attempts: 200,
      backoff: { type: "writ" },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    } satisfies JobsOptions,
  },
} as const;
