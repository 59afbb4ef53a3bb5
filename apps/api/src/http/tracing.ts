import { extractTraceContext, startSpan, type TracedSpan, tracingEnabled } from "@writ/telemetry";
import type { Request, Response } from "express";
import { routeOf, unmatchedRoute } from "./metrics";

/**
 * Starts the request's SERVER span (OpenTelemetry HTTP conventions), continuing the caller's
 * trace when it sent `traceparent`; undefined when tracing is off. Attributes carry the path
 * without its query string, never headers or bodies. See requestLifecycle, which ends it.
 *
 * The span is never made active: what a handler traces names it as parent (requestSpan), so the
 * API never turns on AsyncLocalStorage, whose per-promise hooks cost every request (see
 * withDetachedSpan).
 */
export function startRequestSpan(req: Request, res: Response): TracedSpan | undefined {
  if (!tracingEnabled()) return undefined;
  const traceparent = req.headers.traceparent;
  const tracestate = req.headers.tracestate;
  const span = startSpan(req.method, {
    kind: "server",
    parent:
      typeof traceparent === "string"
        ? extractTraceContext({
            traceparent,
            tracestate: typeof tracestate === "string" ? tracestate : undefined,
          })
        : undefined,
    attributes: {
      "http.request.method": req.method,
      "url.path": req.path,
      "url.scheme": req.protocol,
    },
  });
  (res.locals as RequestLocals)[requestSpanKey] = span;
  return span;
}

/** Names the span by method and route pattern once the route is known, and ends it. */
export function endRequestSpan(
  span: TracedSpan,
  req: Request,
  res: Response,
  aborted: boolean,
): void {
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
}

const requestSpanKey = Symbol("writ.requestSpan");
type RequestLocals = { [requestSpanKey]?: TracedSpan };

/** The request's SERVER span, to parent what the handler traces; undefined when tracing is off. */
export function requestSpan(res: Response): TracedSpan | undefined {
  return (res.locals as RequestLocals)[requestSpanKey];
}
