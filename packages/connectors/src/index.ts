export type {
  BatchInput,
  BatchOptions,
  BatchResult,
  ConnectionContext,
  Connector,
  ForwardedHeader,
  OAuthClientCredentials,
  RecordOutcome,
  RefreshedToken,
  RefreshOptions,
  WriteOptions,
} from "./connector";
export { connectorFor } from "./connectorFor";
export {
  classifyNetworkError,
  type ErrorDisposition,
  type ErrorRule,
  isProviderError,
  ProviderError,
  type ProviderErrorInit,
  parseRetryAfterMs,
} from "./errors";
export { classifyHubSpotError } from "./hubspot/classifyHubSpotError";
export { hubSpotErrorCodes, hubSpotStatusRules } from "./hubspot/errorCodes";
export { hubSpotConnector } from "./hubspot/hubSpotConnector";
export { parseHubSpotLimits } from "./hubspot/limits";
export { hubSpotObjectType } from "./hubspot/objectTypes";
export type { LimitInfo } from "./limits";
export { classifySalesforceError } from "./salesforce/classifySalesforceError";
export { salesforceErrorCodes } from "./salesforce/errorCodes";
export { parseSalesforceLimits } from "./salesforce/limits";
export { salesforceConnector } from "./salesforce/salesforceConnector";
export { salesforceSObjectName } from "./salesforce/sObjectNames";
