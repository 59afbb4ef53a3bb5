import { connectorFor, ProviderError } from "@writ/connectors";
import type { ProviderName, StoredCredentials } from "@writ/contracts";
import { type Db, updateConnection } from "@writ/db";
import { type InvalidationBus, type Redis, withRedisLock } from "@writ/queue";
import { type EncryptionKey, encryptJson } from "@writ/secrets";
import type { ProviderEndpoints } from "./providerEndpoints";
import type { ConnectionContextData, WriteContextLoader } from "./writeContext";

/**
 * Refreshes OAuth access tokens. Many jobs of one connection can hit an expired token at once;
 * a Redis lock per connection lets one worker refresh while the others wait and then reuse the
 * token it stored.
 */
export class CredentialRefresher {
  constructor(
    private readonly deps: {
      db: Db;
      redis: Redis;
      prefix: string;
      encryptionKey: EncryptionKey;
      contexts: WriteContextLoader;
      endpoints: ProviderEndpoints;
      invalidation: Pick<InvalidationBus, "publish">;
    },
  ) {}

  async refresh(projectId: string, stale: ConnectionContextData): Promise<ConnectionContextData> {
    const lockName = `${this.deps.prefix}:lock:refresh:${stale.connectionId}`;
    return withRedisLock(this.deps.redis, lockName, async () => {
      this.deps.contexts.forgetConnection(projectId, stale.connectionId);
      const current = await this.deps.contexts.connection(projectId, stale.connectionId);
      if (!current)
        throw new ProviderError({
          disposition: "permanent",
          providerMessage: "the connection was deleted",
        });
      if (tokenOf(current.credentials) !== tokenOf(stale.credentials)) return current;
      const credentials = current.credentials;
      if (
        credentials.kind !== "oauth2" ||
        !credentials.refreshToken ||
        !credentials.clientId ||
        !credentials.clientSecret
      ) {
        await this.markBadCredentials(projectId, stale.connectionId);
        throw new ProviderError({
          disposition: "bad_credentials",
          providerMessage:
            "the access token expired and the connection has no refresh token and client credentials to renew it",
        });
      }
      let token: Awaited<ReturnType<ReturnType<typeof connectorFor>["refreshAccessToken"]>>;
      try {
        token = await connectorFor(current.provider as ProviderName).refreshAccessToken(
          this.deps.endpoints.tokenUrl(current.provider),
          {
            refreshToken: credentials.refreshToken,
            clientId: credentials.clientId,
            clientSecret: credentials.clientSecret,
          },
        );
      } catch (error) {
        if (error instanceof ProviderError && error.disposition === "bad_credentials") {
          await this.markBadCredentials(projectId, stale.connectionId);
        }
        throw error;
      }
      const renewed: StoredCredentials = {
        ...credentials,
        accessToken: token.accessToken,
        refreshToken: token.refreshToken ?? credentials.refreshToken,
        accessTokenExpiresAt: token.expiresAt?.toISOString(),
      };
      await updateConnection(this.deps.db, projectId, stale.connectionId, {
        credentialsEncrypted: encryptJson(this.deps.encryptionKey, renewed),
        ...(token.instanceUrl && current.provider === "salesforce"
          ? { instanceUrl: token.instanceUrl }
          : {}),
        status: "working",
      });
      await this.deps.invalidation.publish({
        kind: "connection",
        projectId,
        connectionId: stale.connectionId,
      });
      const fresh = await this.deps.contexts.connection(projectId, stale.connectionId);
      if (!fresh)
        throw new ProviderError({
          disposition: "permanent",
          providerMessage: "the connection was deleted",
        });
      return fresh;
    });
  }

  /** The connection as stored now, if its token differs from the one `stale` holds. */
  async reloadIfRotated(
    projectId: string,
    stale: ConnectionContextData,
  ): Promise<ConnectionContextData | null> {
    this.deps.contexts.forgetConnection(projectId, stale.connectionId);
    const current = await this.deps.contexts.connection(projectId, stale.connectionId);
    if (!current || tokenOf(current.credentials) === tokenOf(stale.credentials)) return null;
    return current;
  }

  async markBadCredentials(projectId: string, connectionId: string): Promise<void> {
    await updateConnection(this.deps.db, projectId, connectionId, { status: "bad_credentials" });
    await this.deps.invalidation.publish({ kind: "connection", projectId, connectionId });
  }
}

function tokenOf(credentials: StoredCredentials): string {
  return credentials.kind === "apiKey" ? credentials.apiKey : credentials.accessToken;
}
