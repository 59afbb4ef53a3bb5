import { providers } from "@writ/contracts";
import {
  type CallResult,
  missingOutcome,
  outcomeFromCallError,
  writeInBatchCalls,
} from "../batching";
import type {
  BatchInput,
  BatchResult,
  ConnectionContext,
  Connector,
  RecordOutcome,
  WriteOptions,
} from "../connector";
import type { LimitInfo } from "../limits";
import { refreshWithRefreshToken } from "../oauth";
import { asJsonObject, type HttpResponse, isSuccess, joinUrl, sendHttp } from "../providerHttp";
import { classifyHubSpotBatchError, classifyHubSpotError } from "./classifyHubSpotError";
import { parseHubSpotLimits } from "./limits";
import { hubSpotObjectType } from "./objectTypes";
import { toHubSpotProperties } from "./propertyValues";

/** A CRM object as HubSpot returns it from create, update, get and batch calls. */
interface HubSpotObject {
  id?: unknown;
  properties?: unknown;
  objectWriteTraceId?: unknown;
}

interface HubSpotBatchResponse {
  results?: unknown;
  errors?: unknown;
}

async function callHubSpot(
  ctx: ConnectionContext,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  options: { body?: unknown; query?: Record<string, string | undefined> } = {},
): Promise<HttpResponse> {
  return sendHttp({
    url: joinUrl(ctx.baseUrl, path, options.query),
    method,
    headers: {
      Authorization: `Bearer ${ctx.accessToken}`,
      Accept: "application/json",
      ...(options.body !== undefined && { "Content-Type": "application/json" }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    ...(ctx.fetch && { fetch: ctx.fetch }),
    ...(ctx.timeoutMs !== undefined && { timeoutMs: ctx.timeoutMs }),
  });
}

function objectPath(objectName: string, recordId?: string): string {
  const base = `/crm/v3/objects/${encodeURIComponent(hubSpotObjectType(objectName))}`;
  return recordId === undefined ? base : `${base}/${encodeURIComponent(recordId)}`;
}

function failure(response: HttpResponse) {
  return classifyHubSpotError(response.status, response.body, response.headers);
}

function successOutcome(
  body: unknown,
  fallbackId: string | undefined,
  limits: LimitInfo | undefined,
): RecordOutcome {
  const object = asJsonObject(body) as HubSpotObject;
  const recordId = idString(object.id) ?? fallbackId;
  if (recordId === undefined) return missingOutcome("hubspot");
  return {
    ok: true,
    recordId,
    ...(body !== undefined && { data: asJsonObject(body) }),
    ...(limits && { limits }),
  };
}

async function writeOne(
  ctx: ConnectionContext,
  method: "POST" | "PATCH" | "DELETE",
  path: string,
  body: unknown,
  fallbackId: string | undefined,
): Promise<RecordOutcome> {
  const response = await callHubSpot(ctx, method, path, body === undefined ? {} : { body });
  if (!isSuccess(response.status)) return outcomeFromCallError(failure(response));
  return successOutcome(response.body, fallbackId, parseHubSpotLimits(response.headers));
}

/**
 * Sends one batch call. Inputs carry `objectWriteTraceId` = their position in the call, which
 * makes HubSpot answer 207 with per-record errors instead of failing the whole call, and lets
 * results and errors be matched back to inputs.
 */
async function sendBatchCall(
  ctx: ConnectionContext,
  objectName: string,
  type: "create" | "update",
  inputs: BatchInput[],
): Promise<CallResult> {
  const body = {
    inputs: inputs.map((input, position) => ({
      ...(type === "update" && { id: input.recordId }),
      properties: toHubSpotProperties(input.fields),
      ...(type === "create" && input.associations && { associations: input.associations }),
      objectWriteTraceId: String(position),
    })),
  };
  const response = await callHubSpot(ctx, "POST", `${objectPath(objectName)}/batch/${type}`, {
    body,
  });
  if (!isSuccess(response.status)) throw failure(response);
  const limits = parseHubSpotLimits(response.headers);
  return {
    outcomes: matchBatchResponse(asJsonObject(response.body), inputs, limits),
    ...(limits && { limits }),
  };
}

/**
 * Matches a batch answer (200/201 all written, 207 partial) to inputs: by `objectWriteTraceId`
 * first, then by record id (updates), then, for results HubSpot returned without either, in
 * order over the inputs still unmatched; HubSpot keeps input order in `results`.
 */
export function matchBatchResponse(
  response: HubSpotBatchResponse,
  inputs: BatchInput[],
  limits?: LimitInfo,
): RecordOutcome[] {
  const outcomes: Array<RecordOutcome | undefined> = new Array(inputs.length).fill(undefined);
  const positionOfTrace = (trace: unknown): number | undefined => {
    const value = Array.isArray(trace) ? trace[0] : trace;
    const position = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
    return position < inputs.length && outcomes[position] === undefined ? position : undefined;
  };
  const positionOfId = (id: unknown): number | undefined => {
    const value = idString(Array.isArray(id) ? id[0] : id);
    if (value === undefined) return undefined;
    const position = inputs.findIndex(
      (input, index) => input.recordId === value && outcomes[index] === undefined,
    );
    return position >= 0 ? position : undefined;
  };

  for (const entry of Array.isArray(response.errors) ? response.errors : []) {
    const context = asJsonObject(asJsonObject(entry).context);
    const position = positionOfTrace(context.objectWriteTraceId) ?? positionOfId(context.ids);
    if (position !== undefined) {
      outcomes[position] = { ok: false, error: classifyHubSpotBatchError(entry, limits) };
    }
  }

  const unplaced: HubSpotObject[] = [];
  for (const result of Array.isArray(response.results) ? response.results : []) {
    const object = asJsonObject(result) as HubSpotObject;
    const position = positionOfTrace(object.objectWriteTraceId) ?? positionOfId(object.id);
    if (position === undefined) {
      unplaced.push(object);
      continue;
    }
    outcomes[position] = successOutcome(object, undefined, limits);
  }
  for (const [position, outcome] of outcomes.entries()) {
    if (outcome !== undefined) continue;
    const next = unplaced.shift();
    if (next === undefined) break;
    outcomes[position] = successOutcome(next, undefined, limits);
  }
  return outcomes.map((outcome) => outcome ?? missingOutcome("hubspot"));
}

export const hubSpotConnector: Connector = {
  provider: "hubspot",

  create(ctx, objectName, fields, options?: WriteOptions) {
    const body = {
      properties: toHubSpotProperties(fields),
      ...(options?.associations && { associations: options.associations }),
    };
    return writeOne(ctx, "POST", objectPath(objectName), body, undefined);
  },

  // HubSpot's update endpoint takes no associations; they are only honoured on create.
  update(ctx, objectName, recordId, fields) {
    const body = { properties: toHubSpotProperties(fields) };
    return writeOne(ctx, "PATCH", objectPath(objectName, recordId), body, recordId);
  },

  // HubSpot archives the record and answers 204, also when the id does not exist.
  delete(ctx, objectName, recordId) {
    return writeOne(ctx, "DELETE", objectPath(objectName, recordId), undefined, recordId);
  },

  async get(ctx, objectName, recordId, fieldNames) {
    const response = await callHubSpot(ctx, "GET", objectPath(objectName, recordId), {
      query: { properties: fieldNames.length > 0 ? fieldNames.join(",") : undefined },
    });
    if (response.status === 404) return null;
    if (!isSuccess(response.status)) throw failure(response);
    return asJsonObject(asJsonObject(response.body).properties);
  },

  // `allOrNone` cannot be honoured: HubSpot has no atomic batch write, and batch create with
  // trace ids and batch update are partial by design. See BatchOptions.
  writeBatch(ctx, objectName, type, inputs): Promise<BatchResult> {
    return writeInBatchCalls(
      "hubspot",
      type,
      inputs,
      providers.hubspot.maxBatchSize,
      (callInputs) => sendBatchCall(ctx, objectName, type, callInputs),
    );
  },

  refreshAccessToken(tokenUrl, credentials, options) {
    return refreshWithRefreshToken(tokenUrl, credentials, classifyHubSpotError, options);
  },
};

function idString(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}
