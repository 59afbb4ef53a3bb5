import { z } from "zod";

/** The API's whole configuration, parsed once at start-up: a typo fails here, not mid-request. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().default("postgresql://postgres@127.0.0.1:5432/writ"),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  WRIT_QUEUE_PREFIX: z.string().default("{writ}"),
  WRIT_ADMIN_TOKEN: z
    .string()
    .min(16, "WRIT_ADMIN_TOKEN must be at least 16 characters")
    .optional(),
  /** Lets the queue dashboard (/admin/queues) retry, promote and clean jobs; read-only by default. */
  WRIT_DASHBOARD_WRITE: z.stringbool().default(false),
  /** 32 bytes, base64 or hex. Required in production; development keeps one in .writ/. */
  WRIT_ENCRYPTION_KEY: z.string().optional(),
  /** Largest accepted request body. */
  WRIT_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /**
   * Bytes of large request bodies (64 KiB and up: batches) one process works on at once; more
   * wait their turn unread, and get 503 after 10 s. Bounds the API's memory under heavy batch
   * load; never less than WRIT_MAX_BODY_BYTES. Sized for the deployed 128 MB heap cap: raise the
   * cap (--max-old-space-size) before raising this.
   */
  WRIT_MAX_IN_FLIGHT_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(8 * 1_048_576),
  /** How long a synchronous write waits for its outcome before answering 202. */
  WRIT_SYNC_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /**
   * On SIGTERM, how long to keep serving with /readyz failing before refusing new connections,
   * so load balancers stop sending here first. 0 when a Kubernetes preStop hook does the pause.
   */
  WRIT_SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /**
   * On SIGTERM, how long in-flight requests may take once new ones are refused. A synchronous
   * write still waiting at the end answers 202 with its operationId (the write goes on).
   */
  WRIT_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  /** How long cached API keys and installation config live without an invalidation message. */
  WRIT_CACHE_TTL_MS: z.coerce.number().int().min(100).default(30_000),
  /** Base URL used in Location headers; defaults to the request's own host. */
  WRIT_PUBLIC_URL: z.url().optional(),
  /** OTLP/HTTP collector base URL (protobuf spans go to `<url>/v1/traces`); tracing is off when unset. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** `service.name` of this process's spans; defaults to writ-api. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type ApiEnv = z.infer<typeof envSchema>;

export function parseApiEnv(source: Record<string, string | undefined> = process.env): ApiEnv {
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
