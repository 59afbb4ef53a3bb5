import { z } from "zod";

/** Ampersand's WriteRequest (specs/ampersand/api_write.yaml), plus Writ's `dryRun`. */

export const maxBatchRecords = 100;

const recordSchema = z.record(z.string(), z.unknown());
const associationsSchema = z.array(z.record(z.string(), z.unknown()));

export const writeRequestSchema = z
  .object({
    groupRef: z
      .string()
      .min(1)
      .describe(
        "The customer group whose SaaS account is written to (its installation's groupRef)",
      ),
    type: z.enum(["create", "update", "delete"]),
    mode: z
      .enum(["synchronous", "asynchronous"])
      .default("synchronous")
      .describe("synchronous answers the outcome; asynchronous answers 202 at once"),
    record: recordSchema
      .optional()
      .describe("One record; for update and delete, `id` is the provider's record ID"),
    batch: z
      .array(z.object({ record: recordSchema, associations: associationsSchema.optional() }))
      .min(1)
      .max(maxBatchRecords)
      .optional()
      .describe("1 to 100 records in one request (create and update), instead of `record`"),
    batchPolicy: z
      .object({
        allOrNone: z
          .boolean()
          .default(false)
          .describe("When true, the whole batch fails if any record fails"),
      })
      .optional(),
    associations: associationsSchema
      .optional()
      .describe("HubSpot associations of the single record"),
    headers: z
      .array(z.object({ key: z.string().min(1), value: z.string() }))
      .optional()
      .describe("Headers forwarded to Salesforce (e.g. Sforce-Duplicate-Rule-Header)"),
    retryPolicy: z
      .object({
        deadlineHours: z
          .int()
          .min(1)
          .max(48)
          .default(1)
          .describe("How long transient failures are retried"),
      })
      .optional(),
    autoBatchPolicy: z
      .object({
        maxDelayMinutes: z
          .int()
          .min(1)
          .max(1440)
          .describe("Longest a record waits for others to fill a batch"),
        retryDeadlineHours: z.int().min(1).max(48).default(1),
      })
      .optional()
      .describe("Group asynchronous single-record writes into provider batch calls"),
    dryRun: z
      .boolean()
      .optional()
      .describe("Writ extension: answer the provider payload and field plan without writing"),
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
  )
  .meta({ id: "WriteRequest" });

export type WriteRequest = z.infer<typeof writeRequestSchema>;
export type WriteType = WriteRequest["type"];

/** One record's outcome, Ampersand's `WriteResult`. */
export const writeResultSchema = z
  .strictObject({
    success: z.boolean().describe("Whether the record was written"),
    recordId: z
      .string()
      .optional()
      .describe("The provider's ID of the record; present on a successful create or update"),
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("What the provider answered about the record, when it answers with data"),
  })
  .meta({ id: "WriteResult" });

const writeMessageSchema = z.object({ message: z.string() });

export const writeResponseSingleSuccessSchema = z
  .strictObject({
    operationId: z.string().describe("The operation ID; poll it at /operations/{operationId}"),
    result: writeResultSchema
      .optional()
      .describe("The record's outcome; present when the write finished synchronously"),
  })
  .meta({ id: "WriteResponseSingleSuccess", description: "A single record written (200)" });

export const writeResponseSingleFailSchema = z
  .strictObject({
    operationId: z.string(),
    errors: z.array(writeMessageSchema).describe("Why the write failed, as the provider said it"),
    result: writeResultSchema.extend({ success: z.literal(false) }).optional(),
    rawResponse: z.string().optional().describe("The provider's raw answer, when available"),
    warnings: z.array(writeMessageSchema).optional(),
  })
  .meta({
    id: "WriteResponseSingleFail",
    description: "A single record the provider refused (422)",
  });

export const writeResponseBatchSchema = z
  .strictObject({
    operationId: z.string(),
    successCount: z.int().min(0).describe("Number of records written"),
    failureCount: z.int().min(0).describe("Number of records that failed"),
    results: z.array(writeResultSchema).optional().describe("Per-record outcomes, in batch order"),
    errors: z
      .array(writeMessageSchema)
      .optional()
      .describe("Errors about the whole batch, then each failed record's, if any"),
  })
  .meta({
    id: "WriteResponseBatch",
    description: "A batch's outcome: 200 when any record succeeded, 422 when none did",
  });

/** Writ's answer to an accepted asynchronous write (or a synchronous one that outlived its wait). */
export const acceptedResponseSchema = z
  .strictObject({
    operationId: z.string().describe("Follow the Location header for the outcome"),
  })
  .meta({ id: "WriteAccepted", description: "The write is queued (202)" });

/** Writ's answer to replaying a failed operation: a new asynchronous operation. */
export const replayAcceptedResponseSchema = acceptedResponseSchema
  .extend({
    replayOf: z.string().describe("The failed operation whose failed records are written again"),
    recordCount: z.int().min(0).describe("How many records the new operation writes"),
  })
  .meta({ id: "ReplayAccepted", description: "The replay is queued (202)" });

/** Writ's answer to `dryRun: true`: what would be sent to the provider, field by field. */
export const writeDryRunResponseSchema = z
  .strictObject({
    dryRun: z.literal(true),
    provider: z.string(),
    objectName: z.string(),
    type: z.enum(["create", "update", "delete"]),
    records: z.array(
      z.object({
        index: z.int().min(0),
        recordId: z.string().optional(),
        payload: z
          .record(z.string(), z.unknown())
          .describe("The body that would be sent, keyed by provider field names"),
        fields: z.array(
          z.object({
            field: z.string(),
            providerField: z.string().optional(),
            action: z.enum(["kept", "defaulted", "renamed", "dropped", "awaitingCurrentValue"]),
            reason: z.string(),
          }),
        ),
        needsCurrentValues: z
          .array(z.string())
          .describe("Provider fields whose current values decide `ifEmpty` settings"),
      }),
    ),
  })
  .meta({ id: "WriteDryRun", description: "The field plan and payload of a dry run (200)" });

export type WriteResult = z.infer<typeof writeResultSchema>;
export type WriteResponseSingleSuccess = z.infer<typeof writeResponseSingleSuccessSchema>;
export type WriteResponseSingleFail = z.infer<typeof writeResponseSingleFailSchema>;
export type WriteResponseBatch = z.infer<typeof writeResponseBatchSchema>;
export type WriteAccepted = z.infer<typeof acceptedResponseSchema>;
export type WriteDryRunResponse = z.infer<typeof writeDryRunResponseSchema>;
