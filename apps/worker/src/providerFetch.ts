import { type ProviderName, providerNames, providers } from "@writ/contracts";
import type { WritMetrics } from "@writ/telemetry";
import type { WorkerEnv } from "./env";

/** Which provider a request URL belongs to, for metric labels. */
export type ProviderOfUrl = (url: string) => ProviderName | "other";

// Hosts of the real providers; Salesforce instance URLs are per org (`acme.my.salesforce.com`).
const providerHosts: Array<[suffix: string, provider: ProviderName]> = [
  ["hubapi.com", "hubspot"],
  ["hubspot.com", "hubspot"],
  ["salesforce.com", "salesforce"],
  ["force.com", "salesforce"],
];

/**
 * Recognises a provider call by the configured endpoints first (a proxy, or the sandbox's
 * `/hubspot` and `/salesforce` roots), then by the providers' own hosts.
 */
export function providerOfUrlFrom(env: WorkerEnv): ProviderOfUrl {
  const configured: Record<ProviderName, Array<string | null | undefined>> = {
    hubspot: [
      env.WRIT_PROVIDER_BASE_URL_HUBSPOT,
      env.WRIT_PROVIDER_TOKEN_URL_HUBSPOT,
      providers.hubspot.baseUrl,
    ],
    salesforce: [
      env.WRIT_PROVIDER_BASE_URL_SALESFORCE,
      env.WRIT_PROVIDER_TOKEN_URL_SALESFORCE,
      providers.salesforce.baseUrl,
    ],
  };
  const prefixes = providerNames
    .flatMap((provider) =>
      configured[provider].flatMap((url) =>
        url ? [[url.replace(/\/+$/, ""), provider] as const] : [],
      ),
    )
    // Longest first, so `http://host/salesforce` wins over a bare `http://host`.
    .sort((a, b) => b[0].length - a[0].length);
  return (url) => {
    for (const [prefix, provider] of prefixes) {
      if (url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`))
        return provider;
    }
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      return "other";
    }
    for (const [suffix, provider] of providerHosts) {
      if (host === suffix || host.endsWith(`.${suffix}`)) return provider;
    }
    return "other";
  };
}

/**
 * A fetch that records each provider call's duration and status, and counts rate-limit answers:
 * any 429, and Salesforce's 403 REQUEST_LIMIT_EXCEEDED (its daily API allocation spent).
 */
export function instrumentProviderFetch(
  metrics: WritMetrics,
  providerOf: ProviderOfUrl,
  baseFetch: typeof fetch = fetch,
): typeof fetch {
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const provider = providerOf(url);
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    let response: Response;
    try {
      response = await baseFetch(input, init);
    } catch (error) {
      metrics.providerRequest(provider, "error", seconds());
      throw error;
    }
    metrics.providerRequest(provider, response.status, seconds());
    if (response.status === 429 || (response.status === 403 && (await dailyLimitSpent(response)))) {
      metrics.providerRateLimit(provider);
    }
    return response;
  };
}

async function dailyLimitSpent(response: Response): Promise<boolean> {
  try {
    return (await response.clone().text()).includes("REQUEST_LIMIT_EXCEEDED");
  } catch {
    return false;
  }
}
