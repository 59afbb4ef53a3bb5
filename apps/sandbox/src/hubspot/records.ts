import type { AccountState, StoredRecord } from "../accounts";
import { isJsonObject, type JsonObject } from "../jsonValues";
import { type HubSpotFailure, invalidInput } from "./errors";
import type { HubSpotObjectType } from "./objectTypes";

/** HubSpot keeps every property value as a string. */
export type HubSpotProperties = Record<string, string>;

export interface PreparedWrite {
  properties: HubSpotProperties;
  associations?: unknown[];
}

export type Prepared = { ok: true; write: PreparedWrite } | { ok: false; failure: HubSpotFailure };

interface PropertyProblem {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

// Internal names are lower-case; there is no portal schema here, so names that could not be
// internal names (and anything starting with `bogus`) stand for properties that do not exist.
const propertyNamePattern = /^[a-z][a-z0-9_]*$/;
const readOnlyProperties = new Set(["hs_object_id", "hs_createdate", "hs_lastmodifieddate"]);
const associationCategories = new Set(["HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED"]);

function checkProperties(
  type: HubSpotObjectType,
  input: unknown,
): { ok: true; properties: HubSpotProperties } | { ok: false; failure: HubSpotFailure } {
  if (input === undefined) return { ok: true, properties: {} };
  if (!isJsonObject(input)) {
    return { ok: false, failure: invalidInput("Invalid input JSON: properties must be an object") };
  }
  const properties: HubSpotProperties = {};
  const problems: PropertyProblem[] = [];
  for (const [name, value] of Object.entries(input)) {
    if (!propertyNamePattern.test(name) || name.startsWith("bogus")) {
      problems.push({
        isValid: false,
        message: `Property "${name}" does not exist`,
        error: "PROPERTY_DOESNT_EXIST",
        name,
      });
      continue;
    }
    if (readOnlyProperties.has(name)) {
      problems.push({
        isValid: false,
        message: `${name} is a read only property; its value cannot be set.`,
        error: "READ_ONLY_VALUE",
        name,
      });
      continue;
    }
    if (typeof value === "object" && value !== null) {
      problems.push({
        isValid: false,
        message: `${JSON.stringify(value)} is not a valid value for ${name}; expected a string, number or boolean`,
        error: "INVALID_PROPERTY_VALUE",
        name,
      });
      continue;
    }
    const text = value === null || value === undefined ? "" : String(value);
    if (type.name === "contacts" && name === "email" && text !== "" && !isPlausibleEmail(text)) {
      problems.push({
        isValid: false,
        message: `Email address ${text} is invalid`,
        error: "INVALID_EMAIL",
        name,
      });
      continue;
    }
    properties[name] = text;
  }
  if (problems.length === 0) return { ok: true, properties };
  return {
    ok: false,
    failure: {
      status: 400,
      category: "VALIDATION_ERROR",
      message: `Property values were not valid: ${JSON.stringify(problems)}`,
      errors: problems.map((problem) => ({
        message: problem.message,
        code: problem.error,
        context: { propertyName: [problem.name] },
      })),
    },
  };
}

function isPlausibleEmail(text: string): boolean {
  const at = text.indexOf("@");
  return at > 0 && at < text.length - 1 && !/\s/.test(text);
}

function emailConflict(
  account: AccountState,
  type: HubSpotObjectType,
  properties: HubSpotProperties,
  selfId: string | undefined,
): HubSpotFailure | null {
  if (type.name !== "contacts" || !properties.email) return null;
  const existing = account.contactIdsByEmail.get(properties.email.toLowerCase());
  if (existing === undefined || existing === selfId) return null;
  return {
    status: 409,
    category: "CONFLICT",
    message: `Contact already exists. Existing ID: ${existing}`,
  };
}

function recordExists(account: AccountState, id: string): boolean {
  for (const [, table] of account.allTables()) if (table.has(id)) return true;
  return false;
}

function checkAssociations(
  account: AccountState,
  input: unknown,
): { ok: true; associations?: unknown[] } | { ok: false; failure: HubSpotFailure } {
  if (input === undefined) return { ok: true };
  if (!Array.isArray(input)) {
    return {
      ok: false,
      failure: invalidInput("Invalid input JSON: associations must be an array"),
    };
  }
  const associations: unknown[] = [];
  for (const association of input) {
    const target = isJsonObject(association) ? association.to : undefined;
    const targetId = isJsonObject(target) ? target.id : undefined;
    const types = isJsonObject(association) ? association.types : undefined;
    const typesValid =
      Array.isArray(types) &&
      types.length > 0 &&
      types.every(
        (entry) =>
          isJsonObject(entry) &&
          typeof entry.associationCategory === "string" &&
          associationCategories.has(entry.associationCategory) &&
          Number.isInteger(entry.associationTypeId),
      );
    if ((typeof targetId !== "string" && typeof targetId !== "number") || !typesValid) {
      return {
        ok: false,
        failure: invalidInput(
          "Invalid input JSON: each association needs to.id and types [{associationCategory, associationTypeId}]",
        ),
      };
    }
    if (!recordExists(account, String(targetId))) {
      return {
        ok: false,
        failure: invalidInput(
          `One or more associations are invalid: no object with ID ${targetId} exists`,
        ),
      };
    }
    associations.push({ to: { id: String(targetId) }, types });
  }
  return { ok: true, associations };
}

/**
 * Validates one create input. `claimedEmails` holds emails taken earlier in the same batch, for
 * batches that are checked in full before anything is written.
 */
export function prepareCreate(
  account: AccountState,
  type: HubSpotObjectType,
  input: unknown,
  claimedEmails?: Set<string>,
): Prepared {
  if (!isJsonObject(input)) {
    return { ok: false, failure: invalidInput("Invalid input JSON: expected an object") };
  }
  const checked = checkProperties(type, input.properties);
  if (!checked.ok) return checked;
  const conflict = emailConflict(account, type, checked.properties, undefined);
  if (conflict) return { ok: false, failure: conflict };
  const email = type.name === "contacts" ? checked.properties.email?.toLowerCase() : undefined;
  if (email && claimedEmails) {
    if (claimedEmails.has(email)) {
      return { ok: false, failure: invalidInput(`Duplicate email in batch input: ${email}`) };
    }
    claimedEmails.add(email);
  }
  const associations = checkAssociations(account, input.associations);
  if (!associations.ok) return associations;
  return {
    ok: true,
    write: {
      properties: checked.properties,
      ...(associations.associations ? { associations: associations.associations } : {}),
    },
  };
}

export function prepareUpdate(
  account: AccountState,
  type: HubSpotObjectType,
  record: StoredRecord,
  input: JsonObject,
): Prepared {
  const checked = checkProperties(type, input.properties);
  if (!checked.ok) return checked;
  const conflict = emailConflict(account, type, checked.properties, record.id);
  if (conflict) return { ok: false, failure: conflict };
  return { ok: true, write: { properties: checked.properties } };
}

export function insertHubSpotRecord(
  account: AccountState,
  type: HubSpotObjectType,
  properties: HubSpotProperties,
  now: number,
  associations?: unknown[],
): StoredRecord {
  const id = String(1000 + account.nextSequence());
  const timestamp = new Date(now).toISOString();
  const record: StoredRecord = {
    id,
    properties: {
      [type.createdProperty]: timestamp,
      ...properties,
      hs_object_id: id,
      [type.modifiedProperty]: timestamp,
    },
    createdAt: now,
    updatedAt: now,
    ...(associations && associations.length > 0 ? { associations } : {}),
  };
  account.table(type.name).set(id, record);
  if (type.name === "contacts" && properties.email) {
    account.contactIdsByEmail.set(properties.email.toLowerCase(), id);
  }
  return record;
}

export function updateHubSpotRecord(
  account: AccountState,
  type: HubSpotObjectType,
  record: StoredRecord,
  properties: HubSpotProperties,
  now: number,
): void {
  if (type.name === "contacts" && properties.email !== undefined) {
    forgetEmail(account, record);
    if (properties.email) account.contactIdsByEmail.set(properties.email.toLowerCase(), record.id);
  }
  Object.assign(record.properties, properties);
  record.properties[type.modifiedProperty] = new Date(now).toISOString();
  record.updatedAt = now;
}

export function archiveHubSpotRecord(
  account: AccountState,
  type: HubSpotObjectType,
  record: StoredRecord,
): void {
  account.existingTable(type.name)?.delete(record.id);
  if (type.name === "contacts") forgetEmail(account, record);
}

function forgetEmail(account: AccountState, record: StoredRecord): void {
  const previous = record.properties.email;
  if (typeof previous !== "string" || previous === "") return;
  const key = previous.toLowerCase();
  if (account.contactIdsByEmail.get(key) === record.id) account.contactIdsByEmail.delete(key);
}

/** Finds a record by id, or by a unique property when `idProperty` names one. */
export function findHubSpotRecord(
  account: AccountState,
  type: HubSpotObjectType,
  id: string,
  idProperty?: string,
): StoredRecord | undefined {
  const table = account.existingTable(type.name);
  if (!table) return undefined;
  if (idProperty === undefined || idProperty === "hs_object_id") return table.get(id);
  if (type.name === "contacts" && idProperty === "email") {
    const found = account.contactIdsByEmail.get(id.toLowerCase());
    return found === undefined ? undefined : table.get(found);
  }
  for (const record of table.values()) if (record.properties[idProperty] === id) return record;
  return undefined;
}

/**
 * The public shape of a record. Without `requested`, every stored property (what create and
 * update answer with); with it, those properties (null when unset) plus the system ones.
 */
export function hubSpotObjectJson(
  type: HubSpotObjectType,
  record: StoredRecord,
  requested?: readonly string[],
): JsonObject {
  let properties: JsonObject;
  if (requested === undefined) {
    properties = { ...record.properties };
  } else {
    properties = {};
    for (const name of [
      ...requested,
      type.createdProperty,
      "hs_object_id",
      type.modifiedProperty,
    ]) {
      properties[name] = record.properties[name] ?? null;
    }
  }
  return {
    id: record.id,
    properties,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    archived: false,
  };
}
