import type { Response } from "express";

/** A top-level error, as Salesforce answers a failed REST call: `[{message, errorCode}]`. */
export interface SalesforceError {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** A per-record error inside a composite result (`statusCode`, not `errorCode`). */
export interface SalesforceRecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export function sendSalesforceErrors(
  res: Response,
  status: number,
  errors: SalesforceError[],
): void {
  res.status(status).json(errors);
}

export function asTopLevelError(error: SalesforceRecordError): SalesforceError {
  return { message: error.message, errorCode: error.statusCode, fields: error.fields };
}

export const resourceNotFound: SalesforceError = {
  errorCode: "NOT_FOUND",
  message: "The requested resource does not exist",
};

export const entityIsDeleted: SalesforceError = {
  errorCode: "ENTITY_IS_DELETED",
  message: "entity is deleted",
  fields: [],
};

export const invalidSession: SalesforceError = {
  message: "Session expired or invalid",
  errorCode: "INVALID_SESSION_ID",
};

export function jsonParserError(message: string): SalesforceError {
  return { message, errorCode: "JSON_PARSER_ERROR" };
}

export function lockError(id: string): SalesforceRecordError {
  return {
    statusCode: "UNABLE_TO_LOCK_ROW",
    message: `unable to obtain exclusive access to this record or 1 records: ${id}`,
    fields: [],
  };
}

export const rolledBack: SalesforceRecordError = {
  statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
  message:
    "Record rolled back because not all records were valid and the request was using AllOrNone header",
  fields: [],
};

/** Answers with one of the transient failures Salesforce is known to return. */
export function sendInjectedSalesforceFault(res: Response, status: number): void {
  switch (status) {
    case 503:
      sendSalesforceErrors(res, 503, [
        {
          message: "Server temporarily unavailable; please try again later.",
          errorCode: "SERVER_UNAVAILABLE",
        },
      ]);
      return;
    case 502:
    case 504:
      res
        .status(status)
        .type("html")
        .send(
          `<html><body><h1>${status} ${status === 502 ? "Bad Gateway" : "Gateway Timeout"}</h1></body></html>`,
        );
      return;
    case 403:
      sendSalesforceErrors(res, 403, [
        { message: "ConcurrentPerOrgLongTxn Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" },
      ]);
      return;
    default:
      sendSalesforceErrors(res, status, [
        {
          message:
            "An unexpected error occurred. Please include this ErrorId if you contact support: 1337-42 (-1)",
          errorCode: "UNKNOWN_EXCEPTION",
        },
      ]);
  }
}
