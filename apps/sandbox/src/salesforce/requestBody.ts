import type { Request, Response } from "express";
import { isJsonObject, type JsonObject } from "../jsonValues";
import { pathParam } from "../pathParam";
import { jsonParserError, resourceNotFound, sendSalesforceErrors } from "./errors";
import { resolveSObjectType, type SObjectType } from "./sobjectTypes";

export function readSalesforceBody(req: Request, res: Response): JsonObject | null {
  const body: unknown = req.body;
  if (body === undefined) {
    sendSalesforceErrors(res, 415, [
      {
        message:
          "Content-Type header specified in HTTP request is not supported: use application/json",
        errorCode: "UNSUPPORTED_MEDIA_TYPE",
      },
    ]);
    return null;
  }
  if (!isJsonObject(body)) {
    sendSalesforceErrors(res, 400, [jsonParserError("Expected a JSON object as the request body")]);
    return null;
  }
  return body;
}

/** The sObject type named in the path, or null after answering 404 as Salesforce does. */
export function readSObjectType(req: Request, res: Response): SObjectType | null {
  const type = resolveSObjectType(pathParam(req, "sobject"));
  if (!type) sendSalesforceErrors(res, 404, [resourceNotFound]);
  return type;
}
