import { compactLimits, type LimitInfo, numericHeader } from "../limits";

/**
 * HubSpot reports its rolling window on every response (`X-HubSpot-RateLimit-Max`,
 * `-Remaining`, `-Interval-Milliseconds`) and, for private apps, the daily allocation
 * (`-Daily`, `-Daily-Remaining`).
 */
export function parseHubSpotLimits(headers: Headers): LimitInfo | undefined {
  const daily = numericHeader(headers, "x-hubspot-ratelimit-daily");
  const dailyRemaining = numericHeader(headers, "x-hubspot-ratelimit-daily-remaining");
  return compactLimits({
    max: numericHeader(headers, "x-hubspot-ratelimit-max"),
    remaining: numericHeader(headers, "x-hubspot-ratelimit-remaining"),
    intervalMs: numericHeader(headers, "x-hubspot-ratelimit-interval-milliseconds"),
    dailyLimit: daily,
    dailyUsed:
      daily !== undefined && dailyRemaining !== undefined ? daily - dailyRemaining : undefined,
  });
}
