import { type ConnectionContext, isProviderError } from "@writ/connectors";
import type { ProviderName } from "@writ/contracts";
import {
  addLinksToActiveSpan,
  bindContext,
  createContextSlot,
  currentTraceIds,
  startSpan,
  type TraceCarrier,
  type TracedSpan,
  tracingEnabled,
  withSpan,
} from "@writ/telemetry";

/** Which in-process retry (p-retry attempt, 0 for the first try) the current call belongs to. */
export const shortRetrySlot = createContextSlot<number>("writ.short_retry");

export interface TracedCall {
  provider: ProviderName;
  /** Retries of this call so far inside the dispatcher (a credential refresh). */
  retry: number;
  ctx: ConnectionContext;
}

/**
 * One rate-limited provider call as two sibling spans under the active one: `rate limit wait`
 * (from scheduling until the limiter lets the call go, with `writ.rate_limit.wait_ms`), then a
 * CLIENT `provider call` around `send` (see traceProviderCall). `schedule` hands `run` to the
 * limiter; `run` is bound to the caller's context, since the limiter starts it from wherever
 * its own scheduling happens to be.
 */
export async function traceLimitedCall<T, R>(
  call: TracedCall,
  send: (ctx: ConnectionContext) => Promise<T>,
  schedule: (run: () => Promise<T>) => Promise<R>,
): Promise<R> {
  if (!tracingEnabled()) return schedule(() => send(call.ctx));
  const queuedAt = Date.now();
  const wait = startSpan("rate limit wait", { attributes: { "writ.provider": call.provider } });
  let waiting = true;
  const stopWaiting = () => {
    waiting = false;
    wait.setAttribute("writ.rate_limit.wait_ms", Date.now() - queuedAt);
    wait.end();
  };
  try {
    return await schedule(
      bindContext(() => {
        stopWaiting();
        return traceProviderCall(call, send);
      }),
    );
  } catch (error) {
    if (waiting) {
      wait.recordError(error);
      stopWaiting();
    }
    throw error;
  }
}

/**
 * A CLIENT `provider call` span around one connector call (one HTTP request with both
 * connectors), following the HTTP client conventions: the connector's fetch records method,
 * URL without its query string, server and status on it. The provider's error code joins as
 * `writ.provider.error_code`, from a thrown ProviderError or a single record's failure.
 */
export function traceProviderCall<T>(
  call: TracedCall,
  send: (ctx: ConnectionContext) => Promise<T>,
): Promise<T> {
  const retry = (shortRetrySlot.get() ?? 0) + call.retry;
  return withSpan(
    "provider call",
    { kind: "client", attributes: { "writ.provider": call.provider, "writ.retry": retry } },
    async (span) => {
      try {
        const value = await send({
          ...call.ctx,
          fetch: tracedFetch(span, call.ctx.fetch ?? fetch),
        });
        const code = failedRecordCode(value);
        if (code !== undefined) span.setAttribute("writ.provider.error_code", code);
        return value;
      } catch (error) {
        if (isProviderError(error) && error.code !== undefined) {
          span.setAttribute("writ.provider.error_code", error.code);
        }
        throw error;
      }
    },
  );
}

function tracedFetch(span: TracedSpan, baseFetch: typeof fetch): typeof fetch {
  return async (input, init) => {
    const raw = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const url = parseUrl(raw);
    span.setAttributes({
      "http.request.method": init?.method ?? (input instanceof Request ? input.method : "GET"),
      // Origin and path only: no query string, no user info.
      "url.full": url ? `${url.origin}${url.pathname}` : undefined,
      "server.address": url?.hostname,
      "server.port": url?.port ? Number(url.port) : undefined,
    });
    const response = await baseFetch(input, init);
    span.setAttribute("http.response.status_code", response.status);
    if (response.status >= 400) {
      span.setAttribute("error.type", String(response.status));
      span.setStatus("error");
    }
    return response;
  };
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** The provider's code when a single-record call came back as a failed record. */
function failedRecordCode(value: unknown): string | undefined {
  const outcome = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof outcome !== "object" || outcome === null || !("ok" in outcome)) return undefined;
  if (outcome.ok !== false || !("error" in outcome) || !isProviderError(outcome.error)) {
    return undefined;
  }
  return outcome.error.code;
}

/**
 * Links the active provider-call span to the other jobs a coalesced batch call serves; the
 * span's parent is the job whose flush sent it.
 */
export function linkCoalescedJobs(traces: ReadonlyArray<TraceCarrier | undefined>): void {
  if (!tracingEnabled() || traces.length < 2) return;
  const own = currentTraceIds()?.traceId;
  addLinksToActiveSpan(traces.filter((trace) => trace && trace.traceparent.split("-")[1] !== own));
}
