import type { Request, Response } from "express";
import type { AccountState } from "./accounts";
import type { RequestLogEntry } from "./requestLog";

/** What the handlers learn about a request on its way through, logged when it completes. */
export interface TrackedRequest {
  account: AccountState;
  at: number;
  injected: boolean;
  records: number;
  /** A lock fault was drawn for the whole request; the write handler decides how it shows. */
  lockPending: boolean;
}

function forwardedHeaders(req: Request): Record<string, string> | undefined {
  let headers: Record<string, string> | undefined;
  for (const [name, value] of Object.entries(req.headers)) {
    if (!(name.startsWith("sforce-") || name.startsWith("x-")) || value === undefined) continue;
    if (name.includes("auth") || name.includes("token") || name.includes("api-key")) continue;
    headers ??= {};
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/** Starts tracking an authenticated request; its log entry is written when the response closes. */
export function trackRequest(
  req: Request,
  res: Response,
  account: AccountState,
  at: number,
): TrackedRequest {
  const tracked: TrackedRequest = { account, at, injected: false, records: 0, lockPending: false };
  res.locals.tracked = tracked;
  const path = req.path;
  const method = req.method;
  const headers = forwardedHeaders(req);
  res.once("close", () => {
    const entry: RequestLogEntry = {
      at,
      method,
      path,
      status: res.statusCode,
      injected: tracked.injected,
      records: tracked.records,
    };
    if (headers) entry.headers = headers;
    account.log.push(entry);
  });
  return tracked;
}

export function trackedRequest(res: Response): TrackedRequest {
  const tracked = res.locals.tracked as TrackedRequest | undefined;
  if (!tracked) throw new Error("route reached without passing the provider gate");
  return tracked;
}

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim() || null;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
