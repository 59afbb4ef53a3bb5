import { randomUUID } from "node:crypto";
import type { WritMetrics } from "@writ/telemetry";
import type { RequestHandler } from "express";
import { routeOf } from "./metrics";
import type { RequestDrain } from "./requestDrain";
import { endRequestSpan, startRequestSpan } from "./tracing";

/**
 * What the API does around every request, in one middleware mounted first: the SERVER span,
 * the request id (`X-Request-Id`, the client's own when it sent one), HTTP metrics by route
 * pattern, and admission through the shutdown drain. One layer and one `close` listener for all
 * of it: Express runs every layer's matching and bookkeeping for each request, and each listener
 * costs an allocation, both measurable at ingress rates.
 *
 * `close` follows `finish` on every answer, and fires alone when the client goes away first; an
 * aborted request ends its span as an error and is left out of the metrics, which count answers.
 */
export function requestLifecycle(options: {
  metrics: WritMetrics;
  drain?: RequestDrain | undefined;
}): RequestHandler {
  const { metrics, drain } = options;
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const span = startRequestSpan(req, res);
    res.once("close", () => {
      const aborted = !res.writableFinished;
      if (!aborted) {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.httpRequest(req.method, routeOf(req, res), res.statusCode, seconds);
      }
      if (span) endRequestSpan(span, req, res, aborted);
    });
    const sent = req.headers["x-request-id"];
    const requestId = typeof sent === "string" ? sent : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    if (drain) drain.admit(req, res, next);
    else next();
  };
}
