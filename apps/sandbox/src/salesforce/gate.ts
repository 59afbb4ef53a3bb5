import type { RequestHandler } from "express";
import type { SandboxStore } from "../accounts";
import { bearerToken, sleep, trackRequest } from "../requestTracking";
import { invalidSession, sendInjectedSalesforceFault, sendSalesforceErrors } from "./errors";

/**
 * Runs before every REST route: session check, daily allocation (reported in
 * `Sforce-Limit-Info` on every answer), concurrency, latency and injected faults.
 */
export function salesforceGate(store: SandboxStore): RequestHandler {
  return async (req, res, next) => {
    const now = Date.now();
    const token = bearerToken(req);
    const auth =
      token === null ? { kind: "unknown" as const } : store.authenticate("salesforce", token, now);
    if (auth.kind !== "ok") {
      if (auth.kind === "expired") trackRequest(req, res, auth.account, now);
      res.setHeader("WWW-Authenticate", 'Token realm="Salesforce.com"');
      sendSalesforceErrors(res, 401, [invalidSession]);
      return;
    }
    const account = auth.account;
    const tracked = trackRequest(req, res, account, now);
    const withinDaily = account.daily.tryAcquire(now);
    res.setHeader(
      "Sforce-Limit-Info",
      `api-usage=${account.daily.used(now)}/${account.dailyLimit}`,
    );
    if (!withinDaily) {
      sendSalesforceErrors(res, 403, [
        { message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" },
      ]);
      return;
    }
    if (account.inFlight >= account.maxConcurrent) {
      sendSalesforceErrors(res, 403, [
        { message: "ConcurrentPerOrgLongTxn Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" },
      ]);
      return;
    }
    account.inFlight++;
    res.once("close", () => {
      account.inFlight--;
    });
    const faults = account.faults;
    const delay = account.latencyMs + (faults?.latencyMs ?? 0);
    if (delay > 0) await sleep(delay);
    const fault = faults?.requestFault() ?? null;
    if (fault?.kind === "status") {
      tracked.injected = true;
      sendInjectedSalesforceFault(res, fault.status);
      return;
    }
    // A lock shows up differently on single and composite calls; the write route applies it.
    if (fault?.kind === "lock") tracked.lockPending = true;
    next();
  };
}
