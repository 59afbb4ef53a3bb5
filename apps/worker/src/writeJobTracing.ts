import {
  type WriteJob,
  type WriteJobContext,
  type WriteJobResult,
  writeJobSpanAttributes,
} from "@writ/queue";
import { extractTraceContext, tracingEnabled, withSpan } from "@writ/telemetry";

type WriteProcessor = (job: WriteJob, context: WriteJobContext) => Promise<WriteJobResult>;

/**
 * Runs each job attempt in a CONSUMER `process writes` span whose parent is the API's PRODUCER
 * span (its context travels in `job.trace`), so a write is one trace from the HTTP request to
 * the provider call. Every attempt of a retried job joins that same trace.
 */
export function traceWriteJobs(process: WriteProcessor): WriteProcessor {
  return (job, context) => {
    if (!tracingEnabled()) return process(job, context);
    return withSpan(
      "process writes",
      {
        kind: "consumer",
        parent: extractTraceContext(job.trace),
        attributes: {
          ...writeJobSpanAttributes(job, "process"),
          "writ.attempt": context.attemptsMade + 1,
          "writ.record_count": job.records.length,
        },
      },
      async (span) => {
        const result = await process(job, context);
        span.setAttribute("writ.outcome", result.status);
        return result;
      },
    );
  };
}
