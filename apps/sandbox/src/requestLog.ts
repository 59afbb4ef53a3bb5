export interface RequestLogEntry {
  /** When the request arrived, ms since epoch. */
  at: number;
  method: string;
  /** Path as the provider sees it (without the /hubspot or /salesforce prefix and query). */
  path: string;
  status: number;
  /** True when the sandbox injected a fault into this request. */
  injected: boolean;
  /** Records this call wrote (created, updated or deleted). */
  records: number;
  /** Forwarded request headers whose names start with `sforce-` or `x-`, when there are any. */
  headers?: Record<string, string>;
}

/** Keeps the newest `capacity` entries, overwriting the oldest, so memory stays flat. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  push(entry: RequestLogEntry): void {
    if (this.entries.length < this.capacity) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first; with `since`, only entries that arrived at or after it. */
  list(since?: number): RequestLogEntry[] {
    const ordered =
      this.next === 0
        ? this.entries.slice()
        : this.entries.slice(this.next).concat(this.entries.slice(0, this.next));
    return since === undefined ? ordered : ordered.filter((entry) => entry.at >= since);
  }
}
