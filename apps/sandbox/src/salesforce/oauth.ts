import { createHmac } from "node:crypto";
import type { Request, Response } from "express";
import type { SandboxStore } from "../accounts";
import { trackRequest } from "../requestTracking";
import { salesforceRecordId } from "./recordIds";

function oauthError(res: Response, error: string, description: string): void {
  res.status(400).json({ error, error_description: description });
}

function formField(req: Request, name: string): string | undefined {
  const body: unknown = req.body;
  if (typeof body !== "object" || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * POST /services/oauth2/token (form-encoded refresh_token grant). Like Salesforce without
 * refresh-token rotation: same refresh token, new session id, no `expires_in`.
 */
export function salesforceTokenHandler(store: SandboxStore) {
  return (req: Request, res: Response): void => {
    const now = Date.now();
    if (formField(req, "grant_type") !== "refresh_token") {
      oauthError(res, "unsupported_grant_type", "grant type not supported");
      return;
    }
    const clientId = formField(req, "client_id");
    const clientSecret = formField(req, "client_secret");
    const outcome = store.refreshAccessToken(
      "salesforce",
      {
        refreshToken: formField(req, "refresh_token") ?? "",
        ...(clientId === undefined ? {} : { clientId }),
        ...(clientSecret === undefined ? {} : { clientSecret }),
      },
      now,
    );
    switch (outcome.kind) {
      case "unknownRefreshToken":
        oauthError(res, "invalid_grant", "expired access/refresh token");
        return;
      case "wrongClientId":
        oauthError(res, "invalid_client_id", "client identifier invalid");
        return;
      case "wrongClientSecret":
        oauthError(res, "invalid_client", "invalid client credentials");
        return;
      case "ok": {
        const account = outcome.account;
        trackRequest(req, res, account, now);
        const identity = `https://login.salesforce.com/id/${account.id}/${salesforceRecordId("005", 1)}`;
        const issuedAt = String(now);
        res.status(200).json({
          access_token: account.accessToken,
          signature: createHmac("sha256", account.clientSecret ?? account.refreshToken)
            .update(identity + issuedAt)
            .digest("base64"),
          scope: "api refresh_token",
          instance_url: `${req.protocol}://${req.get("host")}${req.baseUrl}`,
          id: identity,
          token_type: "Bearer",
          issued_at: issuedAt,
        });
      }
    }
  };
}
