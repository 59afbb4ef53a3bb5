import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import type { SandboxStore } from "../accounts";
import { pathParam } from "../pathParam";
import { trackRequest } from "../requestTracking";

function oauthError(res: Response, status: string, message: string): void {
  res.status(400).json({ status, message, correlationId: randomUUID() });
}

function formField(req: Request, name: string): string | undefined {
  const body: unknown = req.body;
  if (typeof body !== "object" || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** POST /oauth/v1/token (form-encoded). Refresh tokens do not rotate, as on HubSpot. */
export function hubSpotTokenHandler(store: SandboxStore) {
  return (req: Request, res: Response): void => {
    const now = Date.now();
    const grantType = formField(req, "grant_type");
    if (grantType !== "refresh_token") {
      oauthError(res, "BAD_GRANT_TYPE", "grant_type must be refresh_token");
      return;
    }
    const refreshToken = formField(req, "refresh_token");
    const clientId = formField(req, "client_id");
    const clientSecret = formField(req, "client_secret");
    const outcome = store.refreshAccessToken(
      "hubspot",
      {
        refreshToken: refreshToken ?? "",
        ...(clientId === undefined ? {} : { clientId }),
        ...(clientSecret === undefined ? {} : { clientSecret }),
      },
      now,
    );
    switch (outcome.kind) {
      case "unknownRefreshToken":
        oauthError(res, "BAD_REFRESH_TOKEN", "missing or invalid refresh token");
        return;
      case "wrongClientId":
        oauthError(res, "BAD_CLIENT_ID", "missing or invalid client id");
        return;
      case "wrongClientSecret":
        oauthError(res, "BAD_CLIENT_SECRET", "missing or invalid client secret");
        return;
      case "ok": {
        const account = outcome.account;
        trackRequest(req, res, account, now);
        res.status(200).json({
          token_type: "bearer",
          refresh_token: account.refreshToken,
          access_token: account.accessToken,
          // HubSpot always states a lifetime; a never-expiring sandbox token claims the usual 30 min.
          expires_in: account.accessTokenTtlSeconds ?? 1800,
        });
      }
    }
  };
}

/** GET /oauth/v1/access-tokens/:token: metadata of a live access token. */
export function hubSpotAccessTokenInfo(store: SandboxStore) {
  return (req: Request, res: Response): void => {
    const token = pathParam(req, "token");
    const auth = store.authenticate("hubspot", token, Date.now());
    if (auth.kind !== "ok") {
      res.status(404).json({
        status: "error",
        message: "Token not found",
        correlationId: randomUUID(),
        category: "OBJECT_NOT_FOUND",
      });
      return;
    }
    const account = auth.account;
    const expiresAt = account.accessTokenExpiresAt;
    res.status(200).json({
      token,
      user: "sandbox@example.com",
      hub_domain: `sandbox-${account.id}.hubspot.com`,
      scopes: [
        "oauth",
        "crm.objects.contacts.write",
        "crm.objects.companies.write",
        "crm.objects.deals.write",
      ],
      hub_id: Number(account.id),
      app_id: 1,
      expires_in:
        expiresAt === null ? 1800 : Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)),
      user_id: 1,
      token_type: "access",
    });
  };
}
