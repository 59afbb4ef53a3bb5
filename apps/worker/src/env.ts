import { z } from "zod";

const optionalUrl = z.url().optional();

/** The worker's whole configuration, parsed once at start-up. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().default("postgresql://postgres@127.0.0.1:5432/writ"),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  WRIT_QUEUE_PREFIX: z.string().default("{writ}"),
  WRIT_ENCRYPTION_KEY: z.string().optional(),
  /**
   * Jobs one worker process runs at once. Provider calls are I/O-bound and a job waiting for its
   * connection's rate limit costs almost nothing, so this is far above the core count; it also
   * caps how many single writes one process can coalesce into a batch call (HubSpot takes 100,
   * Salesforce 200 per call).
   */
  WRIT_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(200),
  WRIT_CACHE_TTL_MS: z.coerce.number().int().min(100).default(30_000),
  /**
   * Upper bound on any operation's retry window, whatever deadline its request asked for
   * (retryPolicy.deadlineHours). Unset: the request's deadline alone decides.
   */
  WRIT_MAX_RETRY_WINDOW_MS: z.coerce.number().int().min(1).optional(),
  /** Per provider call. */
  WRIT_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Provider endpoint overrides (a proxy, or the local sandbox). */
  WRIT_PROVIDER_BASE_URL_HUBSPOT: optionalUrl,
  WRIT_PROVIDER_BASE_URL_SALESFORCE: optionalUrl,
  WRIT_PROVIDER_TOKEN_URL_HUBSPOT: optionalUrl,
  WRIT_PROVIDER_TOKEN_URL_SALESFORCE: optionalUrl,
  /**
   * On SIGTERM, how long active jobs may take to finish. Past it the worker stops anyway: jobs
   * still running go back to the queue once their locks lapse and a stalled check notices (30 to
   * 60 s with BullMQ's defaults), and another worker resumes them, at the cost of repeating a
   * provider call that was in flight.
   */
  WRIT_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  /** Port for /healthz, /readyz and /metrics; 0 picks a free one, unset disables it. */
  WRIT_WORKER_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** OTLP/HTTP collector base URL (protobuf spans go to `<url>/v1/traces`); tracing is off when unset. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** `service.name` of this process's spans; defaults to writ-worker. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type WorkerEnv = z.infer<typeof envSchema>;

export function parseWorkerEnv(
  source: Record<string, string | undefined> = process.env,
): WorkerEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid environment:\n${lines.join("\n")}`);
  }
  if (parsed.data.NODE_ENV === "production" && !parsed.data.WRIT_ENCRYPTION_KEY) {
    throw new Error("invalid environment:\n  WRIT_ENCRYPTION_KEY: required in production");
  }
  return parsed.data;
}
