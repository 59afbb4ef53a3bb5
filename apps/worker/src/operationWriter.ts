import { type Db, type OperationSnapshot, saveOperations } from "@writ/db";
import { type SpanOptions, withSpan } from "@writ/telemetry";

const dbSaveSpan: SpanOptions = { attributes: { "db.system.name": "postgresql" } };

interface Pending {
  snapshot: OperationSnapshot;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit for operation results. Jobs finishing at the same moment share one database
 * transaction: a save waits at most `maxDelayMs` for company, or goes at once when `maxBatch`
 * saves are waiting. A job is only acknowledged once its save is durable.
 */
export class OperationWriter {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly db: Db,
    private readonly options: { maxBatch?: number; maxDelayMs?: number; maxInFlight?: number } = {},
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
      if (this.pending.length >= (this.options.maxBatch ?? 200)) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxDelayMs ?? 5);
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

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    if (this.inFlight >= (this.options.maxInFlight ?? 4)) {
      // Back-pressure: the next batch forms while the database catches up.
      this.timer = setTimeout(() => this.flush(), this.options.maxDelayMs ?? 5);
      return;
    }
    const batch = this.pending;
    this.pending = [];
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
        if (this.pending.length > 0) this.timer ??= setTimeout(() => this.flush(), 0);
        else if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }
}
