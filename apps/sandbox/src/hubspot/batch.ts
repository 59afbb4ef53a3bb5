import type { Request, Response } from "express";
import type { StoredRecord } from "../accounts";
import { isJsonObject, type JsonObject, queryList } from "../jsonValues";
import { trackedRequest } from "../requestTracking";
import { type HubSpotFailure, invalidInput, sendHubSpotFailure } from "./errors";
import type { HubSpotObjectType } from "./objectTypes";
import {
  archiveHubSpotRecord,
  findHubSpotRecord,
  hubSpotObjectJson,
  insertHubSpotRecord,
  type PreparedWrite,
  prepareCreate,
  prepareUpdate,
  updateHubSpotRecord,
} from "./records";
import { readJsonObject, readObjectType } from "./requestBody";

const maxBatchInputs = 100;

type BatchErrorContext = Record<string, string[]>;

function batchError(failure: HubSpotFailure, context: BatchErrorContext): JsonObject {
  return {
    status: "error",
    category: failure.category,
    message: failure.message,
    context,
    ...(failure.errors ? { errors: failure.errors } : {}),
  };
}

function notFoundError(type: HubSpotObjectType, ids: string[]): JsonObject {
  return {
    status: "error",
    category: "OBJECT_NOT_FOUND",
    message: `Could not get some ${type.label} objects, they may be deleted or not exist. Check that ids are valid.`,
    // HubSpot names the key `ids`; `id` carries the same list for clients that read that one.
    context: { ids, id: ids },
  };
}

/** The `inputs` array of a batch body, or null after answering 400. */
function readInputs(req: Request, res: Response): unknown[] | null {
  const body = readJsonObject(req, res);
  if (!body) return null;
  const inputs = body.inputs;
  if (!Array.isArray(inputs)) {
    sendHubSpotFailure(
      res,
      invalidInput("Invalid input JSON: inputs is required and must be an array"),
    );
    return null;
  }
  if (inputs.length > maxBatchInputs) {
    sendHubSpotFailure(
      res,
      invalidInput(`Batch size ${inputs.length} exceeds the maximum of ${maxBatchInputs} inputs`),
    );
    return null;
  }
  return inputs;
}

function sendBatchResponse(
  res: Response,
  successStatus: 200 | 201,
  startedAt: string,
  results: JsonObject[],
  errors: JsonObject[],
): void {
  res.status(errors.length > 0 ? 207 : successStatus).json({
    status: "COMPLETE",
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt,
    completedAt: new Date().toISOString(),
  });
}

function traceIdOf(input: unknown): string | undefined {
  if (!isJsonObject(input)) return undefined;
  const traceId = input.objectWriteTraceId;
  return typeof traceId === "string" || typeof traceId === "number" ? String(traceId) : undefined;
}

/**
 * POST /crm/v3/objects/:objectType/batch/create. HubSpot only reports partial failures (207)
 * when the inputs carry `objectWriteTraceId`; without them one bad input fails the whole batch
 * and nothing is created.
 */
export function batchCreate(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const type = readObjectType(req, res);
  if (!type) return;
  const inputs = readInputs(req, res);
  if (!inputs) return;
  const startedAt = new Date().toISOString();
  const account = tracked.account;
  const multiStatus = inputs.some((input) => traceIdOf(input) !== undefined);

  if (!multiStatus) {
    const claimedEmails = new Set<string>();
    const writes: PreparedWrite[] = [];
    for (const input of inputs) {
      const prepared = prepareCreate(account, type, input, claimedEmails);
      if (!prepared.ok) {
        sendHubSpotFailure(res, prepared.failure);
        return;
      }
      writes.push(prepared.write);
    }
    const now = Date.now();
    const results = writes.map((write) =>
      hubSpotObjectJson(
        type,
        insertHubSpotRecord(account, type, write.properties, now, write.associations),
      ),
    );
    tracked.records = results.length;
    sendBatchResponse(res, 201, startedAt, results, []);
    return;
  }

  const results: JsonObject[] = [];
  const errors: JsonObject[] = [];
  for (const input of inputs) {
    const traceId = traceIdOf(input);
    const prepared = prepareCreate(account, type, input);
    if (!prepared.ok) {
      errors.push(
        batchError(
          prepared.failure,
          traceId === undefined ? {} : { objectWriteTraceId: [traceId] },
        ),
      );
      continue;
    }
    const { properties, associations } = prepared.write;
    const record = insertHubSpotRecord(account, type, properties, Date.now(), associations);
    results.push({
      ...hubSpotObjectJson(type, record),
      ...(traceId === undefined ? {} : { objectWriteTraceId: traceId }),
    });
  }
  tracked.records = results.length;
  sendBatchResponse(res, 201, startedAt, results, errors);
}

function duplicateIds(ids: string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  return [...duplicates];
}

function inputId(input: unknown): string {
  return isJsonObject(input) && (typeof input.id === "string" || typeof input.id === "number")
    ? String(input.id)
    : "";
}

/** POST /crm/v3/objects/:objectType/batch/update: each input succeeds or fails on its own. */
export function batchUpdate(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const type = readObjectType(req, res);
  if (!type) return;
  const inputs = readInputs(req, res);
  if (!inputs) return;
  const startedAt = new Date().toISOString();
  const duplicates = duplicateIds(inputs.map(inputId));
  if (duplicates.length > 0) {
    sendHubSpotFailure(
      res,
      invalidInput(
        `Duplicate IDs found in batch input: [${duplicates.join(", ")}]. IDs must be unique`,
      ),
    );
    return;
  }
  const account = tracked.account;
  const results: JsonObject[] = [];
  const errors: JsonObject[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    const id = inputId(input);
    const traceId = traceIdOf(input);
    if (!isJsonObject(input) || id === "") {
      errors.push(batchError(invalidInput("Invalid input JSON: each input needs an id"), {}));
      continue;
    }
    const idProperty = typeof input.idProperty === "string" ? input.idProperty : undefined;
    const record = findHubSpotRecord(account, type, id, idProperty);
    if (!record) {
      missing.push(id);
      continue;
    }
    const prepared = prepareUpdate(account, type, record, input);
    if (!prepared.ok) {
      errors.push(
        batchError(prepared.failure, {
          ids: [id],
          id: [id],
          ...(traceId === undefined ? {} : { objectWriteTraceId: [traceId] }),
        }),
      );
      continue;
    }
    updateHubSpotRecord(account, type, record, prepared.write.properties, Date.now());
    results.push({
      ...hubSpotObjectJson(type, record),
      ...(traceId === undefined ? {} : { objectWriteTraceId: traceId }),
    });
  }
  if (missing.length > 0) errors.unshift(notFoundError(type, missing));
  tracked.records = results.length;
  sendBatchResponse(res, 200, startedAt, results, errors);
}

function resolveInputs(
  req: Request,
  res: Response,
  type: HubSpotObjectType,
): { found: StoredRecord[]; missing: string[]; body: JsonObject } | null {
  const inputs = readInputs(req, res);
  if (!inputs) return null;
  const body = req.body as JsonObject;
  const idProperty = typeof body.idProperty === "string" ? body.idProperty : undefined;
  const account = trackedRequest(res).account;
  const found: StoredRecord[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    const id = inputId(input);
    const record = id === "" ? undefined : findHubSpotRecord(account, type, id, idProperty);
    if (record) found.push(record);
    else missing.push(id);
  }
  return { found, missing, body };
}

/** POST /crm/v3/objects/:objectType/batch/read */
export function batchRead(req: Request, res: Response): void {
  const type = readObjectType(req, res);
  if (!type) return;
  const startedAt = new Date().toISOString();
  const resolved = resolveInputs(req, res, type);
  if (!resolved) return;
  const requested = queryList(resolved.body.properties) ?? type.defaultProperties;
  sendBatchResponse(
    res,
    200,
    startedAt,
    resolved.found.map((record) => hubSpotObjectJson(type, record, requested)),
    resolved.missing.length > 0 ? [notFoundError(type, resolved.missing)] : [],
  );
}

/** POST /crm/v3/objects/:objectType/batch/archive: 204 whether or not every id existed. */
export function batchArchive(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const type = readObjectType(req, res);
  if (!type) return;
  const resolved = resolveInputs(req, res, type);
  if (!resolved) return;
  for (const record of resolved.found) archiveHubSpotRecord(tracked.account, type, record);
  tracked.records = resolved.found.length;
  res.status(204).end();
}
