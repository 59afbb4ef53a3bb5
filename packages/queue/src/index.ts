export type { Redis } from "ioredis";
export { AutoBatcher, autoBatchSize, createAutoBatchFlushWorker } from "./autoBatch";
export {
  jobCatalog,
  type WriteJob,
  type WriteJobResult,
  writeJobResultSchema,
  writeJobSchema,
} from "./catalog";
export { createRedis, normaliseQueuePrefix, type RedisConnection } from "./connection";
export {
  mountQueueDashboard,
  type QueueDashboardOptions,
  type QueueDashboardServer,
  redactedValue,
  redactValues,
  redactWriteJobData,
  redactWriteJobResult,
} from "./dashboard";
export { type IdempotencyBegin, IdempotencyStore } from "./idempotency";
export {
  createInvalidationBus,
  type InvalidationBus,
  type InvalidationEvent,
  invalidationEventSchema,
} from "./invalidation";
export { writeJobSpanAttributes } from "./jobTracing";
export { withRedisLock } from "./lock";
export { ConnectionRateLimiter, type RequestBudget } from "./rateLimiter";
export {
  type QueueCounts,
  type WriteJobState,
  type WriteJobView,
  WriteQueue,
} from "./writeQueue";
export {
  createWriteWorker,
  PermanentJobError,
  RetryLaterError,
  type WriteJobContext,
  type WriteWorkerOptions,
} from "./writeWorker";
export {
  onWriteCompleted,
  onWriteFailed,
  onWriteRetried,
  type WriteWorker,
} from "./writeWorkerEvents";
