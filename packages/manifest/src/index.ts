export { formatPath, formatProblem } from "./formatProblem";
export type {
  Backfill,
  Delivery,
  IntegrationField,
  IntegrationFieldExistent,
  IntegrationFieldMapping,
  IntegrationManifest,
  Manifest,
  ProxyAction,
  ReadObject,
  SubscribeObject,
  WatchSchema,
  WriteObject,
} from "./manifest";
export { type ParseResult, parseManifest, supportedSpecVersion } from "./parseManifest";
export type {
  ManifestProblem,
  ManifestProblemCode,
  ProblemPath,
  ProblemSeverity,
} from "./problems";
