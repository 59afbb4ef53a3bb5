import type { Request, Response } from "express";
import { queryList } from "../jsonValues";
import { pathParam } from "../pathParam";
import { trackedRequest } from "../requestTracking";
import { objectNotFound, sendHubSpotFailure } from "./errors";
import {
  archiveHubSpotRecord,
  findHubSpotRecord,
  hubSpotObjectJson,
  insertHubSpotRecord,
  prepareCreate,
  prepareUpdate,
  updateHubSpotRecord,
} from "./records";
import { queryString, readJsonObject, readObjectType } from "./requestBody";

/** POST /crm/v3/objects/:objectType */
export function createObject(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const type = readObjectType(req, res);
  if (!type) return;
  const body = readJsonObject(req, res);
  if (!body) return;
  const prepared = prepareCreate(tracked.account, type, body);
  if (!prepared.ok) {
    sendHubSpotFailure(res, prepared.failure);
    return;
  }
  const { properties, associations } = prepared.write;
  const record = insertHubSpotRecord(tracked.account, type, properties, Date.now(), associations);
  tracked.records = 1;
  res.status(201).json(hubSpotObjectJson(type, record));
}

/** GET /crm/v3/objects/:objectType/:id */
export function getObject(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const type = readObjectType(req, res);
  if (!type) return;
  const record = findHubSpotRecord(
    tracked.account,
    type,
    pathParam(req, "id"),
    queryString(req.query.idProperty),
  );
  if (!record) {
    sendHubSpotFailure(res, objectNotFound());
    return;
  }
  const requested = queryList(req.query.properties) ?? type.defaultProperties;
  res.status(200).json(hubSpotObjectJson(type, record, requested));
}

/** PATCH /crm/v3/objects/:objectType/:id */
export function updateObject(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const type = readObjectType(req, res);
  if (!type) return;
  const body = readJsonObject(req, res);
  if (!body) return;
  const record = findHubSpotRecord(
    tracked.account,
    type,
    pathParam(req, "id"),
    queryString(req.query.idProperty),
  );
  if (!record) {
    sendHubSpotFailure(res, objectNotFound());
    return;
  }
  const prepared = prepareUpdate(tracked.account, type, record, body);
  if (!prepared.ok) {
    sendHubSpotFailure(res, prepared.failure);
    return;
  }
  updateHubSpotRecord(tracked.account, type, record, prepared.write.properties, Date.now());
  tracked.records = 1;
  res.status(200).json(hubSpotObjectJson(type, record));
}

/** DELETE /crm/v3/objects/:objectType/:id (archives) */
export function archiveObject(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const type = readObjectType(req, res);
  if (!type) return;
  const record = findHubSpotRecord(tracked.account, type, pathParam(req, "id"));
  if (!record) {
    sendHubSpotFailure(res, objectNotFound());
    return;
  }
  archiveHubSpotRecord(tracked.account, type, record);
  tracked.records = 1;
  res.status(204).end();
}

/** GET /crm/v3/objects/:objectType: one page, oldest first. */
export function listObjects(req: Request, res: Response): void {
  const tracked = trackedRequest(res);
  const type = readObjectType(req, res);
  if (!type) return;
  const limit = Math.min(100, Math.max(1, Number(queryString(req.query.limit) ?? 10) || 10));
  const offset = Math.max(0, Number(queryString(req.query.after) ?? 0) || 0);
  const requested = queryList(req.query.properties) ?? type.defaultProperties;
  const all = Array.from(tracked.account.existingTable(type.name)?.values() ?? []);
  const page = all.slice(offset, offset + limit);
  const next = offset + limit;
  res.status(200).json({
    results: page.map((record) => hubSpotObjectJson(type, record, requested)),
    ...(next < all.length
      ? {
          paging: {
            next: { after: String(next), link: `${req.baseUrl}${req.path}?after=${next}` },
          },
        }
      : {}),
  });
}
