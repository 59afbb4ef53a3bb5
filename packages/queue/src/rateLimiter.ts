import Bottleneck from "bottleneck";
import type { Redis } from "ioredis";

/** A connection's request budget, as the limiter enforces it across every worker process. */
export interface RequestBudget {
  /** Requests per `intervalMs` at the provider (a rolling window). */
  requests: number;
  intervalMs: number;
  /** Calls in flight at once; null when unbounded. */
  maxConcurrent: number | null;
}

/**
 * We aim 15 % under the provider's budget: the provider counts a request when it arrives, we
 * count it just before it leaves, and a process that stalls between the two (GC, a busy core)
 * shifts requests into the provider's next window. 15 % absorbs about 1.5 s of stall at full
 * rate; the cost is 15 % of the provider's nominal throughput.
 */
const budgetMargin = 0.85;

/**
 * The hard guard: a sliding-window log of call start times per connection, checked and appended
 * atomically in Redis right before each call, on Redis's clock. Bottleneck's `minTime` spaces
 * calls out, but it reserves slots ahead of time and starts them on local timers: a process whose
 * event loop stalls (GC, a busy core) starts several reserved calls at once, a burst the
 * provider answers with 429. The log makes the check at the moment of sending.
 */
const slidingWindowScript = `
local key = KEYS[1]
local max = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - interval)
if redis.call('ZCARD', key) < max then
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, interval)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + interval - now)
`;

type WindowClient = Redis & {
  writSlidingWindow(key: string, max: number, intervalMs: number, member: string): Promise<number>;
};

/**
 * One Bottleneck limiter per connection, clustered through Redis so the budget holds across all
 * workers, plus a sliding-window check at send time (see slidingWindowScript). Only `minTime`
 * (the gap between call starts) and `maxConcurrent` are used:
 * Bottleneck's clustered reservoirs refresh on its heartbeat (every 5 s by default) and deliver
 * far less than their nominal rate, while `minTime` is enforced exactly by the Lua scripts.
 *
 * Known Redis-mode pitfalls and how they are handled here:
 * - CROSSSLOT on Redis Cluster: limiter ids carry the queue's `{hash tag}`, so all of a
 *   limiter's keys (and the queue's) live in one slot.
 * - NOSCRIPT after a Redis restart: Bottleneck registers its Lua with ioredis `defineCommand`,
 *   which falls back from EVALSHA to EVAL by itself.
 * - Keys lost (restart, eviction, expiry): Bottleneck re-initialises a limiter whose settings key
 *   vanished (SETTINGS_KEY_NOT_FOUND) and re-registers unknown clients; running-job counters of
 *   a dead process are freed after `clientTimeout`, and every job carries an `expiration` so a
 *   call that never returns cannot hold a concurrency slot for ever.
 * - Idle limiters expire from Redis after `timeout` so thousands of connections don't leak keys.
 */
export class ConnectionRateLimiter {
  private readonly connection: Bottleneck.IORedisConnection;
  private readonly limiters = new Map<string, { limiter: Bottleneck; signature: string }>();

  constructor(
    private readonly options: {
      client: Redis;
      prefix: string;
      /** Upper bound for one scheduled call; frees its slot if the process dies mid-call. */
      callExpirationMs?: number;
    },
  ) {
    this.connection = new Bottleneck.IORedisConnection({ client: options.client });
    // defineCommand runs EVALSHA and falls back to EVAL after NOSCRIPT (a restarted Redis).
    options.client.defineCommand("writSlidingWindow", {
      numberOfKeys: 1,
      lua: slidingWindowScript,
    });
  }

  private windowKey(connectionId: string): string {
    return `${this.options.prefix}:rl:window:${connectionId}`;
  }

  /** Waits until the connection's rolling window has room, and takes a place in it. */
  private async takeWindowSlot(connectionId: string, budget: RequestBudget): Promise<void> {
    const max = Math.max(1, Math.floor(budget.requests * budgetMargin));
    const client = this.options.client as WindowClient;
    const member = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    for (;;) {
      const wait = await client.writSlidingWindow(
        this.windowKey(connectionId),
        max,
        budget.intervalMs,
        member,
      );
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private pauseKey(connectionId: string): string {
    return `${this.options.prefix}:rl:pause:${connectionId}`;
  }

  private limiterFor(connectionId: string, budget: RequestBudget): Bottleneck {
    const minTime = Math.ceil(budget.intervalMs / (budget.requests * budgetMargin));
    const signature = `${minTime}/${budget.maxConcurrent ?? "-"}`;
    const existing = this.limiters.get(connectionId);
    if (existing?.signature === signature) return existing.limiter;
    if (existing) {
      existing.limiter.updateSettings({ minTime, maxConcurrent: budget.maxConcurrent });
      existing.signature = signature;
      return existing.limiter;
    }
    const limiter = new Bottleneck({
      id: `${this.options.prefix}:rl:${connectionId}`,
      datastore: "ioredis",
      connection: this.connection,
      clearDatastore: false,
      minTime,
      maxConcurrent: budget.maxConcurrent,
      timeout: 15 * 60_000,
    });
    limiter.on("error", () => {
      // Surfaced through the rejected schedule() call; nothing to add here.
    });
    this.limiters.set(connectionId, { limiter, signature });
    return limiter;
  }

  /**
   * Runs `fn` when the connection's budget allows. Returns how long the call waited for its
   * turn (pause included), for metrics and traces.
   */
  async schedule<T>(
    connectionId: string,
    budget: RequestBudget,
    fn: () => Promise<T>,
  ): Promise<{ value: T; waitedMs: number }> {
    const queuedAt = Date.now();
    await this.waitWhilePaused(connectionId);
    const limiter = this.limiterFor(connectionId, budget);
    let startedAt = queuedAt;
    const value = await limiter.schedule(
      { expiration: this.options.callExpirationMs ?? 60_000 },
      async () => {
        await this.takeWindowSlot(connectionId, budget);
        startedAt = Date.now();
        return fn();
      },
    );
    return { value, waitedMs: startedAt - queuedAt };
  }

  /**
   * Holds every call of this connection, on every worker, for `ms` (a 429's Retry-After, an
   * exhausted daily allocation). Only ever extends an existing pause.
   */
  async pause(connectionId: string, ms: number): Promise<void> {
    if (ms <= 0) return;
    const key = this.pauseKey(connectionId);
    const remaining = await this.options.client.pttl(key);
    if (remaining >= ms) return;
    await this.options.client.set(key, String(Date.now() + ms), "PX", Math.ceil(ms));
  }

  async pausedForMs(connectionId: string): Promise<number> {
    return Math.max(0, await this.options.client.pttl(this.pauseKey(connectionId)));
  }

  private async waitWhilePaused(connectionId: string): Promise<void> {
    for (;;) {
      const remaining = await this.pausedForMs(connectionId);
      if (remaining <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(remaining, 1000)));
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.limiters.values()].map(({ limiter }) => limiter.disconnect(false)));
    this.limiters.clear();
  }
}
