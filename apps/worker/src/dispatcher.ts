import {
  type ConnectionContext,
  type Connector,
  connectorFor,
  isProviderError,
  type LimitInfo,
  ProviderError,
  type RecordOutcome,
} from "@writ/connectors";
import { type ProviderName, providers, type StoredCredentials } from "@writ/contracts";
import type { ConnectionRateLimiter, RequestBudget } from "@writ/queue";
import { injectTraceContext, type TraceCarrier } from "@writ/telemetry";
import type { CredentialRefresher } from "./credentialRefresher";
import { linkCoalescedJobs, traceLimitedCall } from "./providerCallTracing";
import type { ProviderEndpoints } from "./providerEndpoints";
import type { ConnectionContextData, WriteContextLoader } from "./writeContext";

/** Which customer account a call is for. */
export interface CallTarget {
  projectId: string;
  connectionId: string;
  provider: ProviderName;
}

/** One record waiting to be written, possibly together with others. */
export interface SingleWrite {
  fields: Record<string, unknown>;
  recordId?: string | undefined;
  associations?: unknown[] | undefined;
}

export interface DispatcherOptions {
  contexts: WriteContextLoader;
  refresher: CredentialRefresher;
  endpoints: ProviderEndpoints;
  limiter: ConnectionRateLimiter;
  providerTimeoutMs: number;
  providerFetch?: typeof fetch;
  /** Batch calls one coalescing bucket may have in flight at once in this process. */
  maxParallelFlushes?: number;
  /**
   * How long a bucket holding writes of an announced group (CoalesceHint) waits for the rest of
   * the group before it sends what it has. Default 100 ms.
   */
  groupHoldMs?: number;
  onRateLimitWait?: (provider: ProviderName, waitedMs: number) => void;
}

/**
 * Writes that left the queue together and should reach the provider together (the records of
 * one auto-batch flush): `size` writes carry the same `group`.
 */
export interface CoalesceHint {
  group: string;
  size: number;
}

/** An announced group as this process has seen it so far. */
interface GroupArrival {
  seen: number;
  size: number;
  /** Buckets hold while it is open: until all `size` writes arrived or the hold ran out. */
  open: boolean;
  openedAt: number;
  bucketKeys: Set<string>;
  timer: NodeJS.Timeout | undefined;
}

/** Closed groups are remembered this long, so late arrivals of a group do not hold again. */
const closedGroupMemoryMs = 60_000;

interface Waiting {
  write: SingleWrite;
  /** The announced group this write belongs to, if any. */
  group: string | undefined;
  resolve(outcome: RecordOutcome): void;
  reject(error: unknown): void;
  /** The submitting job's trace context, linked from the batch call that carries it. */
  trace: TraceCarrier | undefined;
}

interface Bucket {
  target: CallTarget;
  objectName: string;
  type: "create" | "update";
  headers: Array<{ key: string; value: string }> | undefined;
  waiting: Waiting[];
  flushing: number;
}

/**
 * Every provider call goes through here: the connection's rate limit (shared by all workers),
 * token refresh on expiry, and adaptive coalescing of single writes.
 *
 * Coalescing: single creates/updates for the same connection, object, type and forwarded headers
 * join one bucket. A flush waits for the limiter and only then takes what the bucket holds (up to
 * the provider's batch size), so a lone write goes out at once as a single-record call, while
 * writes that pile up behind the rate limit leave together as one batch call. Each record keeps
 * its own outcome.
 *
 * Writes announced as a group (CoalesceHint: an auto-batch flush) are the exception: their
 * bucket waits, up to `groupHoldMs`, until every write of the group has reached this process,
 * so the group leaves as one batch call rather than its first write alone and the rest after.
 * A group spread over several workers gives one call per worker once the hold runs out.
 */
export class ProviderDispatcher {
  private readonly buckets = new Map<string, Bucket>();
  private readonly groups = new Map<string, GroupArrival>();

  constructor(private readonly options: DispatcherOptions) {}

  /** Runs one provider call within the connection's budget, refreshing an expired token once. */
  async call<T>(
    target: CallTarget,
    fn: (ctx: ConnectionContext, connector: Connector) => Promise<T>,
  ): Promise<T> {
    const connector = connectorFor(target.provider);
    let connection = await this.connection(target);
    for (let attempt = 0; ; attempt++) {
      const ctx = this.contextFor(target, connection);
      try {
        const budget = this.budgetOf(target.provider, connection);
        const { value, waitedMs } = await traceLimitedCall(
          { provider: target.provider, retry: attempt, ctx },
          (callCtx: ConnectionContext) => fn(callCtx, connector),
          (run) => this.options.limiter.schedule(target.connectionId, budget, run),
        );
        this.options.onRateLimitWait?.(target.provider, waitedMs);
        await this.adaptToLimits(target, limitsOf(value));
        return value;
      } catch (error) {
        if (!isProviderError(error)) throw error;
        if (error.disposition === "rate_limited") {
          // Slow this one connection down everywhere; other connections keep flowing.
          await this.options.limiter.pause(target.connectionId, error.retryAfterMs ?? 1000);
        }
        if (error.disposition === "refresh_credentials" && attempt === 0) {
          connection = await this.options.refresher.refresh(target.projectId, connection);
          continue;
        }
        if (error.disposition === "bad_credentials") {
          // Another worker may have just rotated the token this call used: try the new one
          // before declaring the connection broken.
          const rotated =
            attempt === 0
              ? await this.options.refresher.reloadIfRotated(target.projectId, connection)
              : null;
          if (rotated) {
            connection = rotated;
            continue;
          }
          await this.options.refresher.markBadCredentials(target.projectId, target.connectionId);
        }
        throw error;
      }
    }
  }

  /** Writes one record, coalesced with others waiting for the same connection and object. */
  submitSingle(
    target: CallTarget,
    objectName: string,
    type: "create" | "update",
    write: SingleWrite,
    headers: Array<{ key: string; value: string }> | undefined,
    hint?: CoalesceHint,
  ): Promise<RecordOutcome> {
    const key = [
      target.connectionId,
      objectName,
      type,
      headers ? JSON.stringify(headers) : "",
    ].join("\u0000");
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { target, objectName, type, headers, waiting: [], flushing: 0 };
      this.buckets.set(key, bucket);
    }
    const current = bucket;
    return new Promise<RecordOutcome>((resolve, reject) => {
      current.waiting.push({
        write,
        group: hint?.group,
        resolve,
        reject,
        trace: injectTraceContext(),
      });
      if (hint) this.arrive(hint, key);
      this.maybeFlush(key, current);
    });
  }

  /** Counts a write of an announced group; the group closes once all of it is here. */
  private arrive(hint: CoalesceHint, bucketKey: string): void {
    const now = Date.now();
    for (const [group, arrival] of this.groups) {
      if (arrival.open || now - arrival.openedAt < closedGroupMemoryMs) break;
      this.groups.delete(group);
    }
    let arrival = this.groups.get(hint.group);
    if (!arrival) {
      arrival = {
        seen: 0,
        size: hint.size,
        open: true,
        openedAt: now,
        bucketKeys: new Set(),
        timer: undefined,
      };
      const timer = setTimeout(() => this.closeGroup(hint.group), this.options.groupHoldMs ?? 100);
      timer.unref();
      arrival.timer = timer;
      this.groups.set(hint.group, arrival);
    }
    arrival.seen++;
    arrival.bucketKeys.add(bucketKey);
    if (arrival.open && arrival.seen >= arrival.size) this.closeGroup(hint.group);
  }

  private closeGroup(group: string): void {
    const arrival = this.groups.get(group);
    if (!arrival?.open) return;
    arrival.open = false;
    clearTimeout(arrival.timer);
    arrival.timer = undefined;
    for (const key of arrival.bucketKeys) {
      const bucket = this.buckets.get(key);
      if (bucket) this.maybeFlush(key, bucket);
    }
    arrival.bucketKeys.clear();
  }

  /** Whether a write in the bucket belongs to a group that has not all arrived yet. */
  private holding(bucket: Bucket): boolean {
    return bucket.waiting.some(
      (waiting) => waiting.group !== undefined && this.groups.get(waiting.group)?.open === true,
    );
  }

  private maybeFlush(key: string, bucket: Bucket): void {
    const maxBatch = providers[bucket.target.provider].maxBatchSize;
    // A full batch goes at once; otherwise wait for the rest of an announced group.
    if (bucket.flushing === 0 && bucket.waiting.length < maxBatch && this.holding(bucket)) return;
    const parallel = this.options.maxParallelFlushes ?? 4;
    // One flush per bucket normally; more only while a full batch is already waiting.
    const wanted =
      bucket.flushing === 0 ? 1 : Math.min(parallel, Math.ceil(bucket.waiting.length / maxBatch));
    while (bucket.flushing < wanted && bucket.waiting.length > 0) {
      bucket.flushing++;
      void this.flush(key, bucket);
    }
  }

  private async flush(key: string, bucket: Bucket): Promise<void> {
    const maxBatch = providers[bucket.target.provider].maxBatchSize;
    try {
      while (bucket.waiting.length > 0) {
        let taken: Waiting[] | undefined;
        try {
          await this.call(bucket.target, async (ctx, connector) => {
            // Taken only once the limiter lets us go: whatever arrived meanwhile rides along.
            // A second run (after a token refresh) sends the same records again, no others.
            taken ??= bucket.waiting.splice(0, maxBatch);
            if (taken.length === 0) return undefined;
            linkCoalescedJobs(taken.map((waiting) => waiting.trace));
            const outcomes = await this.sendTaken(ctx, connector, bucket, taken);
            taken.forEach((waiting, index) => {
              waiting.resolve(outcomes[index] ?? missingOutcome());
            });
            return outcomes;
          });
        } catch (error) {
          // A failure before anything was taken (no connection, bad credentials) concerns
          // everyone waiting, not just the next batch.
          const failed = taken ?? bucket.waiting.splice(0, bucket.waiting.length);
          for (const waiting of failed) waiting.reject(error);
        }
      }
    } finally {
      bucket.flushing--;
      if (bucket.flushing === 0 && bucket.waiting.length === 0) this.buckets.delete(key);
      else if (bucket.waiting.length > 0) this.maybeFlush(key, bucket);
    }
  }

  private async sendTaken(
    ctx: ConnectionContext,
    connector: Connector,
    bucket: Bucket,
    taken: Waiting[],
  ): Promise<RecordOutcome[]> {
    const options = bucket.headers ? { headers: bucket.headers } : {};
    const [only] = taken;
    if (taken.length === 1 && only) {
      const write = only.write;
      const outcome =
        bucket.type === "create"
          ? await connector.create(ctx, bucket.objectName, write.fields, {
              ...options,
              ...(write.associations ? { associations: write.associations } : {}),
            })
          : await connector.update(
              ctx,
              bucket.objectName,
              write.recordId ?? "",
              write.fields,
              options,
            );
      return [outcome];
    }
    const result = await connector.writeBatch(
      ctx,
      bucket.objectName,
      bucket.type,
      taken.map(({ write }) => ({
        fields: write.fields,
        ...(write.recordId !== undefined ? { recordId: write.recordId } : {}),
        ...(write.associations ? { associations: write.associations } : {}),
      })),
      { allOrNone: false, ...options },
    );
    return result.outcomes;
  }

  private async connection(target: CallTarget): Promise<ConnectionContextData> {
    const connection = await this.options.contexts.connection(
      target.projectId,
      target.connectionId,
    );
    if (!connection)
      throw new ProviderError({
        disposition: "permanent",
        providerMessage: "the installation's connection no longer exists",
      });
    if (connection.status === "bad_credentials") {
      throw new ProviderError({
        disposition: "bad_credentials",
        providerMessage:
          "the connection's credentials were rejected by the provider; the customer must reconnect",
      });
    }
    return connection;
  }

  private contextFor(target: CallTarget, connection: ConnectionContextData): ConnectionContext {
    const baseUrl = this.options.endpoints.baseUrl(target.provider, connection.instanceUrl);
    if (!baseUrl) {
      throw new ProviderError({
        disposition: "permanent",
        providerMessage:
          "the connection has no instance URL; set instanceUrl on the connection (PATCH with updateMask instanceUrl)",
      });
    }
    return {
      provider: target.provider,
      baseUrl,
      accessToken: accessTokenOf(connection.credentials),
      timeoutMs: this.options.providerTimeoutMs,
      ...(this.options.providerFetch ? { fetch: this.options.providerFetch } : {}),
    };
  }

  private budgetOf(provider: ProviderName, connection: ConnectionContextData): RequestBudget {
    const fallback = providers[provider].defaultRateLimit;
    const override = connection.rateLimit;
    return {
      requests: override?.requests ?? fallback.requests,
      intervalMs: override?.intervalMs ?? fallback.intervalMs,
      maxConcurrent:
        override?.maxConcurrent === undefined ? fallback.maxConcurrent : override.maxConcurrent,
    };
  }

  /** The provider's own headers say the budget is (nearly) spent: hold the connection. */
  private async adaptToLimits(target: CallTarget, limits: LimitInfo | undefined): Promise<void> {
    if (!limits) return;
    // The window is spent: in a rolling window the next slot frees about one request's share
    // of the interval later, so hold the connection that long (not the whole interval).
    if (
      limits.remaining !== undefined &&
      limits.remaining <= 0 &&
      limits.intervalMs &&
      limits.max
    ) {
      await this.options.limiter.pause(
        target.connectionId,
        Math.ceil(limits.intervalMs / limits.max),
      );
    }
    if (
      limits.dailyUsed !== undefined &&
      limits.dailyLimit !== undefined &&
      limits.dailyUsed >= limits.dailyLimit
    ) {
      await this.options.limiter.pause(target.connectionId, 15 * 60_000);
    }
  }
}

function accessTokenOf(credentials: StoredCredentials): string {
  return credentials.kind === "apiKey" ? credentials.apiKey : credentials.accessToken;
}

function limitsOf(value: unknown): LimitInfo | undefined {
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) {
      const limits = limitsOf(value[i]);
      if (limits) return limits;
    }
    return undefined;
  }
  if (typeof value === "object" && value !== null && "limits" in value) {
    return (value as { limits?: LimitInfo }).limits;
  }
  return undefined;
}

function missingOutcome(): RecordOutcome {
  return {
    ok: false,
    error: new ProviderError({
      disposition: "permanent",
      code: "MISSING_FROM_RESPONSE",
      providerMessage: "the provider's answer did not mention this record",
    }),
  };
}
