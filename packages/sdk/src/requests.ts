import type {
  createApiKeySchema,
  createInstallationSchema,
  createProjectSchema,
  generateConnectionSchema,
  updateConnectionSchema,
  updateInstallationSchema,
  updateProjectSchema,
  writeRequestSchema,
} from "@writ/contracts";
import type { z } from "zod";

/**
 * Request bodies, derived from the API's own schemas so a change to the API breaks the SDK's
 * build rather than its callers. Input types: fields with server-side defaults stay optional.
 */
export type CreateProjectRequest = z.input<typeof createProjectSchema>;
export type UpdateProjectRequest = z.input<typeof updateProjectSchema>;
export type CreateApiKeyRequest = z.input<typeof createApiKeySchema>;
export type GenerateConnectionRequest = z.input<typeof generateConnectionSchema>;
export type UpdateConnectionRequest = z.input<typeof updateConnectionSchema>;
export type CreateInstallationRequest = z.input<typeof createInstallationSchema>;
export type UpdateInstallationRequest = z.input<typeof updateInstallationSchema>;
export type WriteRequestInput = z.input<typeof writeRequestSchema>;

export interface ConnectionFilter {
  groupRef?: string;
  provider?: string;
}

export interface InstallationFilter {
  groupRef?: string;
}

export interface OperationFilter {
  groupRef?: string;
  status?: "in_progress" | "success" | "failure";
  objectName?: string;
  integrationId?: string;
  /** `pagination.nextPageToken` of the previous page. */
  cursor?: string;
  /** Page size, 1 to 500; the server's default is 50. */
  limit?: number;
}

export interface WriteOptions {
  /**
   * Makes retrying safe: the same key with the same body answers the first request's operation
   * instead of writing again (kept at least 24 h). 1 to 255 visible ASCII characters.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}
