import type { Job, Worker } from "bullmq";
import {
  type WriteJob,
  type WriteJobResult,
  writeJobResultSchema,
  writeJobSchema,
} from "./catalog";

/** The consumer side of the write queue, as `createWriteWorker` returns it. */
export type WriteWorker = Worker<WriteJob, WriteJobResult>;

/**
 * Typed hooks on a write worker's outcomes, for metrics and logs, so apps never touch BullMQ's
 * event names or job objects. Listeners run after the outcome is stored in Redis and must not
 * throw.
 */

/** A job whose processor returned: the write is finished, successfully or not. */
export function onWriteCompleted(
  worker: WriteWorker,
  listener: (job: WriteJob, result: WriteJobResult) => void,
): void {
  worker.on("completed", (job: Job<WriteJob, WriteJobResult>, returnValue: WriteJobResult) => {
    const parsed = writeJobResultSchema.safeParse(returnValue);
    if (parsed.success) listener(job.data, parsed.data);
  });
}

/** An attempt that threw and will run again (a RetryLaterError, or a crash with attempts left). */
export function onWriteRetried(
  worker: WriteWorker,
  listener: (job: WriteJob, error: Error) => void,
): void {
  worker.on("failed", (job, error) => {
    if (job && !finished(job)) listener(job.data, error);
  });
}

/**
 * A job BullMQ gave up on: a permanent job error, or attempts exhausted. `job` is undefined
 * when BullMQ could not load it (a job that stalled too often) or its payload is malformed.
 */
export function onWriteFailed(
  worker: WriteWorker,
  listener: (job: WriteJob | undefined, error: Error) => void,
): void {
  worker.on("failed", (job, error) => {
    if (job && !finished(job)) return;
    const parsed = job ? writeJobSchema.safeParse(job.data) : undefined;
    listener(parsed?.success ? parsed.data : undefined, error);
  });
}

// BullMQ sets finishedOn only when a failure is final; a retried job goes back to delayed or
// waiting without it.
function finished(job: Job<WriteJob, WriteJobResult>): boolean {
  return typeof job.finishedOn === "number";
}
