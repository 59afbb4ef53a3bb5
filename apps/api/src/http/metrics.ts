import type { WritMetrics } from "@writ/telemetry";
import type { Request, RequestHandler, Response } from "express";

/** Route label for requests no route matched (404s, probes of random paths). */
export const unmatchedRoute = "unmatched";

/**
 * Names the route label of requests served by a mounted sub-application (e.g. the queue
 * dashboard), whose inner routes are not worth a series each.
 */
export function labelRoute(route: string): RequestHandler {
  return (_req, res, next) => {
    res.locals.metricsRoute = route;
    next();
  };
}

/** The route pattern a request was served by, or `unmatchedRoute`. Known once it finished. */
export function routeOf(req: Request, res: Response): string {
  const labelled = res.locals.metricsRoute;
  if (typeof labelled === "string") return labelled;
  const path: unknown = req.route?.path;
  // Express paths escape a literal colon (`/integrations\:batch`); the label shows it plain.
  return typeof path === "string" ? path.replaceAll("\\", "") : unmatchedRoute;
}

/**
 * Prometheus scrape endpoint. Unauthenticated, as scrapers expect: keep it on an internal
 * network and do not route `/metrics` through a public load balancer.
 */
export function serveMetrics(metrics: WritMetrics): RequestHandler {
  return async (_req, res, next) => {
    try {
      const body = await metrics.render();
      res.type(metrics.contentType).send(body);
    } catch (error) {
      next(error);
    }
  };
}
