import type { ProviderName } from "@writ/contracts";

/**
 * A validated `amp.yaml`, as plain JSON (unknown keys dropped), the shape stored as a revision's
 * content. Names and optionality follow Ampersand's manifest schema.
 */
export interface Manifest {
  specVersion: "1.0.0";
  integrations: IntegrationManifest[];
}

export interface IntegrationManifest {
  /** Unique within the manifest; applications may address the integration by it. */
  name: string;
  provider: ProviderName;
  displayName?: string;
  module?: string;
  read?: { objects: ReadObject[] };
  write?: { objects: WriteObject[] };
  subscribe?: { objects: SubscribeObject[] };
  proxy?: ProxyAction;
  watchSchema?: WatchSchema;
}

export interface WriteObject {
  objectName: string;
  /** Write through the field mapping the customer chose for the read object of the same name. */
  inheritMapping?: boolean;
  valueDefaults?: { allowAnyFields?: boolean };
}

export interface ReadObject {
  objectName: string;
  destination: string;
  /** 5-field cron expression (UTC); runs at least 10 minutes apart. */
  schedule: string;
  mapToName?: string;
  mapToDisplayName?: string;
  requiredFields?: IntegrationField[];
  optionalFields?: IntegrationField[];
  optionalFieldsAuto?: "all";
  backfill?: Backfill;
  delivery?: Delivery;
  /** `always`: read for every installation, even if the customer never selects the object. */
  enabled?: "always";
}

/** A provider field that exists (`fieldName`), or one the customer maps at install time. */
export type IntegrationField = IntegrationFieldExistent | IntegrationFieldMapping;

export interface IntegrationFieldExistent {
  fieldName: string;
  mapToName?: string;
  mapToDisplayName?: string;
}

export interface IntegrationFieldMapping {
  mapToName: string;
  mapToDisplayName?: string;
  default?: string;
  prompt?: string;
}

export interface Backfill {
  defaultPeriod: { days?: number; fullHistory?: boolean };
}

export interface Delivery {
  mode?: "onRequest" | "auto";
  /** 50 to 500. */
  pageSize?: number;
}

export interface SubscribeObject {
  objectName: string;
  destination: string;
  inheritFieldsAndMapping?: boolean;
  createEvent?: { enabled?: "always" };
  updateEvent?: {
    enabled?: "always";
    watchFieldsAuto?: "all" | "selected";
    requiredWatchFields?: string[];
  };
  deleteEvent?: { enabled?: "always" };
  associationChangeEvent?: { enabled?: "always"; includeFullRecords?: boolean };
  otherEvents?: string[];
}

export interface ProxyAction {
  enabled?: boolean;
  /** Default false: proxied paths are relative to the provider's root URL, not the module's. */
  useModule?: boolean;
}

export interface WatchSchema {
  destination: string;
  /** 5-field cron expression (UTC); runs at least an hour apart. */
  schedule?: string;
  allObjects: {
    fieldCreated?: { enabled: "always" };
    fieldDeleted?: { enabled: "always" };
    fieldChanged?: { enabled: "always" };
  };
}
