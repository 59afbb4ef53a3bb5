import { PipelineInputError } from "./errors";
import type {
  FieldDefault,
  FieldPlanEntry,
  FieldSetting,
  ReadObjectConfig,
  WriteObjectConfig,
  WritePlan,
  WriteType,
} from "./types";

export interface PlanWriteInput {
  type: WriteType;
  /** As the application sent it; never mutated, and its values are passed on by reference. */
  record: Record<string, unknown>;
  writeObject: WriteObjectConfig;
  /** The read object whose `selectedFieldMappings` an `inheritMapping` write object uses. */
  readObject?: ReadObjectConfig;
  /**
   * The provider's current values, keyed by provider field name. Only consulted on update, for
   * `ifEmpty` fields; a field missing from it counts as unset. Without it, `ifEmpty` fields are
   * left out of the payload and listed in `needsCurrentValues` (see `fieldsNeedingCurrentValues`).
   */
  currentRecord?: Record<string, unknown>;
}

/**
 * Turns one record into the provider payload for one installation, following Writ's pipeline
 * order: take out `id` (update, delete) → apply defaults to absent fields → drop fields by the
 * overwrite policy (`writeOnCreate`, `writeOnUpdate`, `ifEmpty`) → rename through the inherited
 * mapping → drop unmapped fields when asked. Every field's fate and its reason land in the plan.
 *
 * `ifEmpty` on update needs the provider's current values. When some `ifEmpty` field is in play
 * and `currentRecord` is not given, those fields are left out of the payload and named in
 * `needsCurrentValues`: read them from the provider and call again with `currentRecord`. Call
 * `fieldsNeedingCurrentValues` first to know whether a read is needed at all.
 *
 * Throws `PipelineInputError` when an update or delete has no `id`, when a delete targets an
 * object without deletion enabled, and when two record fields would write one provider field.
 * Runs in time linear in the number of fields and settings; record values are not copied.
 */
export function planWrite(input: PlanWriteInput): WritePlan {
  const { type, record, writeObject } = input;

  if (type === "create") {
    return planFields(input, { type, payload: {}, fields: [], needsCurrentValues: [] });
  }

  const recordId = takeRecordId(record, type);
  if (type === "delete") {
    return planDelete(writeObject, record, recordId);
  }
  return planFields(input, { type, recordId, payload: {}, fields: [], needsCurrentValues: [] });
}

/**
 * The provider fields whose current values `planWrite` needs to decide `ifEmpty` fields on an
 * update; empty when no read is needed. Fields the overwrite policy or unmapped-field removal
 * drops anyway are not included.
 */
export function fieldsNeedingCurrentValues(input: Omit<PlanWriteInput, "currentRecord">): string[] {
  if (input.type !== "update") return [];
  return planWrite({ ...input, currentRecord: undefined }).needsCurrentValues;
}

/** Whether the installation allows deletes of this object; off unless explicitly enabled. */
export function isDeletionEnabled(writeObject: WriteObjectConfig): boolean {
  return writeObject.deletionSettings?.enabled === true;
}

function takeRecordId(record: Record<string, unknown>, type: "update" | "delete"): string {
  const id = Object.hasOwn(record, "id") ? record.id : undefined;
  if (typeof id === "string" && id.trim() !== "") return id;
  // HubSpot ids are numeric strings; an application may well send them as numbers.
  if (typeof id === "number" && Number.isSafeInteger(id) && id >= 0) return String(id);
  throw new PipelineInputError(
    "missing_record_id",
    `record.id is required for ${type} and must be a non-empty string (the provider's record id)`,
  );
}

function planDelete(
  writeObject: WriteObjectConfig,
  record: Record<string, unknown>,
  recordId: string,
): WritePlan {
  if (!isDeletionEnabled(writeObject)) {
    throw new PipelineInputError(
      "deletion_disabled",
      `deletion is not enabled for object "${writeObject.objectName}"; set deletionSettings.enabled to true in the installation's write config`,
    );
  }
  const fields: FieldPlanEntry[] = [];
  for (const field of Object.keys(record)) {
    if (field === "id") continue;
    fields.push({ field, action: "dropped", reason: "a delete sends only the record id" });
  }
  return { type: "delete", recordId, payload: {}, fields, needsCurrentValues: [] };
}

interface ResolvedDefault {
  value: string | number | boolean;
  reason: string;
}

interface PlanContext {
  type: "create" | "update";
  writeObject: WriteObjectConfig;
  readObject: ReadObjectConfig | undefined;
  currentRecord: Record<string, unknown> | undefined;
  plan: WritePlan;
  /** Provider field → the application field that claimed it, to catch two fields writing one. */
  claimedBy: Map<string, { field: string; defaulted: boolean }>;
}

function planFields(input: PlanWriteInput, plan: WritePlan): WritePlan {
  const { record, writeObject } = input;
  const type = input.type === "create" ? "create" : "update";
  const context: PlanContext = {
    type,
    writeObject,
    readObject: input.readObject,
    currentRecord: input.currentRecord,
    plan,
    claimedBy: new Map(),
  };

  // Record fields first, so that when a default and a record field land on the same provider
  // field, the value the application actually sent wins.
  for (const field of Object.keys(record)) {
    if (field === "id" && type === "update") continue;
    const value = record[field];
    if (value === undefined) {
      // An explicit `undefined` counts as absent: a default (applied below) replaces it.
      if (resolveDefault(writeObject, field, type) === undefined) {
        plan.fields.push({ field, action: "dropped", reason: "value is undefined" });
      }
      continue;
    }
    placeField(context, field, value, undefined);
  }

  const settings = writeObject.selectedFieldSettings;
  if (settings) {
    for (const field of Object.keys(settings)) {
      if (ownSetting(settings, field)?.default === undefined || isPresent(record, field)) continue;
      const resolved = resolveDefault(writeObject, field, type);
      if (resolved) placeField(context, field, resolved.value, resolved.reason);
    }
  }
  const legacyDefaults = writeObject.selectedValueDefaults;
  if (legacyDefaults) {
    for (const field of Object.keys(legacyDefaults)) {
      // A `default` setting for the field was handled above and overrides the legacy one.
      if (ownSetting(settings, field)?.default !== undefined || isPresent(record, field)) continue;
      const resolved = resolveDefault(writeObject, field, type);
      if (resolved) placeField(context, field, resolved.value, resolved.reason);
    }
  }
  return plan;
}

/** `null` and `""` are values the application chose to send; only a missing key is absent. */
function isPresent(record: Record<string, unknown>, field: string): boolean {
  return Object.hasOwn(record, field) && record[field] !== undefined;
}

/** Own keys only: a field called `constructor` must not find `Object.prototype.constructor`. */
function ownSetting(
  settings: Record<string, FieldSetting> | undefined,
  field: string,
): FieldSetting | undefined {
  return settings !== undefined && Object.hasOwn(settings, field) ? settings[field] : undefined;
}

function resolveDefault(
  writeObject: WriteObjectConfig,
  field: string,
  type: "create" | "update",
): ResolvedDefault | undefined {
  const fieldDefault = ownSetting(writeObject.selectedFieldSettings, field)?.default;
  if (fieldDefault !== undefined) return typedDefault(fieldDefault);

  const legacyDefaults = writeObject.selectedValueDefaults;
  const legacy =
    legacyDefaults && Object.hasOwn(legacyDefaults, field) ? legacyDefaults[field] : undefined;
  if (legacy?.value === undefined) return undefined;
  if (type === "update" && legacy.applyOnUpdate === "never") return undefined;
  return {
    value: legacy.value,
    reason: "default applied from selectedValueDefaults (legacy): field absent",
  };
}

function typedDefault(fieldDefault: FieldDefault): ResolvedDefault | undefined {
  // A well-formed default holds exactly one value (validateFieldSettings); should a malformed one
  // slip through, the first of string, integer, boolean is used rather than failing every write.
  if (fieldDefault.stringValue !== undefined) {
    return { value: fieldDefault.stringValue, reason: "default stringValue applied: field absent" };
  }
  if (fieldDefault.integerValue !== undefined) {
    return {
      value: fieldDefault.integerValue,
      reason: "default integerValue applied: field absent",
    };
  }
  if (fieldDefault.booleanValue !== undefined) {
    return {
      value: fieldDefault.booleanValue,
      reason: "default booleanValue applied: field absent",
    };
  }
  return undefined;
}

type ProviderField =
  | { name: string; mappingReason: string | undefined }
  | { name: undefined; mappingReason: string };

/** Step 4 and 5 of the pipeline for one field: where it goes, or that it has nowhere to go. */
function resolveProviderField(context: PlanContext, field: string): ProviderField {
  const { writeObject, readObject } = context;
  if (writeObject.inheritMapping !== true) return { name: field, mappingReason: undefined };

  const mappings = readObject?.selectedFieldMappings;
  const mapped = mappings && Object.hasOwn(mappings, field) ? mappings[field] : undefined;
  if (typeof mapped === "string" && mapped !== "") {
    const source = `read.objects.${readObject?.objectName}.selectedFieldMappings`;
    return {
      name: mapped,
      mappingReason:
        mapped === field
          ? `mapped to the same name via ${source}`
          : `mapped to ${mapped} via ${source}`,
    };
  }
  if (writeObject.removeUnmappedFields === true) {
    return { name: undefined, mappingReason: "unmapped and removeUnmappedFields is on" };
  }
  return { name: field, mappingReason: "unmapped; passed through unchanged" };
}

function placeField(
  context: PlanContext,
  field: string,
  value: unknown,
  defaultReason: string | undefined,
): void {
  const { type, plan } = context;
  const setting = ownSetting(context.writeObject.selectedFieldSettings, field);
  const provider = resolveProviderField(context, field);
  const providerField = provider.name;
  const defaultNote = defaultReason === undefined ? "" : " (default not applied)";

  // Step 3, the overwrite policy, comes before the mapping: its reason is the one reported.
  if (type === "create" && setting?.writeOnCreate === "never") {
    plan.fields.push(
      withProviderField(
        { field, action: "dropped", reason: `writeOnCreate is never${defaultNote}` },
        providerField,
      ),
    );
    return;
  }
  if (type === "update" && setting?.writeOnUpdate === "never") {
    plan.fields.push(
      withProviderField(
        { field, action: "dropped", reason: `writeOnUpdate is never${defaultNote}` },
        providerField,
      ),
    );
    return;
  }

  // Unmapped removal is decided before `ifEmpty` so that no read is asked for a field that
  // would be dropped whatever the provider holds.
  if (provider.name === undefined) {
    plan.fields.push({
      field,
      action: "dropped",
      reason: `${provider.mappingReason}${defaultNote}`,
    });
    return;
  }
  const name = provider.name;

  let ifEmptyReason: string | undefined;
  if (type === "update" && setting?.writeOnUpdate === "ifEmpty") {
    const current = context.currentRecord;
    if (current === undefined) {
      claim(context, field, name, defaultReason !== undefined);
      plan.needsCurrentValues.push(name);
      plan.fields.push({
        field,
        providerField: name,
        action: "awaitingCurrentValue",
        reason: `ifEmpty: the provider's current value is needed to decide${
          defaultReason === undefined ? "" : " (default pending)"
        }`,
      });
      return;
    }
    if (!isEmptyProviderValue(Object.hasOwn(current, name) ? current[name] : undefined)) {
      plan.fields.push({
        field,
        providerField: name,
        action: "dropped",
        reason: `ifEmpty: provider already has a value${defaultNote}`,
      });
      return;
    }
    ifEmptyReason = "ifEmpty: provider value is empty";
  }

  if (!claim(context, field, name, defaultReason !== undefined)) {
    const owner = context.claimedBy.get(name)?.field;
    plan.fields.push({
      field,
      providerField: name,
      action: "dropped",
      reason: `${name} is already set by field ${owner}${defaultNote}`,
    });
    return;
  }

  assignOwn(plan.payload, name, value);
  const reasons = [defaultReason, provider.mappingReason, ifEmptyReason].filter(
    (reason): reason is string => reason !== undefined,
  );
  plan.fields.push({
    field,
    providerField: name,
    action: defaultReason !== undefined ? "defaulted" : name !== field ? "renamed" : "kept",
    reason: reasons.length > 0 ? reasons.join("; ") : "written as sent",
  });
}

/**
 * Records that `field` writes provider field `name`. Returns false when a record field already
 * holds it and this one is a default (the sent value wins); throws when two sent fields, or two
 * defaults, collide, because picking one would silently lose data.
 */
function claim(context: PlanContext, field: string, name: string, defaulted: boolean): boolean {
  const existing = context.claimedBy.get(name);
  if (existing === undefined) {
    context.claimedBy.set(name, { field, defaulted });
    return true;
  }
  if (defaulted && !existing.defaulted) return false;
  throw new PipelineInputError(
    "conflicting_provider_field",
    `fields ${existing.field} and ${field} both write provider field ${name}`,
  );
}

/** Ampersand's definition for `ifEmpty`: unset, null or the empty string. */
function isEmptyProviderValue(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

function withProviderField(
  entry: FieldPlanEntry,
  providerField: string | undefined,
): FieldPlanEntry {
  if (providerField !== undefined) entry.providerField = providerField;
  return entry;
}

/** Plain assignment of `__proto__` would replace the payload's prototype instead of adding a key. */
function assignOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}
