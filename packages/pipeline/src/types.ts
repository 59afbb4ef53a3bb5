/**
 * The slice of an installation's config that the pipeline reads. These mirror Ampersand's
 * `WriteConfigObject` / `ReadConfigObject` (specs/ampersand/config_config.yaml) as plain types so
 * the pipeline depends on nothing; objects parsed by the config schemas fit them as they are.
 */

export type WriteType = "create" | "update" | "delete";

/**
 * A typed default value. Exactly one of the three is set (`validateFieldSettings` reports any
 * other shape). All three are optional in the type so that a default parsed from JSON fits it
 * without narrowing first.
 */
export interface FieldDefault {
  stringValue?: string;
  integerValue?: number;
  booleanValue?: boolean;
}

export interface FieldSetting {
  default?: FieldDefault;
  /** `always` when omitted. */
  writeOnCreate?: "always" | "never";
  /**
   * `always` when omitted. `ifEmpty` writes only where the provider's current value is unset,
   * null or the empty string, so a value the customer typed in by hand is never overwritten.
   */
  writeOnUpdate?: "always" | "never" | "ifEmpty";
}

/** Ampersand's deprecated default: a bare value, optionally limited to creates. */
export interface LegacyValueDefault {
  value: string | number | boolean;
  /** `always` when omitted; `never` applies the default on create only. */
  applyOnUpdate?: "always" | "never";
}

export interface WriteObjectConfig {
  objectName: string;
  /** Rename record fields through the read object's `selectedFieldMappings`. */
  inheritMapping?: boolean;
  /**
   * Writ extension: drop record fields that have no mapping, so a field the customer never
   * mapped cannot land in a provider field of the same name by accident. Only meaningful with
   * `inheritMapping`; ignored otherwise.
   */
  removeUnmappedFields?: boolean;
  /** Deletes are refused unless this is `{ enabled: true }`. */
  deletionSettings?: { enabled: boolean };
  /** Keyed by the application's field names (the `mapToName` when `inheritMapping` is on). */
  selectedFieldSettings?: Record<string, FieldSetting>;
  /** Deprecated. A `default` in `selectedFieldSettings` for the same field takes precedence. */
  selectedValueDefaults?: Record<string, LegacyValueDefault>;
}

export interface ReadObjectConfig {
  objectName: string;
  /** The application's field name (`mapToName`) → the provider's field name. */
  selectedFieldMappings?: Record<string, string>;
}

export type FieldAction = "kept" | "defaulted" | "renamed" | "dropped";

/**
 * `awaitingCurrentValue`: an `ifEmpty` field on update whose fate depends on the provider's
 * current value, which was not supplied. It is left out of the payload until the caller reads
 * the record and plans again.
 */
export type FieldPlanAction = FieldAction | "awaitingCurrentValue";

export interface FieldPlanEntry {
  /** The application's name for the field. */
  field: string;
  /** The provider field it is (or would have been) written to; absent when it has none. */
  providerField?: string;
  action: FieldPlanAction;
  /**
   * Why, as one sentence. Reasons never contain record values, so a plan is safe to log and to
   * show in a dry run.
   */
  reason: string;
}

export interface WritePlan {
  type: WriteType;
  /** The provider's record id, taken from `record.id` on update and delete. */
  recordId?: string;
  /** What to send to the provider, keyed by provider field names. Empty for delete. */
  payload: Record<string, unknown>;
  /** Every field of the record (other than the update/delete `id`) and every applied default. */
  fields: FieldPlanEntry[];
  /**
   * Provider field names whose current values are needed to decide `ifEmpty` fields. Non-empty
   * only when `currentRecord` was not supplied; those fields are missing from `payload`.
   */
  needsCurrentValues: string[];
}
