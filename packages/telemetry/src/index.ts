export {
  createLogger,
  type Logger,
  type LoggerOptions,
  type OperationLogBindings,
  operationBindings,
  redactedPaths,
} from "./logger";
export {
  createMetrics,
  observeRateLimitWait,
  type QueueJobState,
  queueJobStates,
  type WriteMetricLabels,
  type WriteOutcome,
  WritMetrics,
} from "./metrics";
