import { z } from "zod";
import { configContentSchema } from "./config";
import { rateLimitOverrideSchema } from "./platform";

/**
 * The platform API's response bodies (Ampersand-compatible names where Ampersand has them).
 * Credentials never appear in any of them.
 */

const timestamp = z.iso.datetime({ offset: true });

export const projectSchema = z
  .object({
    id: z.string(),
    name: z.string().describe("Unique, lower-case; usable in place of the id in paths"),
    appName: z.string(),
    webhookUrl: z.string().optional().describe("Where write.async.done notifications go"),
    webhookSecret: z
      .string()
      .optional()
      .describe("The webhook signing secret; only in the answer that first sets a webhookUrl"),
    createTime: timestamp,
    updateTime: timestamp,
  })
  .meta({ id: "Project" });

export const apiKeySchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    label: z.string(),
    keyPrefix: z.string().describe("The first characters of the key, to recognise it"),
    active: z.boolean().describe("False once revoked"),
    scopes: z.array(z.string()),
    createTime: timestamp,
    revokeTime: timestamp.optional(),
  })
  .meta({ id: "ApiKey" });

export const createdApiKeySchema = apiKeySchema
  .extend({ key: z.string().describe("The API key itself; shown in this answer only") })
  .meta({ id: "CreatedApiKey" });

export const revisionSchema = z
  .object({
    id: z.string(),
    specVersion: z.string(),
    createTime: timestamp,
    content: z
      .record(z.string(), z.unknown())
      .describe("The integration as deployed in the amp.yaml manifest"),
  })
  .meta({ id: "Revision" });

export const integrationSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    name: z.string(),
    provider: z.string(),
    createTime: timestamp,
    updateTime: timestamp,
    latestRevision: revisionSchema.optional(),
  })
  .meta({ id: "Integration" });

const groupSchema = z.object({
  groupRef: z.string(),
  groupName: z.string(),
  projectId: z.string(),
  createTime: timestamp,
});

export const connectionSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    provider: z.string(),
    group: groupSchema,
    consumer: z.object({
      consumerRef: z.string(),
      consumerName: z.string(),
      projectId: z.string(),
      createTime: timestamp,
    }),
    providerWorkspaceRef: z.string().optional(),
    instanceUrl: z.string().optional(),
    rateLimit: rateLimitOverrideSchema
      .optional()
      .describe("This connection's own rate limit, replacing the provider's default"),
    authScheme: z.enum(["apiKey", "oauth2/authorizationCode"]),
    status: z
      .enum(["working", "bad_credentials"])
      .describe("bad_credentials once the provider refused them; writes fail until they change"),
    createTime: timestamp,
    updateTime: timestamp,
  })
  .meta({ id: "Connection" });

export const installationSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    integrationId: z.string(),
    group: groupSchema,
    healthStatus: z.enum(["healthy", "unhealthy"]),
    connection: connectionSchema.optional(),
    createTime: timestamp,
    createdBy: z.string(),
    updateTime: timestamp,
    config: z.object({
      id: z.string(),
      revisionId: z.string(),
      createTime: timestamp,
      createdBy: z.string(),
      content: configContentSchema,
    }),
  })
  .meta({ id: "Installation" });

const operationStatusSchema = z.enum(["in_progress", "success", "failure"]);
const writeTypeSchema = z.enum(["create", "update", "delete"]);
const writeModeSchema = z.enum(["synchronous", "asynchronous"]);

export const operationSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    integrationId: z.string(),
    installationId: z.string(),
    configId: z.string(),
    actionType: z.literal("write"),
    status: operationStatusSchema,
    result: z.string().optional().describe("A short account of where the operation is"),
    metadata: z.object({
      objects: z.array(z.string()),
      retry: z.object({ attempts: z.int().min(0), lastAttempt: timestamp.optional() }),
      successfulRecordIds: z.array(z.string()),
    }),
    groupRef: z.string(),
    objectName: z.string(),
    type: writeTypeSchema,
    mode: writeModeSchema,
    isBatch: z.boolean(),
    recordCount: z.int().min(0),
    successCount: z.int().min(0),
    failureCount: z.int().min(0),
    errors: z.array(z.object({ message: z.string() })).optional(),
    attempts: z
      .array(
        z.object({
          at: timestamp,
          error: z.string(),
          code: z.string().optional(),
          status: z.int().optional(),
          disposition: z.string(),
        }),
      )
      .describe("Each failed attempt that was retried"),
    records: z.array(
      z.object({
        index: z.int().min(0),
        status: z.enum(["pending", "success", "failure"]),
        recordId: z.string().optional().describe("The provider's ID of the record"),
        error: z.string().optional(),
        data: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
    traceId: z.string().optional().describe("The OpenTelemetry trace of the write"),
    deadlineTime: timestamp.describe("Retries stop at this time"),
    createTime: timestamp,
    updateTime: timestamp,
    finishTime: timestamp.optional(),
  })
  .meta({ id: "Operation", description: "One write request and each record's outcome" });

export const operationSummarySchema = z
  .object({
    id: z.string(),
    integrationId: z.string(),
    installationId: z.string(),
    groupRef: z.string(),
    objectName: z.string(),
    type: writeTypeSchema,
    mode: writeModeSchema,
    status: operationStatusSchema,
    result: z.string().optional(),
    recordCount: z.int().min(0),
    successCount: z.int().min(0),
    failureCount: z.int().min(0),
    attempts: z.int().min(0),
    createTime: timestamp,
    finishTime: timestamp.optional(),
  })
  .meta({ id: "OperationSummary" });

export const operationPageSchema = z
  .object({
    operations: z.array(operationSummarySchema),
    pagination: z.object({
      done: z.boolean(),
      nextPageToken: z.string().optional().describe("Pass as `cursor` for the next page"),
    }),
  })
  .meta({ id: "OperationPage" });
