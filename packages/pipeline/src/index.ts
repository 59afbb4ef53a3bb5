export { PipelineInputError, type PipelineInputErrorCode } from "./errors";
export {
  fieldsNeedingCurrentValues,
  isDeletionEnabled,
  type PlanWriteInput,
  planWrite,
} from "./planWrite";
export type {
  FieldAction,
  FieldDefault,
  FieldPlanAction,
  FieldPlanEntry,
  FieldSetting,
  LegacyValueDefault,
  ReadObjectConfig,
  WriteObjectConfig,
  WritePlan,
  WriteType,
} from "./types";
export { type FieldSettingsIssue, validateFieldSettings } from "./validateFieldSettings";
