import { z } from "zod";
import { configContentSchema } from "./config";

/** Request bodies of the platform API (projects, keys, integrations, connections, installations). */

export const projectNameSchema = z
  .string()
  .min(2)
  .max(128)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/, "letters, digits and inner hyphens only");

export const createProjectSchema = z.strictObject({
  name: projectNameSchema,
  appName: z.string().min(1).max(128).optional(),
});

export const updateProjectSchema = z.strictObject({
  appName: z.string().min(1).max(128).optional(),
  /** Where write.async.done notifications are POSTed; null turns them off. */
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .optional(),
});

export const createApiKeySchema = z.strictObject({
  label: z.string().min(1).max(200),
});

export const deployManifestSchema = z.strictObject({
  sourceYaml: z.string().min(1),
});

const tokenSchema = z.strictObject({
  token: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  issuedAt: z.iso.datetime({ offset: true }).optional(),
});

export const oauth2AuthorizationCodeSchema = z.strictObject({
  accessToken: tokenSchema,
  refreshToken: tokenSchema.optional(),
  scopes: z.array(z.string()).optional(),
  /** Writ needs the OAuth app's client credentials to refresh tokens on the customer's behalf. */
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
});

export const rateLimitOverrideSchema = z
  .strictObject({
    requests: z.int().min(1),
    intervalMs: z.int().min(100),
    maxConcurrent: z.int().min(1).nullable().optional(),
    daily: z.int().min(1).nullable().optional(),
  })
  .meta({ id: "RateLimitOverride" });

const credentialFields = {
  apiKey: z.string().min(1).optional(),
  oauth2AuthorizationCode: oauth2AuthorizationCodeSchema.optional(),
};

export const generateConnectionSchema = z
  .strictObject({
    groupRef: z.string().min(1),
    groupName: z.string().min(1).optional(),
    consumerRef: z.string().min(1),
    consumerName: z.string().min(1).optional(),
    provider: z.string().min(1),
    providerWorkspaceRef: z.string().optional(),
    /** Salesforce instance URL (https://yourorg.my.salesforce.com) or another base URL override. */
    instanceUrl: z.url().optional(),
    rateLimit: rateLimitOverrideSchema.optional(),
    ...credentialFields,
  })
  .superRefine(
    (body, ctx) => {
      const given = [body.apiKey, body.oauth2AuthorizationCode].filter((v) => v !== undefined);
      if (given.length !== 1) {
        ctx.addIssue({
          code: "custom",
          path: ["apiKey"],
          message: "give exactly one credential: apiKey or oauth2AuthorizationCode",
        });
      }
    },
    // Run even when other fields failed, so one response lists every problem.
    { when: (payload) => isObject(payload.value) },
  );

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const updateConnectionSchema = z.strictObject({
  updateMask: z
    .array(
      z.enum([
        "apiKey",
        "oauth2AuthorizationCode",
        "providerWorkspaceRef",
        "instanceUrl",
        "rateLimit",
      ]),
    )
    .min(1),
  connection: z.strictObject({
    providerWorkspaceRef: z.string().optional(),
    instanceUrl: z.url().optional(),
    rateLimit: rateLimitOverrideSchema.nullable().optional(),
    ...credentialFields,
  }),
});

export const createInstallationSchema = z.strictObject({
  groupRef: z.string().min(1),
  connectionId: z.string().min(1),
  config: z.strictObject({
    revisionId: z.string().min(1).optional(),
    createdBy: z.string().optional(),
    content: configContentSchema,
  }),
});

export const installationUpdateMaskSchema = z
  .string()
  .regex(
    /^(connectionId|config\.createdBy|config\.content\.(read|write|subscribe)\.objects(\.[^.]+)?|config\.content\.proxy\.enabled)$/,
    "not an updatable path (see the updateMask documentation)",
  );

export const updateInstallationSchema = z.strictObject({
  updateMask: z.array(installationUpdateMaskSchema).min(1),
  installation: z.strictObject({
    connectionId: z.string().optional(),
    config: z
      .strictObject({
        revisionId: z.string().optional(),
        createdBy: z.string().optional(),
        content: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
  }),
});

export const listQuerySchema = z.object({
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export type CreateProject = z.infer<typeof createProjectSchema>;
export type GenerateConnection = z.infer<typeof generateConnectionSchema>;
export type UpdateConnection = z.infer<typeof updateConnectionSchema>;
export type CreateInstallation = z.infer<typeof createInstallationSchema>;
export type UpdateInstallation = z.infer<typeof updateInstallationSchema>;
export type RateLimitOverride = z.infer<typeof rateLimitOverrideSchema>;
