import {
  extractTraceContext,
  runInSpan,
  startSpan,
  type TracedSpan,
  tracingEnabled,
} from "@writ/telemetry";
import type { RequestHandler, Response } from "express";
import { routeOf, unmatchedRoute } from "./metrics";

/**
 * One SERVER span per request (OpenTelemetry HTTP conventions), named by method and route
 * pattern once the route is known, continuing the caller's trace when it sent `traceparent`.
 * Attributes carry the path without its query string, never headers or bodies. Mount it first.
 *
 * The span is active for the middleware that runs synchronously after this one, and the endpoint
 * handler makes it active again (see inRequestSpan): the handler runs in the body parser's stream
 * callback, outside this call. Binding the request and response emitters to the span would do the
 * same for every listener, at a cost measured at about a tenth of the API's CPU under load.
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
    runInSpan(span, next);
  };
}

const requestSpanKey = Symbol("writ.requestSpan");
type RequestLocals = { [requestSpanKey]?: TracedSpan };

/** Runs `fn` with the request's SERVER span active (when tracing is on). */
export function inRequestSpan<T>(res: Response, fn: () => T): T {
  const span = (res.locals as RequestLocals)[requestSpanKey];
  return span ? runInSpan(span, fn) : fn();
}
