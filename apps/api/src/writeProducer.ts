import { type WriteJob, writeJobSpanAttributes } from "@writ/queue";
import { injectTraceContext, tracingEnabled, withSpan } from "@writ/telemetry";
import type { AppDeps } from "./deps";

/**
 * Enqueues a write job inside a PRODUCER span whose trace context travels in the job, so the
 * worker's CONSUMER span continues the same trace (one trace id from the HTTP request to the
 * provider call).
 */
export function sendWriteJob(deps: Pick<AppDeps, "writes">, job: WriteJob): Promise<void> {
  if (!tracingEnabled()) return deps.writes.enqueue(job);
  return withSpan(
    "send writes",
    { kind: "producer", attributes: writeJobSpanAttributes(job, "send") },
    () => {
      const trace = injectTraceContext();
      return deps.writes.enqueue(trace ? { ...job, trace } : job);
    },
  );
}
