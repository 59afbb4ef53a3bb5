import { jobCatalog, type WriteJob } from "./catalog";

/**
 * Span attributes of a write job on either side of the queue (OpenTelemetry messaging
 * conventions, plus Writ's own). Ids and names only: never record contents, headers or
 * credentials.
 */
export function writeJobSpanAttributes(
  job: WriteJob,
  operation: "send" | "process",
): Record<string, string> {
  return {
    "messaging.system": "bullmq",
    "messaging.operation.type": operation,
    "messaging.destination.name": jobCatalog.write.queue,
    "messaging.message.id": job.operationId,
    "writ.operation_id": job.operationId,
    "writ.project": job.projectId,
    "writ.provider": job.provider,
    "writ.object": job.objectName,
    "writ.group_ref": job.groupRef,
    "writ.write_type": job.type,
  };
}
