import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TtlCache } from "@writ/cache";
import { createDb, type Db } from "@writ/db";
import {
  AutoBatcher,
  createInvalidationBus,
  createRedis,
  IdempotencyStore,
  type InvalidationEvent,
  normaliseQueuePrefix,
  WriteQueue,
} from "@writ/queue";
import { loadOrCreateDevEncryptionKey, parseEncryptionKey } from "@writ/secrets";
import {
  createLogger,
  createMetrics,
  type SpanExporter,
  setupTracing,
  shutdownTracing,
} from "@writ/telemetry";
import { countAcceptedWrites } from "./acceptedWrites";
import { createApp } from "./app";
import type { ApiCaches, AppDeps } from "./deps";
import type { ApiEnv } from "./env";
import { RequestDrain } from "./http/requestDrain";

export interface ApiRuntime {
  url: string;
  deps: AppDeps;
  /**
   * Graceful shutdown: /readyz fails first (for WRIT_SHUTDOWN_DELAY_MS), then new connections
   * are refused, in-flight requests finish (within WRIT_SHUTDOWN_TIMEOUT_MS), and Redis and
   * PostgreSQL close.
   */
  close(): Promise<void>;
}

/** Time the answers released at the shutdown deadline get to go out before sockets close. */
const lastAnswersMs = 2_000;

export interface ApiOptions {
  devKeyFile?: string;
  /** Receives every span as it ends, besides OTLP export (tests: an in-memory exporter). */
  spanExporter?: SpanExporter;
}

/** Wires the API's concrete dependencies and starts listening. Used by main.ts and tests. */
export async function startApi(env: ApiEnv, options: ApiOptions = {}): Promise<ApiRuntime> {
  setupTracing({
    serviceName: env.OTEL_SERVICE_NAME ?? "writ-api",
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    exporter: options.spanExporter,
    // Every span the API starts names its parent (see requestTracing).
    activeSpans: false,
  });
  const logger = createLogger({ name: "writ-api", level: env.LOG_LEVEL });
  const encryptionKey = parseEncryptionKey(
    env.WRIT_ENCRYPTION_KEY ??
      loadOrCreateDevEncryptionKey(options.devKeyFile ?? ".writ/encryption-key"),
  );
  const prefix = normaliseQueuePrefix(env.WRIT_QUEUE_PREFIX);
  const db: Db = createDb(env.DATABASE_URL, { poolSize: 10 });
  const redis = createRedis(env.REDIS_URL);
  const subscriber = createRedis(env.REDIS_URL);
  const caches: ApiCaches = {
    apiKeys: new TtlCache(env.WRIT_CACHE_TTL_MS),
    writeTargets: new TtlCache(env.WRIT_CACHE_TTL_MS),
  };
  const onInvalidation = (event: InvalidationEvent) => {
    if (event.kind === "apiKey") caches.apiKeys.delete(event.keyHash);
    else caches.writeTargets.deleteWhere((key) => key.startsWith(`${event.projectId}\u0000`));
  };
  const invalidation = await createInvalidationBus({
    publisher: redis,
    subscriber,
    prefix,
    onEvent: onInvalidation,
  });
  const writes = new WriteQueue({ connection: redis, prefix });
  const autoBatcher = new AutoBatcher({ connection: redis, prefix });
  const metrics = createMetrics();
  metrics.trackQueueDepth(() => writes.counts());
  countAcceptedWrites(writes, metrics);
  let draining = false;

  const deps: AppDeps = {
    db,
    config: {
      adminToken: env.WRIT_ADMIN_TOKEN,
      encryptionKey,
      maxBodyBytes: env.WRIT_MAX_BODY_BYTES,
      inFlightBodyBytes: env.WRIT_MAX_IN_FLIGHT_BODY_BYTES,
      syncTimeoutMs: env.WRIT_SYNC_TIMEOUT_MS,
      publicUrl: env.WRIT_PUBLIC_URL,
      dashboardWrite: env.WRIT_DASHBOARD_WRITE,
    },
    caches,
    invalidation,
    writes,
    idempotency: new IdempotencyStore(redis, prefix),
    autoBatcher,
    logger,
    metrics,
    async readiness() {
      const checks: Record<string, string> = {};
      const [pg, rd] = await Promise.allSettled([db.$queryRawUnsafe("SELECT 1"), redis.ping()]);
      checks.postgres = pg.status === "fulfilled" ? "ok" : `error: ${(pg.reason as Error).message}`;
      checks.redis = rd.status === "fulfilled" ? "ok" : `error: ${(rd.reason as Error).message}`;
      if (draining) checks.lifecycle = "draining";
      return { ready: !draining && pg.status === "fulfilled" && rd.status === "fulfilled", checks };
    },
  };

  const drain = new RequestDrain();
  const app = createApp(deps, { drain });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(env.PORT, env.HOST, () => resolve(listening));
  });
  // Keep-alive sockets must outlive a load balancer's idle timeout, or it sends requests into
  // sockets we are closing.
  server.keepAliveTimeout = 65_000;
  const address = server.address() as AddressInfo;
  const host = env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST;
  const url = `http://${host}:${address.port}`;
  logger.info({ url }, "api listening");

  return {
    url,
    deps,
    async close() {
      // /readyz answers 503 from here on, while everything else is still served.
      draining = true;
      if (env.WRIT_SHUTDOWN_DELAY_MS > 0) {
        await new Promise((resolve) => setTimeout(resolve, env.WRIT_SHUTDOWN_DELAY_MS));
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      drain.stopAccepting();
      server.closeIdleConnections();
      logger.info({ inFlight: drain.active }, "refusing new requests, finishing in-flight ones");
      if (!(await drain.drained(env.WRIT_SHUTDOWN_TIMEOUT_MS))) {
        // Synchronous writes still waiting for their outcome answer 202 with the operationId.
        writes.releaseWaiters();
        if (!(await drain.drained(lastAnswersMs))) {
          logger.warn({ inFlight: drain.active }, "shutdown timeout: closing unfinished requests");
        }
      }
      // Drops keep-alive sockets left idle by their last answer, and anything that would not end.
      server.closeAllConnections();
      await closed;
      await invalidation.close();
      await writes.close();
      await autoBatcher.close();
      subscriber.disconnect();
      await redis.quit().catch(() => redis.disconnect());
      await db.$disconnect();
      await shutdownTracing();
    },
  };
}
