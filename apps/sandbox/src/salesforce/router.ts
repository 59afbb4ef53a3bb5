import express, { type ErrorRequestHandler, type RequestHandler, type Router } from "express";
import type { SandboxStore } from "../accounts";
import { pathParam } from "../pathParam";
import { trackedRequest } from "../requestTracking";
import { compositeCreate, compositeDelete, compositeUpdate } from "./composite";
import { jsonParserError, resourceNotFound, sendSalesforceErrors } from "./errors";
import { salesforceGate } from "./gate";
import { salesforceTokenHandler } from "./oauth";
import { createSObject, deleteSObjectRoute, getSObject, updateSObjectRoute } from "./sobjects";

const versionPattern = /^v\d{2,3}\.0$/;

const requireKnownVersion: RequestHandler = (req, res, next) => {
  if (!versionPattern.test(pathParam(req, "version"))) {
    sendSalesforceErrors(res, 404, [resourceNotFound]);
    return;
  }
  next();
};

/** GET /services/data/:version/limits (the daily allocation only). */
const getLimits: RequestHandler = (_req, res) => {
  const account = trackedRequest(res).account;
  const used = account.daily.used(Date.now());
  res.status(200).json({
    DailyApiRequests: {
      Max: account.dailyLimit,
      Remaining: Math.max(0, account.dailyLimit - used),
    },
  });
};

const handleBodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const type = (error as { type?: string }).type;
  if (type === "entity.parse.failed") {
    sendSalesforceErrors(res, 400, [jsonParserError((error as Error).message)]);
    return;
  }
  if (type === "entity.too.large") {
    sendSalesforceErrors(res, 413, [
      { message: "Request entity too large", errorCode: "REQUEST_TOO_LARGE" },
    ]);
    return;
  }
  next(error);
};

/** Salesforce's REST API as served under `/salesforce` (the instance URL). */
export function salesforceRouter(store: SandboxStore): Router {
  const router = express.Router();
  router.post(
    "/services/oauth2/token",
    express.urlencoded({ extended: false }),
    salesforceTokenHandler(store),
  );

  router.use(salesforceGate(store));
  router.use(express.json({ limit: "20mb" }));
  const data = "/services/data/:version";
  router.get(`${data}/limits`, requireKnownVersion, getLimits);
  router.post(`${data}/composite/sobjects`, requireKnownVersion, compositeCreate);
  router.patch(`${data}/composite/sobjects`, requireKnownVersion, compositeUpdate);
  router.delete(`${data}/composite/sobjects`, requireKnownVersion, compositeDelete);
  router.post(`${data}/sobjects/:sobject`, requireKnownVersion, createSObject);
  router.get(`${data}/sobjects/:sobject/:id`, requireKnownVersion, getSObject);
  router.patch(`${data}/sobjects/:sobject/:id`, requireKnownVersion, updateSObjectRoute);
  router.delete(`${data}/sobjects/:sobject/:id`, requireKnownVersion, deleteSObjectRoute);
  router.use((_req, res) => {
    sendSalesforceErrors(res, 404, [resourceNotFound]);
  });
  router.use(handleBodyErrors);
  return router;
}
