import { type Job, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { jobCatalog, type WriteJob, type WriteJobResult } from "./catalog";
import { connectionBacklogKey } from "./writeQueue";

/**
 * Thrown by a processor to have the job retried after `delayMs` (rate limits, transient
 * provider errors). The delay is the processor's decision, not a fixed backoff curve.
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = "RetryLaterError";
  }
}

/** Thrown by a processor for a job that must not run again (bad payload, poison job). */
export class PermanentJobError extends UnrecoverableError {}

export interface WriteJobContext {
  jobId: string;
  /** Attempts already made before this one (0 on the first run). */
  attemptsMade: number;
  /**
   * Whether an earlier run of this job may have written something: a retry, or a run cut off by
   * a worker that died or was stopped mid-job (the job stalled and came back to the queue).
   */
  ranBefore: boolean;
}

export interface WriteWorkerOptions {
  connection: Redis;
  prefix: string;
  concurrency: number;
  process(job: WriteJob, context: WriteJobContext): Promise<WriteJobResult>;
  /** Fallback delay when a processor throws something other than RetryLaterError. */
  defaultRetryDelayMs?: (attemptsMade: number) => number;
}

/**
 * Takes finished jobs out of their connections' backlogs (see WriteQueue's fairness note), one
 * DECRBY per connection for all the jobs that finish in the same turn of the event loop rather
 * than one command per job.
 */
class BacklogRelease {
  private readonly counts = new Map<string, number>();
  private sent: Promise<void> | undefined;

  constructor(private readonly connection: Redis) {}

  release(key: string): Promise<void> {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.sent ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.send());
    return this.sent;
  }

  private async send(): Promise<void> {
    const counts = [...this.counts];
    this.counts.clear();
    this.sent = undefined;
    // A counter that drifts is corrected by its TTL; a failed decrement must not fail the job.
    await Promise.all(
      counts.map(([key, count]) => this.connection.decrby(key, count).catch(() => 0)),
    );
  }
}

export function createWriteWorker(options: WriteWorkerOptions): Worker<WriteJob, WriteJobResult> {
  const backlog = new BacklogRelease(options.connection);
  const fallbackDelay =
    options.defaultRetryDelayMs ?? ((attempts: number) => Math.min(60_000, 500 * 2 ** attempts));
  return new Worker<WriteJob, WriteJobResult>(
    jobCatalog.write.queue,
    async (job: Job<WriteJob, WriteJobResult>) => {
      const parsed = jobCatalog.write.schema.safeParse(job.data);
      if (!parsed.success) {
        throw new PermanentJobError(`malformed write job: ${parsed.error.message}`);
      }
      const result = await options.process(parsed.data, {
        jobId: job.id ?? "",
        attemptsMade: job.attemptsMade,
        ranBefore: job.attemptsMade > 0 || job.attemptsStarted > 1 || job.stalledCounter > 0,
      });
      await backlog.release(connectionBacklogKey(options.prefix, parsed.data.connectionId));
      return result;
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      // A job whose worker dies mid-flight (OOM kill, node loss, a shutdown past its timeout)
      // keeps its lock until lockDuration (30 s) passes; a stalled check on another worker
      // (every stalledInterval, 30 s) then puts it back in the queue. BullMQ's default fails a
      // job that stalls more than once, which would turn an accepted write into a failure with
      // no provider error behind it. A provider call may have been in progress, but the rerun
      // resumes from what the operation recorded (records that succeeded are not sent again),
      // so stalling is safe to repeat; only a job that keeps killing its workers gives up.
      maxStalledCount: 10,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
          error instanceof RetryLaterError ? error.delayMs : fallbackDelay(attemptsMade),
      },
    },
  );
}
