import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb } from "@writ/db";
import {
  ConnectionRateLimiter,
  createAutoBatchFlushWorker,
  createInvalidationBus,
  createRedis,
  createWriteWorker,
  normaliseQueuePrefix,
  onWriteCompleted,
  onWriteFailed,
  onWriteRetried,
  type WriteJob,
  WriteQueue,
} from "@writ/queue";
import { loadOrCreateDevEncryptionKey, parseEncryptionKey } from "@writ/secrets";
import {
  createLogger,
  createMetrics,
  type Logger,
  observeRateLimitWait,
  operationBindings,
  type SpanExporter,
  setupTracing,
  shutdownTracing,
} from "@writ/telemetry";
import { CredentialRefresher } from "./credentialRefresher";
import { ProviderDispatcher } from "./dispatcher";
import type { WorkerEnv } from "./env";
import { OperationWriter } from "./operationWriter";
import { createWriteProcessor } from "./processWrite";
import { providerEndpointsFrom } from "./providerEndpoints";
import { instrumentProviderFetch, providerOfUrlFrom } from "./providerFetch";
import { WebhookSender } from "./webhooks";
import { WriteContextLoader } from "./writeContext";
import { traceWriteJobs } from "./writeJobTracing";

export interface WorkerRuntime {
  logger: Logger;
  /** URL of the health server, when WRIT_WORKER_PORT is set. */
  healthUrl: string | undefined;
  /** Stop taking jobs, let active ones finish, close connections. */
  close(): Promise<void>;
}

export interface WorkerOptions {
  devKeyFile?: string;
  /** Receives every span as it ends, besides OTLP export (tests: an in-memory exporter). */
  spanExporter?: SpanExporter;
}

/** Wires the worker's concrete dependencies and starts consuming. Used by main.ts and tests. */
export async function startWorker(
  env: WorkerEnv,
  options: WorkerOptions = {},
): Promise<WorkerRuntime> {
  setupTracing({
    serviceName: env.OTEL_SERVICE_NAME ?? "writ-worker",
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    exporter: options.spanExporter,
  });
  const logger = createLogger({ name: "writ-worker", level: env.LOG_LEVEL });
  const metrics = createMetrics();
  const encryptionKey = parseEncryptionKey(
    env.WRIT_ENCRYPTION_KEY ??
      loadOrCreateDevEncryptionKey(options.devKeyFile ?? ".writ/encryption-key"),
  );
  const prefix = normaliseQueuePrefix(env.WRIT_QUEUE_PREFIX);
  // Results are saved in group commits (OperationWriter), so a few connections serve many jobs.
  const db = createDb(env.DATABASE_URL, { poolSize: Math.min(20, env.WRIT_WORKER_CONCURRENCY) });
  const redis = createRedis(env.REDIS_URL);
  const subscriber = createRedis(env.REDIS_URL);
  const workerConnection = createRedis(env.REDIS_URL);
  const contexts = new WriteContextLoader(db, encryptionKey, env.WRIT_CACHE_TTL_MS);
  const invalidation = await createInvalidationBus({
    publisher: redis,
    subscriber,
    prefix,
    onEvent: (event) => {
      if (event.kind === "project") contexts.forgetProject(event.projectId);
      if (event.kind === "connection")
        contexts.forgetConnection(event.projectId, event.connectionId);
    },
  });
  const endpoints = providerEndpointsFrom(env);
  const refresher = new CredentialRefresher({
    db,
    redis,
    prefix,
    encryptionKey,
    contexts,
    endpoints,
    invalidation,
  });
  const limiterClient = createRedis(env.REDIS_URL);
  const limiter = new ConnectionRateLimiter({
    client: limiterClient,
    prefix,
    callExpirationMs: env.WRIT_PROVIDER_TIMEOUT_MS * 2,
  });
  const dispatcher = new ProviderDispatcher({
    contexts,
    refresher,
    endpoints,
    limiter,
    providerTimeoutMs: env.WRIT_PROVIDER_TIMEOUT_MS,
    providerFetch: instrumentProviderFetch(metrics, providerOfUrlFrom(env)),
    onRateLimitWait: (provider, waitedMs) => observeRateLimitWait(provider, waitedMs / 1000),
  });
  const operations = new OperationWriter(db);
  const process = createWriteProcessor({
    db,
    contexts,
    dispatcher,
    operations,
    webhooks: new WebhookSender(logger, {
      onDelivery: (outcome) => metrics.webhookDelivery(outcome),
    }),
    logger,
    maxRetryWindowMs: env.WRIT_MAX_RETRY_WINDOW_MS,
  });
  // Sends auto-batch groups when they are full or due (see AutoBatcher).
  const autoBatchConnection = createRedis(env.REDIS_URL);
  const autoBatchWrites = new WriteQueue({ connection: autoBatchConnection, prefix });
  const autoBatchFlusher = createAutoBatchFlushWorker({
    connection: autoBatchConnection,
    prefix,
    writes: autoBatchWrites,
  });
  autoBatchFlusher.on("error", (error) => logger.error({ err: error }, "auto-batch flusher error"));
  const worker = createWriteWorker({
    connection: workerConnection,
    prefix,
    concurrency: env.WRIT_WORKER_CONCURRENCY,
    process: traceWriteJobs(process),
  });
  const secondsSinceAccepted = (job: WriteJob) => (Date.now() - job.acceptedAt) / 1000;
  onWriteCompleted(worker, (job, result) => {
    metrics.writeFinished(job, result.status, secondsSinceAccepted(job));
    const log = logger.child(operationBindings(job));
    if (result.status === "success") log.debug({ httpStatus: result.httpStatus }, "write finished");
    else log.info({ httpStatus: result.httpStatus }, "write finished with failures");
  });
  onWriteRetried(worker, (job, error) => {
    metrics.writeRetried(job);
    logger.child(operationBindings(job)).debug({ reason: error.message }, "write will retry");
  });
  onWriteFailed(worker, (job, error) => {
    if (job) metrics.writeFinished(job, "failure", secondsSinceAccepted(job));
    (job ? logger.child(operationBindings(job)) : logger).warn({ err: error }, "write job failed");
  });
  worker.on("error", (error) => logger.error({ err: error }, "worker error"));
  await worker.waitUntilReady();

  let draining = false;
  let health: Server | undefined;
  let healthUrl: string | undefined;
  if (env.WRIT_WORKER_PORT !== undefined) {
    health = createServer(async (req, res) => {
      if (req.url === "/healthz") {
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
        return;
      }
      if (req.url === "/metrics") {
        // Unauthenticated like every Prometheus target: keep the port on the internal network.
        try {
          const body = await metrics.render();
          res.writeHead(200, { "content-type": metrics.contentType }).end(body);
        } catch {
          res.writeHead(500).end();
        }
        return;
      }
      if (req.url === "/readyz") {
        const [pg, rd] = await Promise.allSettled([db.$queryRawUnsafe("SELECT 1"), redis.ping()]);
        const ready = !draining && pg.status === "fulfilled" && rd.status === "fulfilled";
        res
          .writeHead(ready ? 200 : 503, { "content-type": "application/json" })
          .end(JSON.stringify({ status: ready ? "ready" : "not_ready", draining }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => health?.listen(env.WRIT_WORKER_PORT, "0.0.0.0", resolve));
    healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}`;
  }
  logger.info({ concurrency: env.WRIT_WORKER_CONCURRENCY, prefix, healthUrl }, "worker started");

  return {
    logger,
    healthUrl,
    async close() {
      // /readyz answers 503 from here on.
      draining = true;
      // Take no new job and give the active ones WRIT_SHUTDOWN_TIMEOUT_MS to finish. Past it,
      // close without them: their locks lapse and a stalled check elsewhere puts them back in
      // the queue (see maxStalledCount in createWriteWorker). Nothing accepted is lost either
      // way: a job leaves Redis only once its outcome is saved.
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        worker.pause().then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), env.WRIT_SHUTDOWN_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      if (!finished) {
        logger.warn(
          { timeoutMs: env.WRIT_SHUTDOWN_TIMEOUT_MS },
          "shutdown timeout: unfinished jobs go back to the queue for another worker",
        );
      }
      await worker.close(!finished);
      await autoBatchFlusher.close();
      await autoBatchWrites.close();
      autoBatchConnection.disconnect();
      await operations.close();
      await limiter.close();
      limiterClient.disconnect();
      await invalidation.close();
      await new Promise<void>((resolve) => (health ? health.close(() => resolve()) : resolve()));
      subscriber.disconnect();
      workerConnection.disconnect();
      await redis.quit().catch(() => redis.disconnect());
      await db.$disconnect();
      await shutdownTracing();
    },
  };
}
