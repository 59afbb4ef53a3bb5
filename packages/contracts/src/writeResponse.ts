import type {
  WriteResponseBatch,
  WriteResponseSingleFail,
  WriteResponseSingleSuccess,
  WriteResult,
} from "./write";

export interface FinishedRecord {
  status: "success" | "failure" | "pending";
  recordId?: string | undefined;
  error?: string | undefined;
  data?: Record<string, unknown> | undefined;
}

export interface FinishedWrite {
  operationId: string;
  isBatch: boolean;
  records: FinishedRecord[];
  /** Errors about the whole operation (deadline passed, batch rolled back, ...). */
  errors?: Array<{ message: string }> | undefined;
}

export interface WriteHttpAnswer {
  httpStatus: 200 | 422;
  body: WriteResponseSingleSuccess | WriteResponseSingleFail | WriteResponseBatch;
}

/**
 * The synchronous answer to a finished write, in Ampersand's shapes: 200 on success, 422 when
 * the provider refused (a batch is 422 only when no record succeeded). The worker builds it when
 * a job ends, and the API rebuilds it from the stored operation when a request is replayed.
 */
export function writeHttpAnswer(write: FinishedWrite): WriteHttpAnswer {
  if (!write.isBatch) {
    const record = write.records[0];
    if (record?.status === "success") {
      const result: WriteResult = { success: true };
      if (record.recordId !== undefined) result.recordId = record.recordId;
      if (record.data !== undefined) result.data = record.data;
      return { httpStatus: 200, body: { operationId: write.operationId, result } };
    }
    const messages = [
      ...(record?.error ? [{ message: record.error }] : []),
      ...(write.errors ?? []),
    ];
    return {
      httpStatus: 422,
      body: {
        operationId: write.operationId,
        errors: messages.length > 0 ? messages : [{ message: "the write failed" }],
        result: { success: false },
      },
    };
  }
  const successCount = write.records.filter((r) => r.status === "success").length;
  const failureCount = write.records.length - successCount;
  const recordErrors = write.records.flatMap((r, index) =>
    r.status === "failure" && r.error ? [{ message: `record ${index}: ${r.error}` }] : [],
  );
  const errors = [...(write.errors ?? []), ...recordErrors];
  const body: WriteResponseBatch = {
    operationId: write.operationId,
    successCount,
    failureCount,
    results: write.records.map((r) =>
      r.status === "success"
        ? { success: true, ...(r.recordId !== undefined ? { recordId: r.recordId } : {}) }
        : { success: false },
    ),
    ...(errors.length > 0 ? { errors } : {}),
  };
  return { httpStatus: successCount === 0 ? 422 : 200, body };
}
