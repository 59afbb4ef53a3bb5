import { extractTraceContext, startSpan, type TracedSpan, tracingEnabled } from "@writ/telemetry";
import type { RequestHandler, Response } from "express";
import { routeOf, unmatchedRoute } from "./metrics";

/**
 * One SERVER span per request (OpenTelemetry HTTP conventions), named by method and route
 * pattern once the route is known, continuing the caller's trace when it sent `traceparent`.
 * Attributes carry the path without its query string, never headers or bodies. Mount it first.
 *
 * The span is never made active: what a handler traces names it as parent (requestSpan), so the
 * API never turns on AsyncLocalStorage, whose per-promise hooks cost every request (see
 * withDetachedSpan).
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
    (res.locals as RequestLocals)[requestSpanKey] = span;
    next();
  };
}

const requestSpanKey = Symbol("writ.requestSpan");
type RequestLocals = { [requestSpanKey]?: TracedSpan };

/** The request's SERVER span, to parent what the handler traces; undefined when tracing is off. */
export function requestSpan(res: Response): TracedSpan | undefined {
  return (res.locals as RequestLocals)[requestSpanKey];
}
