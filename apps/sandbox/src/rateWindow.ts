/**
 * A rolling (sliding) window counter: at most `limit` acquisitions in any `intervalMs` span,
 * the way HubSpot's TEN_SECONDLY_ROLLING policy counts. Timestamps live in a queue that only
 * grows to the number of calls inside the window, so a huge limit costs nothing up front.
 */
export class RollingWindow {
  private stamps: number[] = [];
  private head = 0;

  constructor(
    readonly limit: number,
    readonly intervalMs: number,
  ) {}

  /** Counts one call at `now` unless the window is full; rejected calls are not counted. */
  tryAcquire(now: number): boolean {
    this.evict(now);
    if (this.stamps.length - this.head >= this.limit) return false;
    this.stamps.push(now);
    return true;
  }

  remaining(now: number): number {
    this.evict(now);
    return Math.max(0, this.limit - (this.stamps.length - this.head));
  }

  /** How long until one more call fits; 0 when it fits now. */
  msUntilFree(now: number): number {
    this.evict(now);
    if (this.stamps.length - this.head < this.limit) return 0;
    const oldest = this.stamps[this.head] ?? now;
    return Math.max(1, oldest + this.intervalMs - now);
  }

  private evict(now: number): void {
    const cutoff = now - this.intervalMs;
    while (this.head < this.stamps.length && (this.stamps[this.head] ?? now) <= cutoff) {
      this.head++;
    }
    // Compact now and then so the array does not grow forever under steady traffic.
    if (this.head > 1024 && this.head * 2 > this.stamps.length) {
      this.stamps = this.stamps.slice(this.head);
      this.head = 0;
    }
  }
}

const dayMs = 24 * 60 * 60 * 1000;

/** A daily allowance that starts counting at the first call and resets 24 hours later. */
export class DailyAllowance {
  private windowStart = 0;
  private usedCount = 0;

  constructor(readonly limit: number) {}

  tryAcquire(now: number): boolean {
    this.roll(now);
    if (this.usedCount >= this.limit) return false;
    this.usedCount++;
    return true;
  }

  used(now: number): number {
    this.roll(now);
    return this.usedCount;
  }

  private roll(now: number): void {
    if (now - this.windowStart >= dayMs) {
      this.windowStart = now;
      this.usedCount = 0;
    }
  }
}
