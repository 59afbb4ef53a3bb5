import type { RequestHandler, Response } from "express";
import type { AccountState, SandboxStore } from "../accounts";
import { bearerToken, sleep, trackRequest } from "../requestTracking";
import {
  expiredCredentials,
  missingCredentials,
  type RateLimitPolicy,
  rateLimitBody,
  sendHubSpotFailure,
  sendInjectedHubSpotFault,
} from "./errors";

/** Counts the call against both windows and sets the headers HubSpot sends on every response. */
function takeAllowance(account: AccountState, res: Response, now: number): RateLimitPolicy | null {
  const secondlyOk = account.rateWindow.tryAcquire(now);
  const dailyOk = secondlyOk && account.daily.tryAcquire(now);
  res.setHeader("X-HubSpot-RateLimit-Max", account.rateLimit.requests);
  res.setHeader("X-HubSpot-RateLimit-Remaining", account.rateWindow.remaining(now));
  res.setHeader("X-HubSpot-RateLimit-Interval-Milliseconds", account.rateLimit.intervalMs);
  res.setHeader("X-HubSpot-RateLimit-Daily", account.dailyLimit);
  res.setHeader(
    "X-HubSpot-RateLimit-Daily-Remaining",
    Math.max(0, account.dailyLimit - account.daily.used(now)),
  );
  if (!secondlyOk) return "TEN_SECONDLY_ROLLING";
  return dailyOk ? null : "DAILY";
}

/**
 * Runs before every CRM route: authentication, rate limits, latency and injected faults, in
 * that order, so an injected fault never touches state and a rejected call never reaches a route.
 */
export function hubSpotGate(store: SandboxStore): RequestHandler {
  return async (req, res, next) => {
    const now = Date.now();
    const token = bearerToken(req);
    const auth =
      token === null ? { kind: "unknown" as const } : store.authenticate("hubspot", token, now);
    if (auth.kind === "unknown") {
      sendHubSpotFailure(res, missingCredentials);
      return;
    }
    const tracked = trackRequest(req, res, auth.account, now);
    if (auth.kind === "expired") {
      sendHubSpotFailure(res, expiredCredentials(auth.expiredMsAgo));
      return;
    }
    const account = auth.account;
    const limited = takeAllowance(account, res, now);
    if (limited) {
      const waitMs =
        limited === "DAILY" ? 24 * 60 * 60 * 1000 : account.rateWindow.msUntilFree(now);
      res.setHeader("Retry-After", Math.max(1, Math.ceil(waitMs / 1000)));
      res.status(429).json(rateLimitBody(limited, account.id));
      return;
    }
    const faults = account.faults;
    const delay = account.latencyMs + (faults?.latencyMs ?? 0);
    if (delay > 0) await sleep(delay);
    if (faults) {
      const fault = faults.requestFault();
      const locked = fault?.kind === "lock" || (fault === null && faults.recordLock());
      if (fault || locked) {
        tracked.injected = true;
        sendInjectedHubSpotFault(res, fault?.kind === "status" ? fault.status : 423, account.id);
        return;
      }
    }
    next();
  };
}
