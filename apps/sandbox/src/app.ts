import express, { type Express } from "express";
import { createSandboxAdmin, type SandboxAdmin, SandboxStore } from "./accounts";
import { adminRouter } from "./admin";
import { hubSpotRouter } from "./hubspot/router";
import { salesforceRouter } from "./salesforce/router";

/**
 * One Express app playing both providers: HubSpot under `/hubspot`, Salesforce under
 * `/salesforce`, the admin API under `/_sandbox`. The admin must come from createSandboxAdmin,
 * since the routes work on its live state.
 */
export function createSandboxApp(admin: SandboxAdmin = createSandboxAdmin()): Express {
  if (!(admin instanceof SandboxStore)) {
    throw new TypeError("createSandboxApp needs an admin made by createSandboxAdmin");
  }
  const app = express();
  app.disable("x-powered-by");
  // ETags hash every body; nothing here is cached, so skip the cost.
  app.set("etag", false);
  app.get("/healthz", (_req, res) => {
    res.status(200).json({ status: "ok" });
  });
  app.use("/_sandbox", adminRouter(admin));
  app.use("/hubspot", hubSpotRouter(admin));
  app.use("/salesforce", salesforceRouter(admin));
  app.use((_req, res) => {
    res.status(404).json({ error: "not found: use /hubspot, /salesforce or /_sandbox" });
  });
  return app;
}
