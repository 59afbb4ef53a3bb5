import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Prometheus metrics. Every label is low-cardinality: provider, object name, write type, status,
 * route pattern. Never a project, group, operation or record id: each distinct label value is a
 * time series kept forever by the Prometheus server.
 */

/** What a write is labelled by: which provider, which object, which kind of write. */
export interface WriteMetricLabels {
  provider: string;
  objectName: string;
  type: string;
}

export type WriteOutcome = "success" | "failure";

export const queueJobStates = ["waiting", "active", "delayed", "completed", "failed"] as const;
export type QueueJobState = (typeof queueJobStates)[number];

const writeLabelNames = ["provider", "object", "type"] as const;

// End to end a write spans the queue wait, rate-limit waits and delayed retries: seconds to an
// hour (the default retry deadline), so the buckets reach far past a single provider call.
const writeDurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600];
const providerDurationBuckets = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const rateLimitWaitBuckets = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

// The limiter that waits has no handle on its process's metrics, so this one histogram lives at
// module level and is added to every registry the process creates.
const rateLimitWait = new Histogram({
  name: "writ_rate_limit_wait_seconds",
  help: "Time a provider call waited for its connection's rate limiter.",
  labelNames: ["provider"] as const,
  buckets: rateLimitWaitBuckets,
  registers: [],
});

/** Records how long one provider call waited for its connection's rate limiter. */
export function observeRateLimitWait(provider: string, seconds: number): void {
  rateLimitWait.observe({ provider }, seconds);
}

function writeLabels(labels: WriteMetricLabels) {
  return { provider: labels.provider, object: labels.objectName, type: labels.type };
}

/**
 * One process's metrics, in its own registry with Node's default process metrics. Each
 * runtime (API, worker) creates one and serves it on `GET /metrics`.
 */
export class WritMetrics {
  readonly registry = new Registry();
  private queueCounts: (() => Promise<Record<QueueJobState, number>>) | undefined;

  private readonly writesAccepted = new Counter({
    name: "writ_writes_accepted_total",
    help: "Write operations accepted and enqueued by the API.",
    labelNames: writeLabelNames,
    registers: [this.registry],
  });
  private readonly writesSucceeded = new Counter({
    name: "writ_writes_succeeded_total",
    help: "Write operations that finished with every record written.",
    labelNames: writeLabelNames,
    registers: [this.registry],
  });
  private readonly writesFailed = new Counter({
    name: "writ_writes_failed_total",
    help: "Write operations that finished with at least one record failed.",
    labelNames: writeLabelNames,
    registers: [this.registry],
  });
  private readonly writesRetried = new Counter({
    name: "writ_writes_retried_total",
    help: "Write attempts that ended in a delayed retry (rate limit, transient provider error).",
    labelNames: writeLabelNames,
    registers: [this.registry],
  });
  private readonly writeDuration = new Histogram({
    name: "writ_write_duration_seconds",
    help: "End-to-end time of a write operation, from acceptance by the API to its final outcome.",
    labelNames: [...writeLabelNames, "status"] as const,
    buckets: writeDurationBuckets,
    registers: [this.registry],
  });
  private readonly providerRequestDuration = new Histogram({
    name: "writ_provider_request_duration_seconds",
    help: "Duration of HTTP calls to providers; status is the HTTP status, or `error` when no response came.",
    labelNames: ["provider", "status"] as const,
    buckets: providerDurationBuckets,
    registers: [this.registry],
  });
  private readonly providerRateLimited = new Counter({
    name: "writ_provider_rate_limited_total",
    help: "Provider answers that said the connection is over its rate limit.",
    labelNames: ["provider"] as const,
    registers: [this.registry],
  });
  private readonly webhookDeliveries = new Counter({
    name: "writ_webhook_deliveries_total",
    help: "write.async.done notifications, by outcome after retries (delivered or failed).",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  private readonly httpRequests = new Counter({
    name: "writ_http_requests_total",
    help: "HTTP requests served by the API, by route pattern.",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });
  private readonly httpRequestDuration = new Histogram({
    name: "writ_http_request_duration_seconds",
    help: "Duration of HTTP requests served by the API, by route pattern.",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.registry.registerMetric(rateLimitWait);
    const metrics = this;
    new Gauge({
      name: "writ_queue_jobs",
      help: "Jobs in the write queue by state, read from Redis on each scrape.",
      labelNames: ["state"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        if (!metrics.queueCounts) return;
        try {
          const counts = await metrics.queueCounts();
          for (const state of queueJobStates) this.set({ state }, counts[state]);
        } catch {
          // Redis unreachable: report no series rather than stale ones, and keep the rest of
          // the scrape working.
        }
      },
    });
  }

  /** Where `writ_queue_jobs` reads its numbers from at scrape time (the API's queue). */
  trackQueueDepth(counts: () => Promise<Record<QueueJobState, number>>): void {
    this.queueCounts = counts;
  }

  writeAccepted(labels: WriteMetricLabels): void {
    this.writesAccepted.inc(writeLabels(labels));
  }

  /** A write's final outcome, with the seconds since the API accepted it. */
  writeFinished(labels: WriteMetricLabels, outcome: WriteOutcome, seconds: number): void {
    const base = writeLabels(labels);
    (outcome === "success" ? this.writesSucceeded : this.writesFailed).inc(base);
    this.writeDuration.observe({ ...base, status: outcome }, Math.max(0, seconds));
  }

  writeRetried(labels: WriteMetricLabels): void {
    this.writesRetried.inc(writeLabels(labels));
  }

  /** One provider HTTP call; `status` is the HTTP status, or "error" when none arrived. */
  providerRequest(provider: string, status: number | "error", seconds: number): void {
    this.providerRequestDuration.observe({ provider, status: String(status) }, seconds);
  }

  providerRateLimit(provider: string): void {
    this.providerRateLimited.inc({ provider });
  }

  webhookDelivery(outcome: "delivered" | "failed"): void {
    this.webhookDeliveries.inc({ outcome });
  }

  /** `route` must be a route pattern (`/v1/projects/:projectIdOrName`), never a raw path. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpRequestDuration.observe(labels, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition format, for `GET /metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

export function createMetrics(): WritMetrics {
  return new WritMetrics();
}
