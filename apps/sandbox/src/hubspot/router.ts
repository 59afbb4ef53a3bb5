import express, { type ErrorRequestHandler, type Router } from "express";
import type { SandboxStore } from "../accounts";
import { batchArchive, batchCreate, batchRead, batchUpdate } from "./batch";
import { invalidInput, sendHubSpotFailure } from "./errors";
import { hubSpotGate } from "./gate";
import { hubSpotAccessTokenInfo, hubSpotTokenHandler } from "./oauth";
import { archiveObject, createObject, getObject, listObjects, updateObject } from "./objects";

const handleBodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const type = (error as { type?: string }).type;
  if (type === "entity.parse.failed") {
    sendHubSpotFailure(res, invalidInput(`Invalid input JSON: ${(error as Error).message}`));
    return;
  }
  if (type === "entity.too.large") {
    sendHubSpotFailure(res, {
      status: 413,
      category: "VALIDATION_ERROR",
      message: "Request entity too large",
    });
    return;
  }
  next(error);
};

/** HubSpot's API as served under `/hubspot`: OAuth, then the CRM v3 object routes behind the gate. */
export function hubSpotRouter(store: SandboxStore): Router {
  const router = express.Router();
  router.post(
    "/oauth/v1/token",
    express.urlencoded({ extended: false }),
    hubSpotTokenHandler(store),
  );
  router.get("/oauth/v1/access-tokens/:token", hubSpotAccessTokenInfo(store));

  router.use(hubSpotGate(store));
  router.use(express.json({ limit: "20mb" }));
  router.post("/crm/v3/objects/:objectType/batch/create", batchCreate);
  router.post("/crm/v3/objects/:objectType/batch/update", batchUpdate);
  router.post("/crm/v3/objects/:objectType/batch/read", batchRead);
  router.post("/crm/v3/objects/:objectType/batch/archive", batchArchive);
  router.get("/crm/v3/objects/:objectType", listObjects);
  router.post("/crm/v3/objects/:objectType", createObject);
  router.get("/crm/v3/objects/:objectType/:id", getObject);
  router.patch("/crm/v3/objects/:objectType/:id", updateObject);
  router.delete("/crm/v3/objects/:objectType/:id", archiveObject);
  router.use((_req, res) => {
    sendHubSpotFailure(res, {
      status: 404,
      category: "OBJECT_NOT_FOUND",
      message: "Unable to route the request",
    });
  });
  router.use(handleBodyErrors);
  return router;
}
