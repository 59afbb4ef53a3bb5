/** The string code that stands for Salesforce's row-lock contention among injected statuses. */
export const lockErrorCode = "UNABLE_TO_LOCK_ROW";

export interface FaultConfig {
  /** 0..1: probability that a request is answered with one of `statuses` instead of being served. */
  errorRate?: number;
  /**
   * Statuses to inject, picked uniformly. HubSpot default [429, 502, 503]; Salesforce default
   * [503, "UNABLE_TO_LOCK_ROW"]. "UNABLE_TO_LOCK_ROW" is a lock error: a top-level 400 on
   * single-record writes, one failed record inside a composite call.
   */
  statuses?: Array<number | typeof lockErrorCode>;
  /**
   * 0..1: probability, drawn per record written, of a lock error (Salesforce UNABLE_TO_LOCK_ROW;
   * a 423 Locked per request on HubSpot).
   */
  lockErrorRate?: number;
  /** Extra delay added to every request, on top of the account's latencyMs. */
  latencyMs?: number;
  /** Makes the injected sequence repeatable: same seed and same request order, same faults. */
  seed?: number;
}

export type InjectedFault = { kind: "status"; status: number } | { kind: "lock" };

/** mulberry32: tiny, fast and good enough to make fault sequences reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  readonly random: () => number;
  private readonly statuses: Array<number | typeof lockErrorCode>;

  constructor(
    readonly config: FaultConfig,
    defaultStatuses: Array<number | typeof lockErrorCode>,
  ) {
    this.random = config.seed === undefined ? Math.random : seededRandom(config.seed);
    this.statuses =
      config.statuses && config.statuses.length > 0 ? config.statuses : defaultStatuses;
  }

  get latencyMs(): number {
    return this.config.latencyMs ?? 0;
  }

  /** Draws whether this request fails as a whole, and how. */
  requestFault(): InjectedFault | null {
    const rate = this.config.errorRate ?? 0;
    if (rate <= 0 || this.random() >= rate) return null;
    const picked = this.statuses[Math.floor(this.random() * this.statuses.length)];
    if (picked === undefined) return null;
    return picked === lockErrorCode ? { kind: "lock" } : { kind: "status", status: picked };
  }

  /** Draws whether one record write hits a lock. */
  recordLock(): boolean {
    const rate = this.config.lockErrorRate ?? 0;
    return rate > 0 && this.random() < rate;
  }

  pickIndex(count: number): number {
    return Math.floor(this.random() * count);
  }
}
