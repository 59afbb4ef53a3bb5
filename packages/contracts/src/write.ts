import { z } from "zod";

/** Ampersand's WriteRequest (specs/ampersand/api_write.yaml), plus Writ's `dryRun`. */

export const maxBatchRecords = 100;

const recordSchema = z.record(z.string(), z.unknown());
const associationsSchema = z.array(z.record(z.string(), z.unknown()));

export const writeRequestSchema = z
  .object({
    groupRef: z.string().min(1),
    type: z.enum(["create", "update", "delete"]),
    mode: z.enum(["synchronous", "asynchronous"]).default("synchronous"),
    record: recordSchema.optional(),
    batch: z
      .array(z.object({ record: recordSchema, associations: associationsSchema.optional() }))
      .min(1)
      .max(maxBatchRecords)
      .optional(),
    batchPolicy: z.object({ allOrNone: z.boolean().default(false) }).optional(),
    associations: associationsSchema.optional(),
    headers: z.array(z.object({ key: z.string().min(1), value: z.string() })).optional(),
    retryPolicy: z.object({ deadlineHours: z.int().min(1).max(48).default(1) }).optional(),
    autoBatchPolicy: z
      .object({
        maxDelayMinutes: z.int().min(1).max(1440),
        retryDeadlineHours: z.int().min(1).max(48).default(1),
      })
      .optional(),
    /** Writ extension: answer the provider payload and field plan without writing. */
    dryRun: z.boolean().optional(),
  })
  .superRefine(
    (body, ctx) => {
      if (body.record === undefined && body.batch === undefined) {
        ctx.addIssue({ code: "custom", path: ["record"], message: "send either record or batch" });
      }
      if (body.record !== undefined && body.batch !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["batch"],
          message: "send either record or batch, not both",
        });
      }
      if (body.type !== "create") {
        const missing = (record: Record<string, unknown>) =>
          typeof record.id !== "string" || record.id.length === 0;
        if (body.record && typeof body.record === "object" && missing(body.record)) {
          ctx.addIssue({
            code: "custom",
            path: ["record", "id"],
            message: `record.id (the provider's record ID) is required for ${body.type}`,
          });
        }
        (Array.isArray(body.batch) ? body.batch : []).forEach((item, index) => {
          if (item && typeof item.record === "object" && missing(item.record)) {
            ctx.addIssue({
              code: "custom",
              path: ["batch", index, "record", "id"],
              message: `record.id (the provider's record ID) is required for ${body.type}`,
            });
          }
        });
      }
      if (body.type === "delete" && body.batch !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["batch"],
          message: "batch is supported for create and update only",
        });
      }
      if (body.autoBatchPolicy && (body.mode !== "asynchronous" || body.batch !== undefined)) {
        ctx.addIssue({
          code: "custom",
          path: ["autoBatchPolicy"],
          message: "autoBatchPolicy applies to asynchronous single-record writes only",
        });
      }
    },
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

export type WriteRequest = z.infer<typeof writeRequestSchema>;
export type WriteType = WriteRequest["type"];

export interface WriteResult {
  success: boolean;
  recordId?: string;
  data?: Record<string, unknown>;
}

export interface WriteResponseSingleSuccess {
  operationId: string;
  result: WriteResult;
}

export interface WriteResponseSingleFail {
  operationId: string;
  errors: Array<{ message: string }>;
  result: { success: false };
}

export interface WriteResponseBatch {
  operationId: string;
  successCount: number;
  failureCount: number;
  results?: WriteResult[];
  errors?: Array<{ message: string }>;
}
