import type { ProviderName } from "@writ/contracts";
import type { Connector } from "./connector";
import { hubSpotConnector } from "./hubspot/hubSpotConnector";
import { salesforceConnector } from "./salesforce/salesforceConnector";

const connectors: Readonly<Record<ProviderName, Connector>> = {
  hubspot: hubSpotConnector,
  salesforce: salesforceConnector,
};

export function connectorFor(provider: ProviderName): Connector {
  return connectors[provider];
}
