import { z } from "zod";

/**
 * The plaintext of a connection's credentials, as encrypted into Connection.credentialsEncrypted.
 * It only ever exists in memory, in the API while storing it and in a worker while calling the
 * provider.
 */
export const storedCredentialsSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("apiKey"), apiKey: z.string() }),
  z.object({
    kind: z.literal("oauth2"),
    accessToken: z.string(),
    accessTokenExpiresAt: z.string().optional(),
    refreshToken: z.string().optional(),
    refreshTokenExpiresAt: z.string().optional(),
    scopes: z.array(z.string()).optional(),
    clientId: z.string().optional(),
    clientSecret: z.string().optional(),
  }),
]);

export type StoredCredentials = z.infer<typeof storedCredentialsSchema>;

export const authSchemes = { apiKey: "apiKey", oauth2: "oauth2/authorizationCode" } as const;
