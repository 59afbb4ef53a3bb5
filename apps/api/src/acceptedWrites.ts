import type { WriteQueue } from "@writ/queue";
import type { WritMetrics } from "@writ/telemetry";

/**
 * Counts `writ_writes_accepted_total` at the one place every accepted write passes: the
 * queue's enqueue, once Redis has the job (a failed enqueue answers an error, not acceptance).
 */
export function countAcceptedWrites(writes: WriteQueue, metrics: WritMetrics): void {
  const enqueue = writes.enqueue.bind(writes);
  writes.enqueue = async (job) => {
    await enqueue(job);
    metrics.writeAccepted(job);
  };
}
