import type { AccountState, StoredRecord } from "../accounts";
import type { JsonObject } from "../jsonValues";
import type { SalesforceError, SalesforceRecordError } from "./errors";
import { salesforceRecordId, toEighteenCharacterId } from "./recordIds";
import { fieldExists, type SObjectType, sobjectKey, systemFields } from "./sobjectTypes";

export type FieldValues = Record<string, unknown>;

/** Record fields of a request body, without the `attributes` envelope. */
export function fieldsOf(body: JsonObject): FieldValues {
  const { attributes: _attributes, ...fields } = body;
  return fields;
}

/** An unknown field fails the whole request (even a composite one), as a deserialization error. */
export function unknownFieldError(
  type: SObjectType,
  fieldNames: Iterable<string>,
): SalesforceError | null {
  for (const field of fieldNames) {
    if (!fieldExists(type, field)) {
      return {
        message: `No such column '${field}' on sobject of type ${type.name}`,
        errorCode: "INVALID_FIELD",
      };
    }
  }
  return null;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

function readOnlyFieldErrors(fields: FieldValues): SalesforceRecordError[] {
  const readOnly = Object.keys(fields).filter((field) => systemFields.has(field));
  if (readOnly.length === 0) return [];
  return [
    {
      statusCode: "INVALID_FIELD_FOR_INSERT_UPDATE",
      message: `Unable to create/update fields: ${readOnly.join(", ")}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      fields: readOnly,
    },
  ];
}

function missingFieldsError(missing: string[]): SalesforceRecordError[] {
  if (missing.length === 0) return [];
  return [
    {
      statusCode: "REQUIRED_FIELD_MISSING",
      message: `Required fields are missing: [${missing.join(", ")}]`,
      fields: missing,
    },
  ];
}

export function insertErrors(type: SObjectType, fields: FieldValues): SalesforceRecordError[] {
  if (fields.Id !== undefined || fields.id !== undefined) {
    return [
      { statusCode: "INVALID_FIELD", message: "cannot specify Id in an insert call", fields: [] },
    ];
  }
  const readOnly = readOnlyFieldErrors(fields);
  if (readOnly.length > 0) return readOnly;
  return missingFieldsError(type.requiredFields.filter((field) => isBlank(fields[field])));
}

export function updateErrors(type: SObjectType, fields: FieldValues): SalesforceRecordError[] {
  const readOnly = readOnlyFieldErrors(fields);
  if (readOnly.length > 0) return readOnly;
  return missingFieldsError(
    type.requiredFields.filter((field) => field in fields && isBlank(fields[field])),
  );
}

export function insertSObject(
  account: AccountState,
  type: SObjectType,
  fields: FieldValues,
  now: number,
): StoredRecord {
  const id = salesforceRecordId(type.keyPrefix, account.nextSequence());
  const record: StoredRecord = { id, properties: fields, createdAt: now, updatedAt: now };
  account.table(sobjectKey(type.name)).set(id, record);
  return record;
}

export function updateSObject(record: StoredRecord, fields: FieldValues, now: number): void {
  Object.assign(record.properties, fields);
  record.updatedAt = now;
}

export function deleteSObject(
  account: AccountState,
  type: SObjectType,
  record: StoredRecord,
): void {
  account.existingTable(sobjectKey(type.name))?.delete(record.id);
  account.deletedIds.add(record.id);
}

export type SObjectLookup =
  | { kind: "found"; record: StoredRecord }
  | { kind: "deleted"; id: string }
  | { kind: "malformed" }
  | { kind: "missing"; id: string };

const idPattern = /^[A-Za-z0-9]{18}$/;

export function lookupSObject(
  account: AccountState,
  type: SObjectType,
  rawId: string,
): SObjectLookup {
  const id = toEighteenCharacterId(rawId);
  if (!idPattern.test(id) || !id.startsWith(type.keyPrefix)) return { kind: "malformed" };
  const record = account.existingTable(sobjectKey(type.name))?.get(id);
  if (record) return { kind: "found", record };
  return account.deletedIds.has(id) ? { kind: "deleted", id } : { kind: "missing", id };
}

/** Finds a record of any type by id, for calls that name ids only (composite delete). */
export function lookupAnySObject(
  account: AccountState,
  rawId: string,
): SObjectLookup & { objectKey?: string } {
  const id = toEighteenCharacterId(rawId);
  if (!idPattern.test(id)) return { kind: "malformed" };
  for (const [objectKey, table] of account.allTables()) {
    const record = table.get(id);
    if (record) return { kind: "found", record, objectKey };
  }
  return account.deletedIds.has(id) ? { kind: "deleted", id } : { kind: "missing", id };
}

function salesforceDateTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

function systemFieldValue(type: SObjectType, record: StoredRecord, field: string): unknown {
  switch (field) {
    case "Id":
      return record.id;
    case "CreatedDate":
      return salesforceDateTime(record.createdAt);
    case "LastModifiedDate":
    case "SystemModstamp":
      return salesforceDateTime(record.updatedAt);
    case "IsDeleted":
      return false;
    case "Name":
      // Person names are compound fields built from their parts.
      if (
        (type.name === "Contact" || type.name === "Lead") &&
        record.properties.Name === undefined
      ) {
        return [record.properties.FirstName, record.properties.LastName].filter(Boolean).join(" ");
      }
      return undefined;
    default:
      return undefined;
  }
}

/** GET shape: `attributes`, `Id`, then every field (or only the requested ones). */
export function sobjectJson(
  type: SObjectType,
  record: StoredRecord,
  version: string,
  requested?: readonly string[],
): JsonObject {
  const json: JsonObject = {
    attributes: {
      type: type.name,
      url: `/services/data/${version}/sobjects/${type.name}/${record.id}`,
    },
    Id: record.id,
  };
  const names = requested ?? [
    ...Object.keys(record.properties),
    ...(type.name === "Contact" || type.name === "Lead" ? ["Name"] : []),
    "IsDeleted",
    "CreatedDate",
    "LastModifiedDate",
    "SystemModstamp",
  ];
  for (const name of names) {
    if (name === "Id") continue;
    json[name] = systemFieldValue(type, record, name) ?? record.properties[name] ?? null;
  }
  return json;
}
