import express, { type Express } from "express";
import type { AppDeps } from "./deps";
import { endpoints } from "./endpoints";
import { BodyBudget } from "./http/bodyBudget";
import { mountEndpoint } from "./http/endpoint";
import { labelRoute, serveMetrics } from "./http/metrics";
import { createErrorHandler, HttpProblem, sendProblem } from "./http/problem";
import { queueDashboard, queueDashboardPath } from "./http/queueDashboard";
import type { RequestDrain } from "./http/requestDrain";
import { requestLifecycle } from "./http/requestLifecycle";
import { requestSpan } from "./http/tracing";
import { apiReferenceRouter } from "./openapi/apiReferenceRouter";

export interface AppOptions {
  /** Tracks in-flight requests and refuses new ones during shutdown (see startApi). */
  drain?: RequestDrain;
}

export function createApp(deps: AppDeps, options: AppOptions = {}): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(requestLifecycle({ metrics: deps.metrics, drain: options.drain }));
  app.use(
    new BodyBudget({
      limitBytes: deps.config.inFlightBodyBytes,
      smallBodyBytes: 64 * 1024,
      maxBodyBytes: deps.config.maxBodyBytes,
      maxWaitMs: 10_000,
    }).admit,
  );
  app.use(
    express.json({
      limit: deps.config.maxBodyBytes,
      type: ["application/json", "application/*+json"],
    }),
  );

  // Endpoints first, on the app itself: Express tries layers in order for every request, and the
  // write endpoint (mounted first) is the one under load.
  for (const endpoint of endpoints) mountEndpoint(app, endpoint, deps);

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res, next) => {
    try {
      const readiness = await deps.readiness();
      res
        .status(readiness.ready ? 200 : 503)
        .json({ status: readiness.ready ? "ready" : "not_ready", checks: readiness.checks });
    } catch (error) {
      next(error);
    }
  });

  // Unauthenticated like every Prometheus target: reachable only from the internal network.
  app.get("/metrics", serveMetrics(deps.metrics));
  if (deps.config.adminToken) {
    app.use(
      queueDashboardPath,
      labelRoute(queueDashboardPath),
      ...queueDashboard({
        writes: deps.writes,
        adminToken: deps.config.adminToken,
        allowWrites: deps.config.dashboardWrite,
      }),
    );
  }

  app.use(apiReferenceRouter(endpoints, { serverUrl: deps.config.publicUrl }));

  app.use((req, res) => {
    sendProblem(req, res, new HttpProblem("notFound", `no endpoint ${req.method} ${req.path}`));
  });
  app.use(
    createErrorHandler((error, req) => {
      // The request span is never active (see startRequestSpan), so its ids are added here.
      const traceIds = req.res ? requestSpan(req.res)?.traceIds() : undefined;
      deps.logger.error(
        {
          err: error,
          method: req.method,
          path: req.path,
          requestId: req.res?.locals.requestId,
          ...traceIds,
        },
        "unhandled error",
      );
    }),
  );
  return app;
}
