import { randomUUID } from "node:crypto";
import type { Response } from "express";

/** One error detail, as HubSpot lists them under `errors`. */
export interface HubSpotErrorDetail {
  message: string;
  code: string;
  context?: Record<string, string[]>;
}

/** A failed write before it is shaped into a single-call body or a batch error entry. */
export interface HubSpotFailure {
  /** HTTP status when the failure is the whole response. */
  status: number;
  category: string;
  message: string;
  errors?: HubSpotErrorDetail[];
}

export function hubSpotErrorBody(failure: Omit<HubSpotFailure, "status">): Record<string, unknown> {
  return {
    status: "error",
    message: failure.message,
    correlationId: randomUUID(),
    category: failure.category,
    ...(failure.errors ? { errors: failure.errors } : {}),
  };
}

export function sendHubSpotFailure(res: Response, failure: HubSpotFailure): void {
  res.status(failure.status).json(hubSpotErrorBody(failure));
}

export function invalidInput(message: string): HubSpotFailure {
  return { status: 400, category: "VALIDATION_ERROR", message };
}

export function objectNotFound(): HubSpotFailure {
  return { status: 404, category: "OBJECT_NOT_FOUND", message: "resource not found" };
}

export function unknownObjectType(raw: string): HubSpotFailure {
  return invalidInput(`Unable to infer object type from: ${raw}`);
}

export const missingCredentials: HubSpotFailure = {
  status: 401,
  category: "INVALID_AUTHENTICATION",
  message:
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
};

export function expiredCredentials(expiredMsAgo: number): HubSpotFailure {
  const seconds = Math.max(0, Math.floor(expiredMsAgo / 1000));
  return {
    status: 401,
    category: "EXPIRED_AUTHENTICATION",
    message: `The OAuth token used to make this call expired ${seconds} second(s) ago.`,
  };
}

export type RateLimitPolicy = "TEN_SECONDLY_ROLLING" | "DAILY";

export function rateLimitBody(policy: RateLimitPolicy, portalId: string): Record<string, unknown> {
  return {
    status: "error",
    message:
      policy === "DAILY"
        ? "You have reached your daily limit."
        : "You have reached your ten_secondly_rolling limit.",
    errorType: "RATE_LIMIT",
    correlationId: randomUUID(),
    policyName: policy,
    groupName: `publicapi:oauth:${portalId}`,
  };
}

function gatewayPage(status: number, title: string): string {
  return `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

/** Answers with one of the transient failures HubSpot is known to return. */
export function sendInjectedHubSpotFault(res: Response, status: number, portalId: string): void {
  switch (status) {
    case 429:
      res.setHeader("Retry-After", "1");
      res.status(429).json(rateLimitBody("TEN_SECONDLY_ROLLING", portalId));
      return;
    case 502:
      res.status(502).type("html").send(gatewayPage(502, "Bad Gateway"));
      return;
    case 504:
      res.status(504).type("html").send(gatewayPage(504, "Gateway Time-out"));
      return;
    case 423:
      sendHubSpotFailure(res, {
        status: 423,
        category: "LOCKED",
        message: "The record is locked by another operation; retry the request shortly.",
      });
      return;
    case 477:
      res.setHeader("Retry-After", "1");
      sendHubSpotFailure(res, {
        status: 477,
        category: "MIGRATION_IN_PROGRESS",
        message: "The account is being migrated between data centers; retry after Retry-After.",
      });
      return;
    case 503:
      sendHubSpotFailure(res, {
        status: 503,
        category: "SERVICE_UNAVAILABLE",
        message: "Service Unavailable",
      });
      return;
    default:
      sendHubSpotFailure(res, {
        status,
        category: status >= 500 ? "INTERNAL_ERROR" : "ERROR",
        message: status >= 500 ? "internal error" : "request failed",
      });
  }
}
