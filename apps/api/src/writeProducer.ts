import { type WriteJob, writeJobSpanAttributes } from "@writ/queue";
import {
  injectTraceContext,
  type TracedSpan,
  tracingEnabled,
  withDetachedSpan,
} from "@writ/telemetry";
import type { AppDeps } from "./deps";

/**
 * Enqueues a write job inside a PRODUCER span, child of `parent` (the request's SERVER span),
 * whose trace context travels in the job, so the worker's CONSUMER span continues the same
 * trace (one trace id from the HTTP request to the provider call).
 */
export function sendWriteJob(
  deps: Pick<AppDeps, "writes">,
  job: WriteJob,
  parent: TracedSpan | undefined,
): Promise<void> {
  if (!tracingEnabled()) return deps.writes.enqueue(job);
  return withDetachedSpan(
    "send writes",
    { kind: "producer", parent, attributes: writeJobSpanAttributes(job, "send") },
    (span) => {
      const trace = injectTraceContext(span);
      return deps.writes.enqueue(trace ? { ...job, trace } : job);
    },
  );
}
