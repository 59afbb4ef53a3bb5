import type { Request, Response } from "express";
import type { StoredRecord } from "../accounts";
import { isJsonObject, queryList } from "../jsonValues";
import type { TrackedRequest } from "../requestTracking";
import { trackedRequest } from "../requestTracking";
import {
  jsonParserError,
  lockError,
  rolledBack,
  type SalesforceError,
  type SalesforceRecordError,
  sendSalesforceErrors,
} from "./errors";
import {
  deleteSObject,
  type FieldValues,
  fieldsOf,
  insertErrors,
  insertSObject,
  lookupAnySObject,
  lookupSObject,
  type SObjectLookup,
  unknownFieldError,
  updateErrors,
  updateSObject,
} from "./records";
import { readSalesforceBody } from "./requestBody";
import { resolveSObjectType, type SObjectType } from "./sobjectTypes";

const maxCollectionRecords = 200;

const tooManyRecords: SalesforceError = {
  message: `record limit reached. cannot submit more than ${maxCollectionRecords} records into this call`,
  errorCode: "EXCEEDED_ID_LIMIT",
};

interface CollectionRecord {
  type: SObjectType;
  fields: FieldValues;
}

/** One record's fate before anything is written. */
interface Plan<T> {
  id?: string;
  errors: SalesforceRecordError[];
  apply?: T;
}

type CollectionResult = { id?: string; success: boolean; errors: SalesforceRecordError[] };

/** Parses `{allOrNone, records}`; a malformed body, unknown type or unknown field fails it whole. */
function readCollection(
  req: Request,
  res: Response,
): { allOrNone: boolean; records: CollectionRecord[] } | null {
  const body = readSalesforceBody(req, res);
  if (!body) return null;
  if (!Array.isArray(body.records)) {
    sendSalesforceErrors(res, 400, [jsonParserError("records is required and must be an array")]);
    return null;
  }
  if (body.records.length > maxCollectionRecords) {
    sendSalesforceErrors(res, 400, [tooManyRecords]);
    return null;
  }
  const records: CollectionRecord[] = [];
  for (const raw of body.records) {
    if (!isJsonObject(raw)) {
      sendSalesforceErrors(res, 400, [jsonParserError("Each record must be a JSON object")]);
      return null;
    }
    const attributes = raw.attributes;
    const typeName = isJsonObject(attributes) ? attributes.type : undefined;
    if (typeof typeName !== "string" || typeName === "") {
      sendSalesforceErrors(res, 400, [
        { message: "Must send a concrete entity type.", errorCode: "INVALID_TYPE" },
      ]);
      return null;
    }
    const type = resolveSObjectType(typeName);
    if (!type) {
      sendSalesforceErrors(res, 400, [
        { message: `sObject type '${typeName}' is not supported.`, errorCode: "INVALID_TYPE" },
      ]);
      return null;
    }
    const fields = fieldsOf(raw);
    const unknown = unknownFieldError(
      type,
      Object.keys(fields).filter((field) => field !== "id"),
    );
    if (unknown) {
      sendSalesforceErrors(res, 400, [unknown]);
      return null;
    }
    records.push({ type, fields });
  }
  return { allOrNone: body.allOrNone === true, records };
}

/**
 * Applies the plans unless allOrNone and something failed, in which case every record fails:
 * the failing ones with their own errors, the rest as rolled back, and nothing is written.
 */
function settle<T>(
  plans: Plan<T>[],
  allOrNone: boolean,
  write: (apply: T) => string,
): { results: CollectionResult[]; written: number } {
  const anyFailed = plans.some((plan) => plan.errors.length > 0);
  if (allOrNone && anyFailed) {
    return {
      written: 0,
      results: plans.map((plan) => ({
        ...(plan.id === undefined ? {} : { id: plan.id }),
        success: false,
        errors: plan.errors.length > 0 ? plan.errors : [rolledBack],
      })),
    };
  }
  let written = 0;
  const results = plans.map((plan): CollectionResult => {
    if (plan.errors.length > 0 || plan.apply === undefined) {
      return {
        ...(plan.id === undefined ? {} : { id: plan.id }),
        success: false,
        errors: plan.errors,
      };
    }
    written++;
    return { id: write(plan.apply), success: true, errors: [] };
  });
  return { results, written };
}

/** Which record (if any) takes the request-level lock fault, plus per-record lock draws. */
function lockDraw(tracked: TrackedRequest, count: number): (index: number) => boolean {
  const faults = tracked.account.faults;
  const lockedIndex = tracked.lockPending && faults ? faults.pickIndex(count) : -1;
  return (index) => {
    const locked = index === lockedIndex || (faults?.recordLock() ?? false);
    if (locked) tracked.injected = true;
    return locked;
  };
}

/** POST /services/data/:version/composite/sobjects: create up to 200 records. */
export function compositeCreate(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const collection = readCollection(req, res);
  if (!collection) return;
  const isLocked = lockDraw(tracked, collection.records.length);
  const plans = collection.records.map((record, index): Plan<CollectionRecord> => {
    const errors = insertErrors(record.type, record.fields);
    if (errors.length > 0) return { errors };
    if (isLocked(index)) {
      const parent =
        typeof record.fields.AccountId === "string"
          ? record.fields.AccountId
          : record.type.keyPrefix;
      return { errors: [lockError(parent)] };
    }
    return { errors: [], apply: record };
  });
  const now = Date.now();
  const { results, written } = settle(
    plans,
    collection.allOrNone,
    (record) => insertSObject(tracked.account, record.type, record.fields, now).id,
  );
  tracked.records = written;
  res.status(200).json(results);
}

function lookupFailure(
  typeName: string,
  rawId: string,
  lookup: Exclude<SObjectLookup, { kind: "found" }>,
): SalesforceRecordError {
  switch (lookup.kind) {
    case "malformed":
      return {
        statusCode: "MALFORMED_ID",
        message: typeName
          ? `${typeName} ID: id value of incorrect type: ${rawId}`
          : `malformed id ${rawId}`,
        fields: typeName ? ["Id"] : [],
      };
    case "deleted":
      return { statusCode: "ENTITY_IS_DELETED", message: "entity is deleted", fields: [] };
    case "missing":
      return {
        statusCode: "INVALID_CROSS_REFERENCE_KEY",
        message: "invalid cross reference id",
        fields: [],
      };
  }
}

/** PATCH /services/data/:version/composite/sobjects: update up to 200 records by `id`. */
export function compositeUpdate(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const collection = readCollection(req, res);
  if (!collection) return;
  const isLocked = lockDraw(tracked, collection.records.length);
  type Update = { record: StoredRecord; fields: FieldValues };
  const plans = collection.records.map((entry, index): Plan<Update> => {
    const { id: lowerId, Id: upperId, ...fields } = entry.fields;
    const rawId =
      typeof lowerId === "string" ? lowerId : typeof upperId === "string" ? upperId : "";
    if (rawId === "") {
      return {
        errors: [
          {
            statusCode: "MISSING_ARGUMENT",
            message: "Id not specified in an update call",
            fields: [],
          },
        ],
      };
    }
    const lookup = lookupSObject(tracked.account, entry.type, rawId);
    if (lookup.kind !== "found") {
      return { errors: [lookupFailure(entry.type.name, rawId, lookup)] };
    }
    const id = lookup.record.id;
    const errors = updateErrors(entry.type, fields);
    if (errors.length > 0) return { id, errors };
    if (isLocked(index)) return { id, errors: [lockError(id)] };
    return { id, errors: [], apply: { record: lookup.record, fields } };
  });
  const now = Date.now();
  const { results, written } = settle(plans, collection.allOrNone, (update) => {
    updateSObject(update.record, update.fields, now);
    return update.record.id;
  });
  tracked.records = written;
  res.status(200).json(results);
}

/** DELETE /services/data/:version/composite/sobjects?ids=...&allOrNone=... */
export function compositeDelete(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const ids = queryList(req.query.ids) ?? [];
  if (ids.length > maxCollectionRecords) {
    sendSalesforceErrors(res, 400, [tooManyRecords]);
    return;
  }
  const allOrNone = req.query.allOrNone === "true";
  const isLocked = lockDraw(tracked, ids.length);
  type Deletion = { record: StoredRecord; type: SObjectType };
  const plans = ids.map((rawId, index): Plan<Deletion> => {
    const lookup = lookupAnySObject(tracked.account, rawId);
    if (lookup.kind !== "found") {
      return {
        ...(lookup.kind === "malformed" ? {} : { id: lookup.id }),
        errors: [lookupFailure("", rawId, lookup)],
      };
    }
    // Tables are keyed by the lower-cased type name, which resolves like the name itself.
    const type = resolveSObjectType(lookup.objectKey ?? "");
    if (!type) return { errors: [lookupFailure("", rawId, { kind: "missing", id: rawId })] };
    if (isLocked(index)) return { id: lookup.record.id, errors: [lockError(lookup.record.id)] };
    return { id: lookup.record.id, errors: [], apply: { record: lookup.record, type } };
  });
  const { results, written } = settle(plans, allOrNone, (deletion) => {
    deleteSObject(tracked.account, deletion.type, deletion.record);
    return deletion.record.id;
  });
  tracked.records = written;
  res.status(200).json(results);
}
