import type { Request, RequestHandler, Response } from "express";
import { HttpProblem, sendProblem } from "./problem";

export interface BodyBudgetOptions {
  /** Bytes of large request bodies the process holds at once. */
  limitBytes: number;
  /** Bodies smaller than this are admitted without accounting. */
  smallBodyBytes: number;
  /** The most a body without a Content-Length can be (the body parser's limit). */
  maxBodyBytes: number;
  /** How long a request may wait for room before it is turned away with 503. */
  maxWaitMs: number;
}

interface Waiter {
  bytes: number;
  admit(): void;
}

/**
 * Bounds the large request bodies the API works on at once. A body is read, parsed, validated
 * and turned into queue jobs, each step with its own copy, so a hundred maximum-size batches at
 * once need several hundred megabytes: enough to run the process out of memory. A large body
 * that would take the total over `limitBytes` waits, unread (TCP holds the rest of it back at the
 * client), until earlier ones are answered, first come first served; after `maxWaitMs` it gets
 * 503 with `Retry-After`. Bodies under `smallBodyBytes` (single writes) pass without accounting:
 * the hot path stays free of it, and their total is bounded by the connections anyway.
 *
 * The size is the request's Content-Length; a chunked body counts as the largest allowed.
 */
export class BodyBudget {
  private used = 0;
  private readonly waiting: Waiter[] = [];
  private readonly limitBytes: number;

  constructor(private readonly options: BodyBudgetOptions) {
    // A body the parser accepts must fit on its own.
    this.limitBytes = Math.max(options.limitBytes, options.maxBodyBytes);
  }

  /** Bytes of bodies admitted and not yet answered. */
  get inUse(): number {
    return this.used;
  }

  /** Requests waiting for room. */
  get queued(): number {
    return this.waiting.length;
  }

  readonly admit: RequestHandler = (req, res, next) => {
    const bytes = this.sizeOf(req);
    if (bytes < this.options.smallBodyBytes) {
      next();
      return;
    }
    if (this.waiting.length === 0 && this.used + bytes <= this.limitBytes) {
      this.take(res, bytes);
      next();
      return;
    }
    this.wait(req, res, bytes, next);
  };

  private sizeOf(req: Request): number {
    const length = req.headers["content-length"];
    if (length !== undefined) return Number(length) || 0;
    return req.headers["transfer-encoding"] ? this.options.maxBodyBytes : 0;
  }

  private take(res: Response, bytes: number): void {
    this.used += bytes;
    res.once("close", () => {
      this.used -= bytes;
      this.admitWaiting();
    });
  }

  private wait(req: Request, res: Response, bytes: number, next: () => void): void {
    const waiter: Waiter = {
      bytes,
      admit: () => {
        clearTimeout(timer);
        this.take(res, bytes);
        next();
      },
    };
    const leave = () => {
      const index = this.waiting.indexOf(waiter);
      if (index >= 0) this.waiting.splice(index, 1);
      return index >= 0;
    };
    const timer = setTimeout(() => {
      if (!leave()) return;
      res.set("Retry-After", "1");
      sendProblem(
        req,
        res,
        new HttpProblem(
          "unavailable",
          "this API instance is busy with large requests; retry the request",
          { retryable: true },
        ),
      );
      this.admitWaiting();
    }, this.options.maxWaitMs);
    // A client that goes away while waiting gives up its place.
    res.once("close", () => {
      if (leave()) {
        clearTimeout(timer);
        this.admitWaiting();
      }
    });
    this.waiting.push(waiter);
  }

  private admitWaiting(): void {
    for (;;) {
      const next = this.waiting[0];
      if (!next || (this.used > 0 && this.used + next.bytes > this.limitBytes)) return;
      this.waiting.shift();
      next.admit();
    }
  }
}
