import { type Db, type OperationSnapshot, saveOperations } from "@writ/db";

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

  constructor(
    private readonly db: Db,
    private readonly options: { maxBatch?: number; maxDelayMs?: number; maxInFlight?: number } = {},
  ) {}

  save(snapshot: OperationSnapshot): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ snapshot, resolve, reject });
      if (this.pending.length >= (this.options.maxBatch ?? 200)) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxDelayMs ?? 5);
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
      });
  }
}
