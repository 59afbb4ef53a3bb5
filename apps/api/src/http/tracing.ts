import { extractTraceContext, runInSpan, startSpan, tracingEnabled } from "@writ/telemetry";
import type { RequestHandler } from "express";
import { routeOf, unmatchedRoute } from "./metrics";

/**
 * One SERVER span per request (OpenTelemetry HTTP conventions), named by method and route
 * pattern once the route is known, continuing the caller's trace when it sent `traceparent`.
 * Attributes carry the path without its query string, never headers or bodies. Mount it first,
 * so that everything the request does happens inside its span.
 */
export function requestTracing(): RequestHandler {
  return (req, res, next) => {
    if (!tracingEnabled()) {
      next();
      return;
    }
    const traceparent = req.get("traceparent");
    const span = startSpan(req.method, {
      kind: "server",
      parent: traceparent
        ? extractTraceContext({ traceparent, tracestate: req.get("tracestate") })
        : undefined,
      attributes: {
        "http.request.method": req.method,
        "url.path": req.path,
        "url.scheme": req.protocol,
      },
    });
    let ended = false;
    const end = (aborted: boolean) => {
      if (ended) return;
      ended = true;
      const route = routeOf(req, res);
      if (route !== unmatchedRoute) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute("http.route", route);
      }
      if (aborted) {
        span.setAttribute("error.type", "aborted");
        span.setStatus("error");
      } else {
        span.setAttribute("http.response.status_code", res.statusCode);
        if (res.statusCode >= 500) {
          span.setAttribute("error.type", String(res.statusCode));
          span.setStatus("error");
        }
      }
      span.end();
    };
    res.once("finish", () => end(false));
    res.once("close", () => end(!res.writableFinished));
    // The body parser and the handlers run in stream callbacks: bind them to the span.
    runInSpan(span, next, [req, res]);
  };
}
