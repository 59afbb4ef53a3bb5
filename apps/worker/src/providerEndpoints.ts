import { type ProviderName, providers } from "@writ/contracts";
import type { WorkerEnv } from "./env";

export interface ProviderEndpoints {
  /** API root for a connection: the override, else the connection's instance URL, else the provider's. */
  baseUrl(provider: ProviderName, instanceUrl: string | null): string | null;
  tokenUrl(provider: ProviderName): string;
}

export function providerEndpointsFrom(env: WorkerEnv): ProviderEndpoints {
  const baseOverrides: Record<ProviderName, string | undefined> = {
    hubspot: env.WRIT_PROVIDER_BASE_URL_HUBSPOT,
    salesforce: env.WRIT_PROVIDER_BASE_URL_SALESFORCE,
  };
  const tokenOverrides: Record<ProviderName, string | undefined> = {
    hubspot: env.WRIT_PROVIDER_TOKEN_URL_HUBSPOT,
    salesforce: env.WRIT_PROVIDER_TOKEN_URL_SALESFORCE,
  };
  return {
    baseUrl: (provider, instanceUrl) =>
      baseOverrides[provider] ?? instanceUrl ?? providers[provider].baseUrl,
    tokenUrl: (provider) => tokenOverrides[provider] ?? providers[provider].tokenUrl,
  };
}
