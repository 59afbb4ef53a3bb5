import { TtlCache } from "@writ/cache";
import {
  type ProviderName,
  type RateLimitOverride,
  type ReadConfigObject,
  type StoredCredentials,
  storedCredentialsSchema,
  type WriteConfigObject,
} from "@writ/contracts";
import { type Db, findConnectionWithCredentials, findIntegration, findProject } from "@writ/db";
import { decryptJson, type EncryptionKey } from "@writ/secrets";

/** The installation side of a write: config content and names for notifications. */
export interface InstallationContext {
  installationId: string;
  configId: string;
  integrationName: string;
  writeObjects: Record<string, WriteConfigObject>;
  readObjects: Record<string, ReadConfigObject>;
  webhook: { url: string; secretEncrypted: Uint8Array } | null;
}

/** The connection side: where and as whom to call the provider. Lives only in memory. */
export interface ConnectionContextData {
  connectionId: string;
  provider: ProviderName;
  status: string;
  instanceUrl: string | null;
  credentials: StoredCredentials;
  groupName: string;
  consumerRef: string;
  consumerName: string;
  /** Per-connection budget override; null means the provider's default. */
  rateLimit: RateLimitOverride | null;
}

interface InstalledContent {
  write?: { objects?: Record<string, WriteConfigObject> };
  read?: { objects?: Record<string, ReadConfigObject> };
}

/**
 * Loads what a write job needs from PostgreSQL, cached per installation and per connection.
 * Changes made through the API reach here through the invalidation bus (see runtime.ts).
 */
export class WriteContextLoader {
  private readonly installations: TtlCache<string, InstallationContext | null>;
  private readonly connections: TtlCache<string, ConnectionContextData | null>;

  constructor(
    private readonly db: Db,
    private readonly encryptionKey: EncryptionKey,
    ttlMs: number,
  ) {
    this.installations = new TtlCache(ttlMs);
    this.connections = new TtlCache(ttlMs);
  }

  async installation(
    projectId: string,
    integrationId: string,
    installationId: string,
  ): Promise<InstallationContext | null> {
    const key = `${projectId}\u0000${installationId}`;
    const cached = this.installations.get(key);
    if (cached !== undefined) return cached;
    const row = await this.db.installation.findFirst({ where: { id: installationId, projectId } });
    let context: InstallationContext | null = null;
    if (row) {
      const [integration, project] = await Promise.all([
        findIntegration(this.db, projectId, integrationId),
        findProject(this.db, projectId),
      ]);
      const content = row.content as InstalledContent;
      context = {
        installationId: row.id,
        configId: row.configId,
        integrationName: integration?.name ?? integrationId,
        writeObjects: content.write?.objects ?? {},
        readObjects: content.read?.objects ?? {},
        webhook:
          project?.webhookUrl && project.webhookSecretEncrypted
            ? { url: project.webhookUrl, secretEncrypted: project.webhookSecretEncrypted }
            : null,
      };
    }
    this.installations.set(key, context);
    return context;
  }

  async connection(projectId: string, connectionId: string): Promise<ConnectionContextData | null> {
    const key = `${projectId}\u0000${connectionId}`;
    const cached = this.connections.get(key);
    if (cached !== undefined) return cached;
    const row = await findConnectionWithCredentials(this.db, projectId, connectionId);
    const context: ConnectionContextData | null = row
      ? {
          connectionId: row.id,
          provider: row.provider as ProviderName,
          status: row.status,
          instanceUrl: row.instanceUrl,
          credentials: storedCredentialsSchema.parse(
            decryptJson(this.encryptionKey, row.credentialsEncrypted),
          ),
          groupName: row.groupName,
          consumerRef: row.consumerRef,
          consumerName: row.consumerName,
          rateLimit: (row.rateLimit as RateLimitOverride | null) ?? null,
        }
      : null;
    this.connections.set(key, context);
    return context;
  }

  forgetProject(projectId: string): void {
    const prefix = `${projectId}\u0000`;
    this.installations.deleteWhere((key) => key.startsWith(prefix));
    this.connections.deleteWhere((key) => key.startsWith(prefix));
  }

  forgetConnection(projectId: string, connectionId: string): void {
    this.connections.delete(`${projectId}\u0000${connectionId}`);
  }

  webhookSecret(webhook: { secretEncrypted: Uint8Array }): string {
    return decryptJson<string>(this.encryptionKey, webhook.secretEncrypted);
  }
}
