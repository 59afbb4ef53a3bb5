import type {
  ConfigContent,
  WriteResponseBatch,
  WriteResponseSingleFail,
  WriteResponseSingleSuccess,
} from "@writ/contracts";

/** What the API answers, as the SDK's callers see it (Ampersand-compatible where Ampersand has one). */

export interface Project {
  id: string;
  name: string;
  appName: string;
  webhookUrl?: string;
  createTime: string;
  updateTime: string;
}

/** The answer to updating a project: the signing secret appears once, when a webhook is first set. */
export interface UpdatedProject extends Project {
  webhookSecret?: string;
}

export interface ApiKey {
  id: string;
  projectId: string;
  label: string;
  /** The first characters of the key, to tell keys apart without revealing them. */
  keyPrefix: string;
  active: boolean;
  scopes: string[];
  createTime: string;
  revokeTime?: string;
}

/** A new key: `key` is in this answer only; Writ keeps just its hash. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface Revision {
  id: string;
  specVersion: string;
  createTime: string;
  /** The integration as validated from the manifest (name, provider, write/read objects, ...). */
  content: IntegrationContent;
}

export interface IntegrationContent {
  name?: string;
  provider?: string;
  write?: { objects?: Array<{ objectName: string; inheritMapping?: boolean }> };
  read?: { objects?: Array<{ objectName: string }> };
  [key: string]: unknown;
}

export interface Integration {
  id: string;
  projectId: string;
  name: string;
  provider: string;
  createTime: string;
  updateTime: string;
  latestRevision?: Revision;
}

export interface Group {
  groupRef: string;
  groupName: string;
  projectId: string;
  createTime: string;
}

export interface Consumer {
  consumerRef: string;
  consumerName: string;
  projectId: string;
  createTime: string;
}

/** A customer's credentials for one provider. The credentials themselves are never returned. */
export interface Connection {
  id: string;
  projectId: string;
  provider: string;
  group: Group;
  consumer: Consumer;
  providerWorkspaceRef?: string;
  instanceUrl?: string;
  rateLimit?: {
    requests: number;
    intervalMs: number;
    maxConcurrent?: number | null;
    daily?: number | null;
  };
  authScheme: string;
  status: string;
  createTime: string;
  updateTime: string;
}

export interface InstallationConfig {
  id: string;
  revisionId: string;
  createTime: string;
  createdBy: string;
  content: ConfigContent;
}

export interface Installation {
  id: string;
  projectId: string;
  integrationId: string;
  group: Group;
  healthStatus: "healthy" | "unhealthy";
  connection?: Connection;
  createTime: string;
  createdBy: string;
  updateTime: string;
  config: InstallationConfig;
}

export type OperationStatus = "in_progress" | "success" | "failure";
export type RecordStatus = "pending" | "success" | "failure";

/** One provider call that did not settle the operation, and what Writ decided to do next. */
export interface OperationAttempt {
  at: string;
  error: string;
  code?: string;
  status?: number;
  disposition: string;
}

export interface OperationRecordResult {
  /** Position of the record in the request (0 for a single-record write). */
  index: number;
  status: RecordStatus;
  /** The provider's ID of the record written. */
  recordId?: string;
  error?: string;
  data?: Record<string, unknown>;
}

/** Ampersand's Operation, plus Writ's per-record results. */
export interface Operation {
  id: string;
  projectId: string;
  integrationId: string;
  installationId: string;
  configId: string;
  actionType: "write";
  status: OperationStatus;
  result?: string;
  metadata: {
    objects: string[];
    retry: { attempts: number; lastAttempt?: string };
    successfulRecordIds: string[];
  };
  groupRef: string;
  objectName: string;
  type: string;
  mode: string;
  isBatch: boolean;
  recordCount: number;
  successCount: number;
  failureCount: number;
  errors?: Array<{ message: string }>;
  attempts: OperationAttempt[];
  records: OperationRecordResult[];
  traceId?: string;
  deadlineTime: string;
  createTime: string;
  updateTime: string;
  finishTime?: string;
}

/** An operation as listed: counts without per-record detail. */
export interface OperationSummary {
  id: string;
  integrationId: string;
  installationId: string;
  groupRef: string;
  objectName: string;
  type: string;
  mode: string;
  status: OperationStatus;
  result?: string;
  recordCount: number;
  successCount: number;
  failureCount: number;
  attempts: number;
  createTime: string;
  finishTime?: string;
}

export interface OperationPage {
  /** Newest first. */
  operations: OperationSummary[];
  pagination: { done: boolean; nextPageToken?: string };
}

/** The answer to an asynchronous write (or a synchronous one that outlived the server's wait). */
export interface WriteAccepted {
  operationId: string;
}

/** The answer to a dry run: what would be sent to the provider, and why each field is there. */
export interface DryRunResponse {
  dryRun: true;
  provider: string;
  objectName: string;
  type: string;
  records: Array<{
    index: number;
    recordId?: string;
    payload: Record<string, unknown>;
    fields: unknown;
    needsCurrentValues: boolean;
  }>;
}

export type { WriteResponseBatch, WriteResponseSingleFail, WriteResponseSingleSuccess };

export type WriteResponse =
  | WriteResponseSingleSuccess
  | WriteResponseSingleFail
  | WriteResponseBatch
  | WriteAccepted
  | DryRunResponse;

/**
 * A write's HTTP answer. 200: written; 422 (with `operationId`): the provider refused; 202: accepted,
 * follow `location` (or `getOperation`) for the outcome.
 */
export interface WriteAnswer {
  status: number;
  body: WriteResponse;
  /** Where the operation's status can be read. */
  location?: string;
  /** True when the server answered from an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}
