import { authSchemes, type GenerateConnection, type StoredCredentials } from "@writ/contracts";

type CredentialInput = Pick<GenerateConnection, "apiKey" | "oauth2AuthorizationCode">;

/** The credential block of a request, as the plaintext that gets encrypted at rest. */
export function credentialsFromRequest(input: CredentialInput): StoredCredentials | null {
  if (input.apiKey !== undefined) return { kind: "apiKey", apiKey: input.apiKey };
  const oauth = input.oauth2AuthorizationCode;
  if (!oauth) return null;
  return {
    kind: "oauth2",
    accessToken: oauth.accessToken.token,
    accessTokenExpiresAt: oauth.accessToken.expiresAt,
    refreshToken: oauth.refreshToken?.token,
    refreshTokenExpiresAt: oauth.refreshToken?.expiresAt,
    scopes: oauth.scopes,
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
  };
}

export function authSchemeOf(credentials: StoredCredentials): string {
  return credentials.kind === "apiKey" ? authSchemes.apiKey : authSchemes.oauth2;
}
