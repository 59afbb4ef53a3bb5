import type { Request, Response } from "express";
import { isJsonObject, type JsonObject } from "../jsonValues";
import { pathParam } from "../pathParam";
import { type HubSpotFailure, invalidInput, sendHubSpotFailure, unknownObjectType } from "./errors";
import { type HubSpotObjectType, resolveHubSpotObjectType } from "./objectTypes";

/** The JSON object body of a write, or null after answering the way HubSpot does. */
export function readJsonObject(req: Request, res: Response): JsonObject | null {
  const body: unknown = req.body;
  if (body === undefined) {
    const failure: HubSpotFailure = {
      status: 415,
      category: "VALIDATION_ERROR",
      message: "Unsupported Media Type: send the body as application/json",
    };
    sendHubSpotFailure(res, failure);
    return null;
  }
  if (!isJsonObject(body)) {
    sendHubSpotFailure(res, invalidInput("Invalid input JSON: expected an object"));
    return null;
  }
  return body;
}

export function readObjectType(req: Request, res: Response): HubSpotObjectType | null {
  const raw = pathParam(req, "objectType");
  const type = resolveHubSpotObjectType(raw);
  if (!type) sendHubSpotFailure(res, unknownObjectType(raw));
  return type;
}

export function queryString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
