import type {
  acceptedResponseSchema,
  apiKeySchema,
  connectionSchema,
  createdApiKeySchema,
  installationSchema,
  integrationSchema,
  operationPageSchema,
  operationSchema,
  operationSummarySchema,
  projectSchema,
  revisionSchema,
  WriteResponseBatch,
  WriteResponseSingleFail,
  WriteResponseSingleSuccess,
  writeDryRunResponseSchema,
} from "@writ/contracts";
import type { z } from "zod";

/**
 * What the API answers, as the SDK's callers see it: the API's own response schemas (the same
 * ones its OpenAPI document is generated from), so the SDK cannot drift from the server.
 */

export type Project = z.output<typeof projectSchema>;
/** The answer to updating a project: the signing secret appears once, when a webhook is first set. */
export type UpdatedProject = Project;
export type ApiKey = z.output<typeof apiKeySchema>;
/** A new key: `key` is in this answer only; Writ keeps just its hash. */
export type CreatedApiKey = z.output<typeof createdApiKeySchema>;
/**
 * The integration as validated from the manifest (name, provider, write/read objects, ...). The
 * API's schema leaves it an open record; these are the parts an application reads.
 */
export interface IntegrationContent {
  name?: string;
  provider?: string;
  write?: { objects?: Array<{ objectName: string; inheritMapping?: boolean }> };
  read?: { objects?: Array<{ objectName: string }> };
  [key: string]: unknown;
}
export type Revision = Omit<z.output<typeof revisionSchema>, "content"> & {
  content: IntegrationContent;
};
export type Integration = Omit<z.output<typeof integrationSchema>, "latestRevision"> & {
  latestRevision?: Revision;
};
/** A customer's credentials for one provider. The credentials themselves are never returned. */
export type Connection = z.output<typeof connectionSchema>;
export type Group = Connection["group"];
export type Consumer = Connection["consumer"];
export type Installation = z.output<typeof installationSchema>;
export type InstallationConfig = Installation["config"];

/** Ampersand's Operation, plus Writ's per-record results. */
export type Operation = z.output<typeof operationSchema>;
export type OperationStatus = Operation["status"];
/** One provider call that did not settle the operation, and what Writ decided to do next. */
export type OperationAttempt = Operation["attempts"][number];
export type OperationRecordResult = Operation["records"][number];
export type RecordStatus = OperationRecordResult["status"];
/** An operation as listed: counts without per-record detail. */
export type OperationSummary = z.output<typeof operationSummarySchema>;
export type OperationPage = z.output<typeof operationPageSchema>;

/** The answer to an asynchronous write (or a synchronous one that outlived the server's wait). */
export type WriteAccepted = z.output<typeof acceptedResponseSchema>;
/** The answer to a dry run: what would be sent to the provider, and why each field is there. */
export type DryRunResponse = z.output<typeof writeDryRunResponseSchema>;

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
