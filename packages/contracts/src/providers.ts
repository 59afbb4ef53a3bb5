/**
 * Provider facts, as data. Behaviour (request shapes, error parsing) lives in each provider's
 * folder in @writ/connectors; anything that is a number, a URL or a list lives here.
 */

export const providerNames = ["hubspot", "salesforce"] as const;
export type ProviderName = (typeof providerNames)[number];

export interface RateLimitBudget {
  /** Requests allowed per `intervalMs` (a rolling window at the provider). */
  readonly requests: number;
  readonly intervalMs: number;
  /** Requests in flight at once; null when the provider sets no cap. */
  readonly maxConcurrent: number | null;
  /** Requests allowed per rolling 24 h; null when the provider sets no daily cap. */
  readonly daily: number | null;
}

export interface ProviderFacts {
  readonly name: ProviderName;
  readonly displayName: string;
  /** Default API base URL; Salesforce uses the connection's instance URL instead. */
  readonly baseUrl: string | null;
  readonly tokenUrl: string;
  /** Largest batch one provider batch call accepts. */
  readonly maxBatchSize: number;
  readonly defaultRateLimit: RateLimitBudget;
  /** Whether `associations` in a write request mean anything to this provider. */
  readonly supportsAssociations: boolean;
  /** Whether `headers` in a write request are forwarded on the provider call. */
  readonly forwardsHeaders: boolean;
}

export const providers: Readonly<Record<ProviderName, ProviderFacts>> = {
  hubspot: {
    name: "hubspot",
    displayName: "HubSpot",
    baseUrl: "https://api.hubapi.com",
    tokenUrl: "https://api.hubapi.com/oauth/v1/token",
    maxBatchSize: 100,
    // Free/Starter private apps: 100 per 10 s. Professional/Enterprise (190) and public OAuth
    // apps (110) are set per connection.
    defaultRateLimit: { requests: 100, intervalMs: 10_000, maxConcurrent: null, daily: null },
    supportsAssociations: true,
    forwardsHeaders: false,
  },
  salesforce: {
    name: "salesforce",
    displayName: "Salesforce",
    baseUrl: null,
    tokenUrl: "https://login.salesforce.com/services/oauth2/token",
    maxBatchSize: 200,
    // Salesforce caps long-running concurrent requests at 25 per org and allocates a daily
    // budget by edition and licences; 100,000 is the Enterprise edition floor.
    defaultRateLimit: { requests: 25, intervalMs: 1_000, maxConcurrent: 25, daily: 100_000 },
    supportsAssociations: false,
    forwardsHeaders: true,
  },
};

export function isProviderName(value: string): value is ProviderName {
  return (providerNames as readonly string[]).includes(value);
}

/** Salesforce REST API version used for every call. */
export const salesforceApiVersion = "v62.0";
