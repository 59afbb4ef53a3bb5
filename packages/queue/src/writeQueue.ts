import { type Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { jobCatalog, type WriteJob, type WriteJobResult, writeJobResultSchema } from "./catalog";

export type WriteJobState =
  | "waiting"
  | "delayed"
  | "active"
  | "completed"
  | "failed"
  | "prioritized"
  | "waiting-children"
  | "unknown";

export interface WriteJobView {
  data: WriteJob;
  state: WriteJobState;
  attemptsMade: number;
  failedReason?: string | undefined;
  result?: WriteJobResult | undefined;
  timestamp: number;
}

/**
 * Fairness between connections. Each job's priority is its position in its own connection's
 * backlog, so the queue serves the first job of every connection before the second of any: a
 * customer with 20,000 writes waiting behind a rate limit does not hold up another customer's
 * one write. (BullMQ serves lower priority numbers first, FIFO within a number.)
 */
const maxPriority = 2_097_152;
/** A backlog counter left behind by a crashed worker resets after an idle hour. */
const backlogTtlMs = 3_600_000;

export function connectionBacklogKey(prefix: string, connectionId: string): string {
  return `${prefix}:backlog:${connectionId}`;
}

function viewOf(job: Job<WriteJob, WriteJobResult>, state: WriteJobState): WriteJobView {
  const parsedResult = writeJobResultSchema.safeParse(job.returnvalue);
  return {
    data: job.data,
    state,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason || undefined,
    result: parsedResult.success ? parsedResult.data : undefined,
    timestamp: job.timestamp,
  };
}

function priorityForBacklog(position: number): number {
  return Math.min(Math.max(1, position), maxPriority);
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

/**
 * The producer side of the write queue, as the API uses it. The job id is the operation id, so
 * a job can be found (and is enqueued at most once) by operation.
 */
export class WriteQueue {
  readonly queue: Queue<WriteJob, WriteJobResult>;
  private events: QueueEvents | undefined;
  private readonly waiters = new Map<string, Set<(result: WriteJobResult | null) => void>>();
  private waitsReleased = false;
  private outgoing: Array<{ data: WriteJob; resolve(): void; reject(error: unknown): void }> = [];
  private outgoingFlush: NodeJS.Immediate | undefined;
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly options: { connection: Redis; prefix: string; eventsConnection?: Redis },
  ) {
    this.queue = new Queue(jobCatalog.write.queue, {
      connection: options.connection,
      prefix: options.prefix,
      defaultJobOptions: jobCatalog.write.options,
    });
  }

  /**
   * Adds `count` to the connection's backlog and returns the new size, in one script call.
   * (A MULTI would do the same, but ioredis copies every script BullMQ defined on the connection
   * into each pipeline it builds: measurable on the ingress hot path.)
   */
  private async takeBacklogPosition(connectionId: string, count: number): Promise<number> {
    const client = this.options.connection as Redis & {
      writBacklogAdd?: (key: string, count: number, ttlMs: number) => Promise<number>;
    };
    if (!client.writBacklogAdd) {
      client.defineCommand("writBacklogAdd", {
        numberOfKeys: 1,
        lua: "local n = redis.call('INCRBY', KEYS[1], ARGV[1]) redis.call('PEXPIRE', KEYS[1], ARGV[2]) return n",
      });
    }
    const add = client.writBacklogAdd as (
      key: string,
      count: number,
      ttlMs: number,
    ) => Promise<number>;
    return Number(
      await add.call(
        client,
        connectionBacklogKey(this.options.prefix, connectionId),
        count,
        backlogTtlMs,
      ),
    );
  }

  /**
   * Enqueues one write. Writes enqueued in the same turn of the event loop (concurrent requests
   * on a busy API) leave together: one backlog update per connection and one pipelined bulk add,
   * instead of two round trips each. A job that fails validation is refused alone.
   */
  enqueue(job: WriteJob): Promise<void> {
    let data: WriteJob;
    try {
      data = jobCatalog.write.schema.parse(job);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      this.outgoing.push({ data, resolve, reject });
      this.outgoingFlush ??= setImmediate(() => void this.sendOutgoing());
    });
  }

  private sendOutgoing(): Promise<void> {
    if (this.outgoingFlush) clearImmediate(this.outgoingFlush);
    this.outgoingFlush = undefined;
    const batch = this.outgoing;
    this.outgoing = [];
    const sending = this.addParsed(batch.map((item) => item.data)).then(
      () => {
        for (const item of batch) item.resolve();
      },
      (error: unknown) => {
        for (const item of batch) item.reject(error);
      },
    );
    this.sending.add(sending);
    return sending.finally(() => this.sending.delete(sending));
  }

  /** Enqueues many jobs in one round trip per connection plus one (bulk loads, replays). */
  async enqueueMany(jobs: WriteJob[]): Promise<void> {
    await this.addParsed(jobs.map((job) => jobCatalog.write.schema.parse(job)));
  }

  private async addParsed(jobs: WriteJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const perConnection = new Map<string, number>();
    for (const job of jobs)
      perConnection.set(job.connectionId, (perConnection.get(job.connectionId) ?? 0) + 1);
    const positions = new Map<string, number>();
    await Promise.all(
      [...perConnection].map(async ([connectionId, count]) => {
        positions.set(connectionId, (await this.takeBacklogPosition(connectionId, count)) - count);
      }),
    );
    const entries = jobs.map((data) => {
      const position = (positions.get(data.connectionId) ?? 0) + 1;
      positions.set(data.connectionId, position);
      return {
        name: jobCatalog.write.name,
        data,
        opts: {
          ...jobCatalog.write.options,
          jobId: data.operationId,
          priority: priorityForBacklog(position),
        },
      };
    });
    const [only] = entries;
    // A lone job goes through add(): addBulk's MULTI costs more than it saves for one command.
    if (entries.length === 1 && only) await this.queue.add(only.name, only.data, only.opts);
    else await this.queue.addBulk(entries);
  }

  /** The state of the operation's job, in one script call. */
  async jobState(operationId: string): Promise<WriteJobState> {
    return (await this.queue.getJobState(operationId)) as WriteJobState;
  }

  async getJob(operationId: string): Promise<WriteJobView | null> {
    const job = (await this.queue.getJob(operationId)) as Job<WriteJob, WriteJobResult> | undefined;
    if (!job) return null;
    return viewOf(job, (await job.getState()) as WriteJobState);
  }

  /**
   * The operation's job in one round trip (no state lookup), with how far it got as far as the
   * job itself tells: `unstarted` (no worker has taken it: waiting or prioritized, so nothing of
   * it can be recorded yet), `running` (its first attempt is with a worker) or `other`
   * (finished, retried or stalled: ask jobState).
   */
  async peekJob(operationId: string): Promise<{
    job: Omit<WriteJobView, "state">;
    progress: "unstarted" | "running" | "other";
  } | null> {
    const job = (await this.queue.getJob(operationId)) as Job<WriteJob, WriteJobResult> | undefined;
    if (!job) return null;
    const firstRun = job.attemptsMade === 0 && !job.stalledCounter && !job.finishedOn;
    return {
      job: viewOf(job, "unknown"),
      progress: !firstRun ? "other" : job.processedOn ? "running" : "unstarted",
    };
  }

  /**
   * Resolves with the job's result once it completes, or null after `timeoutMs`. One shared
   * QueueEvents stream per process serves every waiting request.
   */
  async waitForResult(operationId: string, timeoutMs: number): Promise<WriteJobResult | null> {
    if (this.waitsReleased) return null;
    await this.ensureEvents();
    if (this.waitsReleased) return null;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result: WriteJobResult | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const set = this.waiters.get(operationId);
        set?.delete(settle);
        if (set && set.size === 0) this.waiters.delete(operationId);
        resolve(result);
      };
      const timer = setTimeout(() => settle(null), timeoutMs);
      let set = this.waiters.get(operationId);
      if (!set) {
        set = new Set();
        this.waiters.set(operationId, set);
      }
      set.add(settle);
      // The job may have finished before we started listening.
      void this.getJob(operationId).then((view) => {
        if (view?.state === "completed" && view.result) settle(view.result);
      });
    });
  }

  async counts(): Promise<QueueCounts> {
    const counts = await this.queue.getJobCounts(
      "waiting",
      "active",
      "delayed",
      "completed",
      "failed",
      "prioritized",
    );
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  private async ensureEvents(): Promise<void> {
    if (this.events) return;
    const connection = this.options.eventsConnection ?? this.options.connection.duplicate();
    const events = new QueueEvents(jobCatalog.write.queue, {
      connection,
      prefix: this.options.prefix,
    });
    this.events = events;
    events.on("completed", ({ jobId, returnvalue }) => {
      const set = this.waiters.get(jobId);
      if (!set) return;
      const raw = typeof returnvalue === "string" ? safeJson(returnvalue) : returnvalue;
      const parsed = writeJobResultSchema.safeParse(raw);
      for (const settle of [...set]) settle(parsed.success ? parsed.data : null);
    });
    await events.waitUntilReady();
  }

  /**
   * Ends every wait now, and any later one at once, as if it had timed out: each waiting request
   * answers 202 with its operationId while the write goes on. Used when a shutdown's drain time
   * runs out.
   */
  releaseWaiters(): void {
    this.waitsReleased = true;
    for (const set of [...this.waiters.values()]) for (const settle of [...set]) settle(null);
  }

  async close(): Promise<void> {
    // Writes already accepted into this turn's batch still reach Redis.
    if (this.outgoing.length > 0) void this.sendOutgoing();
    await Promise.all([...this.sending]);
    this.releaseWaiters();
    await this.events?.close();
    await this.queue.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
