import pRetry from "p-retry";
import type { OAuthClientCredentials, RefreshedToken, RefreshOptions } from "./connector";
import { ProviderError } from "./errors";
import { isSuccess, sendHttp } from "./providerHttp";

type ClassifyError = (status: number, body: unknown, headers: Headers) => ProviderError;

/**
 * The OAuth 2.0 refresh-token grant (RFC 6749 §6), shared by both providers: a form POST of
 * `grant_type=refresh_token` with the client credentials. Transient failures (5xx, network) are
 * retried here with jittered backoff; everything else (`invalid_grant`, `BAD_REFRESH_TOKEN`, a
 * rate limit) is thrown at once for the worker to act on.
 */
export async function refreshWithRefreshToken(
  tokenUrl: string,
  credentials: OAuthClientCredentials,
  classify: ClassifyError,
  options: RefreshOptions = {},
): Promise<RefreshedToken> {
  const body = new URLSearchParams({
    grant_type: "refresh_token",
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    refresh_token: credentials.refreshToken,
  }).toString();

  const attempt = async (): Promise<RefreshedToken> => {
    const response = await sendHttp({
      url: tokenUrl,
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body,
      ...(options.fetch && { fetch: options.fetch }),
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    });
    if (!isSuccess(response.status)) {
      throw classify(response.status, response.body, response.headers);
    }
    return readTokenResponse(response.body);
  };

  return pRetry(attempt, {
    retries: options.retries ?? 2,
    minTimeout: 250,
    factor: 2,
    randomize: true,
    shouldRetry: ({ error }) => error instanceof ProviderError && error.disposition === "retry",
  });
}

function readTokenResponse(body: unknown): RefreshedToken {
  const token = (body !== null && typeof body === "object" ? body : {}) as {
    access_token?: unknown;
    refresh_token?: unknown;
    expires_in?: unknown;
    instance_url?: unknown;
  };
  if (typeof token.access_token !== "string" || token.access_token === "") {
    throw new ProviderError({
      disposition: "retry",
      code: "MALFORMED_TOKEN_RESPONSE",
      providerMessage: "The token endpoint answered without an access_token",
    });
  }
  const expiresIn = Number(token.expires_in);
  return {
    accessToken: token.access_token,
    ...(typeof token.refresh_token === "string" &&
      token.refresh_token !== "" && { refreshToken: token.refresh_token }),
    ...(token.expires_in !== undefined &&
      Number.isFinite(expiresIn) && { expiresAt: new Date(Date.now() + expiresIn * 1000) }),
    ...(typeof token.instance_url === "string" &&
      token.instance_url !== "" && { instanceUrl: token.instance_url }),
  };
}
