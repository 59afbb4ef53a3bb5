import { type Db, type OperationSnapshot, saveOperations } from "@writ/db";
import { type SpanOptions, withSpan } from "@writ/telemetry";

const dbSaveSpan: SpanOptions = { attributes: { "db.system.name": "postgresql" } };

interface Pending {
  snapshot: OperationSnapshot;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit for operation results, without a timer: saves asked for in the same turn of the
 * event loop leave together, at once, while fewer than `maxInFlight` commits are running. Once
 * that many are in flight, new saves gather until one finishes and then leave as one batch (of
 * at most `maxBatch`). So a lone save is never held back, and under load the batches grow by
 * themselves with the database's commit time. A job is only acknowledged once its save is
 * durable.
 */
export class OperationWriter {
  private pending: Pending[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private inFlight = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly db: Db,
    private readonly options: { maxBatch?: number; maxInFlight?: number } = {},
  ) {}

  /** Resolves once the snapshot is durable; its `db save` span covers the wait and the commit. */
  save(snapshot: OperationSnapshot): Promise<void> {
    return withSpan("db save", dbSaveSpan, () => this.enqueue(snapshot));
  }

  private enqueue(snapshot: OperationSnapshot): Promise<void> {
    if (this.closed) {
      return Promise.reject(new Error("operation results are no longer saved: shutting down"));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ snapshot, resolve, reject });
      if (this.inFlight < this.maxInFlight) this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /**
   * Saves what is waiting at once and resolves when every save is durable, so shutdown can close
   * the database without dropping a result. Saves asked for afterwards are refused.
   */
  close(): Promise<void> {
    this.closed = true;
    if (this.pending.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.flush();
    });
  }

  private get maxInFlight(): number {
    return this.options.maxInFlight ?? 4;
  }

  private flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    // At the cap, the next batch forms while the database catches up; a finishing commit
    // flushes it.
    if (this.pending.length === 0 || this.inFlight >= this.maxInFlight) return;
    const batch = this.pending.splice(0, this.options.maxBatch ?? 500);
    this.inFlight++;
    saveOperations(
      this.db,
      batch.map((item) => item.snapshot),
    )
      .then(
        () => {
          for (const item of batch) item.resolve();
        },
        (error: unknown) => {
          for (const item of batch) item.reject(error);
        },
      )
      .finally(() => {
        this.inFlight--;
        if (this.pending.length > 0) this.flush();
        else if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }
}
