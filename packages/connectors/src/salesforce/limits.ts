import { compactLimits, type LimitInfo } from "../limits";

/**
 * Salesforce reports the org's rolling 24 h allocation on every REST response:
 * `Sforce-Limit-Info: api-usage=18/15000`, sometimes followed by
 * `, per-app-api-usage=17/250(appName=…)`. Only the org-wide figure is read.
 */
export function parseSalesforceLimits(headers: Headers): LimitInfo | undefined {
  const raw = headers.get("sforce-limit-info");
  if (!raw) return undefined;
  const match = /(?:^|[\s,;])api-usage=(\d+)\/(\d+)/i.exec(raw);
  if (!match) return undefined;
  return compactLimits({ dailyUsed: Number(match[1]), dailyLimit: Number(match[2]) });
}
