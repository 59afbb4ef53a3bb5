import { providers, salesforceApiVersion } from "@writ/contracts";
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
  ForwardedHeader,
  RecordOutcome,
} from "../connector";
import { ProviderError } from "../errors";
import type { LimitInfo } from "../limits";
import { refreshWithRefreshToken } from "../oauth";
import { asJsonObject, type HttpResponse, isSuccess, joinUrl, sendHttp } from "../providerHttp";
import { classifySalesforceError, classifySalesforceRecordError } from "./classifySalesforceError";
import { parseSalesforceLimits } from "./limits";
import { salesforceSObjectName } from "./sObjectNames";

/** One record's entry in an sObject collections answer. */
interface SaveResult {
  id?: unknown;
  success?: unknown;
  errors?: unknown;
}

async function callSalesforce(
  ctx: ConnectionContext,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  options: {
    body?: unknown;
    query?: Record<string, string | undefined>;
    headers?: ForwardedHeader[] | undefined;
  } = {},
): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  // Forwarded first so they can add Sforce-* options but never replace authentication.
  for (const { key, value } of options.headers ?? []) headers[key] = value;
  for (const key of Object.keys(headers)) {
    if (/^(authorization|content-type|accept|host|content-length)$/i.test(key)) {
      delete headers[key];
    }
  }
  headers.Authorization = `Bearer ${ctx.accessToken}`;
  headers.Accept = "application/json";
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  return sendHttp({
    url: joinUrl(ctx.baseUrl, `/services/data/${salesforceApiVersion}${path}`, options.query),
    method,
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    ...(ctx.fetch && { fetch: ctx.fetch }),
    ...(ctx.timeoutMs !== undefined && { timeoutMs: ctx.timeoutMs }),
  });
}

function sObjectPath(objectName: string, recordId?: string): string {
  const base = `/sobjects/${encodeURIComponent(salesforceSObjectName(objectName))}`;
  return recordId === undefined ? base : `${base}/${encodeURIComponent(recordId)}`;
}

function failure(response: HttpResponse): ProviderError {
  return classifySalesforceError(response.status, response.body, response.headers);
}

/** Create answers 201 `{ id, success, errors }`; update and delete answer 204 with no body. */
async function writeOne(
  ctx: ConnectionContext,
  method: "POST" | "PATCH" | "DELETE",
  path: string,
  body: unknown,
  recordId: string | undefined,
  headers: ForwardedHeader[] | undefined,
): Promise<RecordOutcome> {
  const response = await callSalesforce(ctx, method, path, {
    ...(body !== undefined && { body }),
    headers,
  });
  if (!isSuccess(response.status)) return outcomeFromCallError(failure(response));
  const limits = parseSalesforceLimits(response.headers);
  const data = asJsonObject(response.body);
  const id = typeof data.id === "string" && data.id !== "" ? data.id : recordId;
  if (id === undefined) return missingOutcome("salesforce");
  return {
    ok: true,
    recordId: id,
    ...(response.body !== undefined && { data }),
    ...(limits && { limits }),
  };
}

/**
 * One sObject collections call (`/composite/sobjects`, at most 200 records). Salesforce answers
 * 200 with one save result per record, in input order, even when records failed.
 */
async function sendCollectionCall(
  ctx: ConnectionContext,
  objectName: string,
  type: "create" | "update",
  inputs: BatchInput[],
  allOrNone: boolean,
  headers: ForwardedHeader[] | undefined,
): Promise<CallResult> {
  const sObject = salesforceSObjectName(objectName);
  const records = inputs.map((input) => ({
    ...input.fields,
    attributes: { type: sObject },
    ...(type === "update" && { id: input.recordId }),
  }));
  const response = await callSalesforce(
    ctx,
    type === "create" ? "POST" : "PATCH",
    "/composite/sobjects",
    { body: { allOrNone, records }, headers },
  );
  if (!isSuccess(response.status)) throw failure(response);
  const limits = parseSalesforceLimits(response.headers);
  return {
    outcomes: matchCollectionResponse(response.body, inputs, allOrNone, limits),
    ...(limits && { limits }),
  };
}

/**
 * Turns save results into outcomes. With allOrNone, the records Salesforce rolled back only say
 * ALL_OR_NONE_OPERATION_ROLLED_BACK; their error names the record error that caused it, and
 * when every cause is transient (a lock), the rolled-back records are just as retryable.
 */
export function matchCollectionResponse(
  body: unknown,
  inputs: BatchInput[],
  allOrNone: boolean,
  limits?: LimitInfo,
): RecordOutcome[] {
  const results = Array.isArray(body) ? body : [];
  const outcomes: RecordOutcome[] = inputs.map((input, position) => {
    const result = asJsonObject(results[position]) as SaveResult;
    if (results[position] === undefined) return missingOutcome("salesforce");
    if (result.success === true) {
      const id = typeof result.id === "string" && result.id !== "" ? result.id : input.recordId;
      if (id === undefined) return missingOutcome("salesforce");
      return { ok: true, recordId: id, data: asJsonObject(result), ...(limits && { limits }) };
    }
    return { ok: false, error: recordError(result.errors, limits) };
  });
  return allOrNone ? explainRollbacks(outcomes) : outcomes;
}

function recordError(errors: unknown, limits: LimitInfo | undefined): ProviderError {
  const entries = (Array.isArray(errors) ? errors : []).map(asJsonObject);
  const first = entries[0] ?? {};
  const messages = entries.map((entry) => entry.message).filter((m) => typeof m === "string");
  const fields = entries.flatMap((entry) => (Array.isArray(entry.fields) ? entry.fields : []));
  return classifySalesforceRecordError(
    {
      statusCode: first.statusCode ?? first.errorCode,
      ...(messages.length > 0 && { message: messages.join("; ") }),
      fields: [...new Set(fields)],
    },
    limits,
  );
}

const rolledBack = "ALL_OR_NONE_OPERATION_ROLLED_BACK";

function explainRollbacks(outcomes: RecordOutcome[]): RecordOutcome[] {
  const causes = outcomes.flatMap((outcome, position) =>
    !outcome.ok && outcome.error.code !== rolledBack ? [{ position, error: outcome.error }] : [],
  );
  const cause = causes[0];
  if (cause === undefined) return outcomes;
  const allTransient = causes.every(({ error }) => error.disposition !== "permanent");
  return outcomes.map((outcome) => {
    if (outcome.ok || outcome.error.code !== rolledBack) return outcome;
    const original = outcome.error;
    return {
      ok: false,
      error: new ProviderError({
        provider: "salesforce",
        disposition: allTransient ? cause.error.disposition : "permanent",
        code: rolledBack,
        providerMessage: original.providerMessage,
        message: `${rolledBack}: ${original.providerMessage} (caused by record ${cause.position + 1} of the call: ${cause.error.message})`,
        ...(allTransient &&
          cause.error.retryAfterMs !== undefined && { retryAfterMs: cause.error.retryAfterMs }),
        ...(original.limits && { limits: original.limits }),
      }),
    };
  });
}

export const salesforceConnector: Connector = {
  provider: "salesforce",

  create(ctx, objectName, fields, options) {
    return writeOne(ctx, "POST", sObjectPath(objectName), fields, undefined, options?.headers);
  },

  update(ctx, objectName, recordId, fields, options) {
    const path = sObjectPath(objectName, recordId);
    return writeOne(ctx, "PATCH", path, fields, recordId, options?.headers);
  },

  delete(ctx, objectName, recordId, options) {
    const path = sObjectPath(objectName, recordId);
    return writeOne(ctx, "DELETE", path, undefined, recordId, options?.headers);
  },

  async get(ctx, objectName, recordId, fieldNames) {
    const response = await callSalesforce(ctx, "GET", sObjectPath(objectName, recordId), {
      query: { fields: fieldNames.length > 0 ? fieldNames.join(",") : undefined },
    });
    if (response.status === 404) return null;
    if (!isSuccess(response.status)) throw failure(response);
    const { attributes: _attributes, ...record } = asJsonObject(response.body);
    return record;
  },

  async writeBatch(ctx, objectName, type, inputs, options): Promise<BatchResult> {
    const maxBatchSize = providers.salesforce.maxBatchSize;
    if (options.allOrNone && inputs.length > maxBatchSize) {
      // Atomicity holds within one provider call only; splitting would silently break it.
      throw new RangeError(
        `An allOrNone batch can hold at most ${maxBatchSize} Salesforce records (got ${inputs.length})`,
      );
    }
    return writeInBatchCalls(
      "salesforce",
      type,
      inputs,
      maxBatchSize,
      (callInputs) =>
        sendCollectionCall(ctx, objectName, type, callInputs, options.allOrNone, options.headers),
      { allOrNone: options.allOrNone },
    );
  },

  refreshAccessToken(tokenUrl, credentials, options) {
    return refreshWithRefreshToken(tokenUrl, credentials, classifySalesforceError, options);
  },
};
