export type PipelineInputErrorCode =
  | "missing_record_id"
  | "deletion_disabled"
  | "conflicting_provider_field";

/**
 * The record or the config cannot produce a write. Retrying cannot help, so callers treat it
 * as a permanent failure of that record; the message names fields but never their values.
 */
export class PipelineInputError extends Error {
  override readonly name = "PipelineInputError";
  readonly code: PipelineInputErrorCode;

  constructor(code: PipelineInputErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
