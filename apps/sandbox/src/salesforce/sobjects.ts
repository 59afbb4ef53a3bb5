import type { Request, Response } from "express";
import { queryList } from "../jsonValues";
import { pathParam } from "../pathParam";
import { trackedRequest } from "../requestTracking";
import {
  asTopLevelError,
  entityIsDeleted,
  lockError,
  resourceNotFound,
  sendSalesforceErrors,
} from "./errors";
import {
  deleteSObject,
  fieldsOf,
  insertErrors,
  insertSObject,
  lookupSObject,
  type SObjectLookup,
  sobjectJson,
  unknownFieldError,
  updateErrors,
  updateSObject,
} from "./records";
import { readSalesforceBody, readSObjectType } from "./requestBody";

/** Draws (or takes the gate's) lock fault for a single-record write. */
function lockedOut(res: Response): boolean {
  const tracked = trackedRequest(res);
  if (tracked.lockPending || tracked.account.faults?.recordLock()) {
    tracked.injected = true;
    return true;
  }
  return false;
}

function sendLookupFailure(res: Response, lookup: Exclude<SObjectLookup, { kind: "found" }>): void {
  sendSalesforceErrors(res, 404, [lookup.kind === "deleted" ? entityIsDeleted : resourceNotFound]);
}

/** POST /services/data/:version/sobjects/:sobject */
export function createSObject(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const type = readSObjectType(req, res);
  if (!type) return;
  const body = readSalesforceBody(req, res);
  if (!body) return;
  const fields = fieldsOf(body);
  const unknown = unknownFieldError(type, Object.keys(fields));
  if (unknown) {
    sendSalesforceErrors(res, 400, [unknown]);
    return;
  }
  const errors = insertErrors(type, fields);
  if (errors.length > 0) {
    sendSalesforceErrors(res, 400, errors.map(asTopLevelError));
    return;
  }
  if (lockedOut(res)) {
    const parent = typeof fields.AccountId === "string" ? fields.AccountId : type.keyPrefix;
    sendSalesforceErrors(res, 400, [asTopLevelError(lockError(parent))]);
    return;
  }
  const record = insertSObject(tracked.account, type, fields, Date.now());
  tracked.records = 1;
  res.status(201).json({ id: record.id, success: true, errors: [] });
}

/** GET /services/data/:version/sobjects/:sobject/:id */
export function getSObject(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const type = readSObjectType(req, res);
  if (!type) return;
  const requested = queryList(req.query.fields);
  if (requested) {
    const unknown = unknownFieldError(type, requested);
    if (unknown) {
      sendSalesforceErrors(res, 400, [unknown]);
      return;
    }
  }
  const lookup = lookupSObject(tracked.account, type, pathParam(req, "id"));
  if (lookup.kind !== "found") {
    sendLookupFailure(res, lookup);
    return;
  }
  res.status(200).json(sobjectJson(type, lookup.record, pathParam(req, "version"), requested));
}

/** PATCH /services/data/:version/sobjects/:sobject/:id: 204 with no body on success. */
export function updateSObjectRoute(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const type = readSObjectType(req, res);
  if (!type) return;
  const body = readSalesforceBody(req, res);
  if (!body) return;
  const lookup = lookupSObject(tracked.account, type, pathParam(req, "id"));
  if (lookup.kind !== "found") {
    sendLookupFailure(res, lookup);
    return;
  }
  const { Id: _id, ...fields } = fieldsOf(body);
  const unknown = unknownFieldError(type, Object.keys(fields));
  if (unknown) {
    sendSalesforceErrors(res, 400, [unknown]);
    return;
  }
  const errors = updateErrors(type, fields);
  if (errors.length > 0) {
    sendSalesforceErrors(res, 400, errors.map(asTopLevelError));
    return;
  }
  if (lockedOut(res)) {
    sendSalesforceErrors(res, 400, [asTopLevelError(lockError(lookup.record.id))]);
    return;
  }
  updateSObject(lookup.record, fields, Date.now());
  tracked.records = 1;
  res.status(204).end();
}

/** DELETE /services/data/:version/sobjects/:sobject/:id */
export function deleteSObjectRoute(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const type = readSObjectType(req, res);
  if (!type) return;
  const lookup = lookupSObject(tracked.account, type, pathParam(req, "id"));
  if (lookup.kind !== "found") {
    sendLookupFailure(res, lookup);
    return;
  }
  if (lockedOut(res)) {
    sendSalesforceErrors(res, 400, [asTopLevelError(lockError(lookup.record.id))]);
    return;
  }
  deleteSObject(tracked.account, type, lookup.record);
  tracked.records = 1;
  res.status(204).end();
}
