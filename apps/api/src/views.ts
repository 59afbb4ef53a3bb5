import type {
  ApiKey,
  ConnectionSummary,
  Installation,
  IntegrationWithRevision,
  Project,
  Revision,
} from "@writ/db";

/** The API's public shapes (Ampersand-compatible where Ampersand has one). Never credentials. */

export function projectView(project: Project) {
  return {
    id: project.id,
    name: project.name,
    appName: project.appName,
    webhookUrl: project.webhookUrl ?? undefined,
    createTime: project.createdAt.toISOString(),
    updateTime: project.updatedAt.toISOString(),
  };
}

export function apiKeyView(key: ApiKey) {
  return {
    id: key.id,
    projectId: key.projectId,
    label: key.label,
    keyPrefix: key.keyPrefix,
    active: key.revokedAt === null,
    scopes: ["project"],
    createTime: key.createdAt.toISOString(),
    revokeTime: key.revokedAt?.toISOString(),
  };
}

export function revisionView(revision: Revision) {
  return {
    id: revision.id,
    specVersion: revision.specVersion,
    createTime: revision.createdAt.toISOString(),
    content: revision.content,
  };
}

export function integrationView(integration: IntegrationWithRevision) {
  return {
    id: integration.id,
    projectId: integration.projectId,
    name: integration.name,
    provider: integration.provider,
    createTime: integration.createdAt.toISOString(),
    updateTime: integration.updatedAt.toISOString(),
    latestRevision: integration.latestRevision
      ? revisionView(integration.latestRevision)
      : undefined,
  };
}

export function connectionView(connection: ConnectionSummary) {
  const createTime = connection.createdAt.toISOString();
  return {
    id: connection.id,
    projectId: connection.projectId,
    provider: connection.provider,
    group: {
      groupRef: connection.groupRef,
      groupName: connection.groupName,
      projectId: connection.projectId,
      createTime,
    },
    consumer: {
      consumerRef: connection.consumerRef,
      consumerName: connection.consumerName,
      projectId: connection.projectId,
      createTime,
    },
    providerWorkspaceRef: connection.providerWorkspaceRef ?? undefined,
    instanceUrl: connection.instanceUrl ?? undefined,
    rateLimit: connection.rateLimit ?? undefined,
    authScheme: connection.authScheme,
    status: connection.status,
    createTime,
    updateTime: connection.updatedAt.toISOString(),
  };
}

export function installationView(installation: Installation, connection: ConnectionSummary | null) {
  return {
    id: installation.id,
    projectId: installation.projectId,
    integrationId: installation.integrationId,
    group: {
      groupRef: installation.groupRef,
      groupName: connection?.groupName ?? installation.groupRef,
      projectId: installation.projectId,
      createTime: installation.createdAt.toISOString(),
    },
    healthStatus: connection?.status === "bad_credentials" ? "unhealthy" : "healthy",
    connection: connection ? connectionView(connection) : undefined,
    createTime: installation.createdAt.toISOString(),
    createdBy: installation.createdBy,
    updateTime: installation.updatedAt.toISOString(),
    config: {
      id: installation.configId,
      revisionId: installation.revisionId,
      createTime: installation.updatedAt.toISOString(),
      createdBy: installation.createdBy,
      content: installation.content,
    },
  };
}
