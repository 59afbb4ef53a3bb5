import type { RequestHandler, Response } from "express";
import { HttpProblem, sendProblem } from "./problem";

/**
 * The API's side of a graceful shutdown: knows which requests are in flight, turns away new
 * ones once the process stops accepting, and tells shutdown when the last answer has gone out.
 *
 * Closing the listener refuses new connections, but a client holding a keep-alive connection
 * can still send a request on it; that request gets a 503 with `Retry-After` and
 * `Connection: close`, so the client retries on a fresh connection (another instance, through
 * the load balancer). Requests already in flight finish normally, with `Connection: close`.
 */
export class RequestDrain {
  private readonly inFlight = new Set<Response>();
  private accepting = true;
  private idleWaiters: Array<() => void> = [];

  /** Mounted first in the app, so even a refused request carries its X-Request-Id. */
  readonly admit: RequestHandler = (req, res, next) => {
    if (!this.accepting) {
      res.set({ "Retry-After": "1", Connection: "close" });
      sendProblem(
        req,
        res,
        new HttpProblem("unavailable", "this API instance is shutting down; retry the request", {
          retryable: true,
        }),
      );
      return;
    }
    this.inFlight.add(res);
    // `close` follows `finish`, and also fires when the client goes away mid-request.
    res.once("close", () => {
      this.inFlight.delete(res);
      if (this.inFlight.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
    next();
  };

  /** Requests still being answered. */
  get active(): number {
    return this.inFlight.size;
  }

  /** From now on new requests are refused, and answers in flight close their connection. */
  stopAccepting(): void {
    this.accepting = false;
    for (const res of this.inFlight) if (!res.headersSent) res.set("Connection", "close");
  }

  /** Resolves true once no request is in flight, or false if `timeoutMs` passes first. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.inFlight.size === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((waiter) => waiter !== done);
        resolve(false);
      }, timeoutMs);
      this.idleWaiters.push(done);
    });
  }
}
