/**
 * A provider's budget as reported by its response headers. Every field is optional: each
 * provider reports a different subset, and some responses (errors from a proxy, say) carry none.
 */
export interface LimitInfo {
  /** Requests left in the current short window (HubSpot rolling window). */
  remaining?: number;
  /** Requests allowed per short window. */
  max?: number;
  /** Length of the short window. */
  intervalMs?: number;
  /** Requests used from the daily allocation (Salesforce: rolling 24 h). */
  dailyUsed?: number;
  /** Daily allocation. */
  dailyLimit?: number;
}

/** Reads a header as a finite number; undefined when absent or not a number. */
export function numericHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === "") return undefined;
  const value = Number(raw.trim());
  return Number.isFinite(value) ? value : undefined;
}

/** Drops undefined fields; returns undefined when nothing was reported. */
export function compactLimits(limits: LimitInfo): LimitInfo | undefined {
  const entries = Object.entries(limits).filter(([, value]) => value !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as LimitInfo) : undefined;
}
