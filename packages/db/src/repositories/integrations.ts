import type { Db } from "../client";
import type { Integration, Prisma, Revision } from "../generated/client";
import { isUuid } from "./projects";

export type IntegrationWithRevision = Integration & { latestRevision: Revision | null };

async function withLatestRevision(
  db: Db,
  integrations: Integration[],
): Promise<IntegrationWithRevision[]> {
  const ids = integrations.map((i) => i.latestRevisionId).filter((id): id is string => !!id);
  const revisions = ids.length ? await db.revision.findMany({ where: { id: { in: ids } } }) : [];
  const byId = new Map(revisions.map((r) => [r.id, r]));
  return integrations.map((integration) => ({
    ...integration,
    latestRevision: integration.latestRevisionId
      ? (byId.get(integration.latestRevisionId) ?? null)
      : null,
  }));
}

export async function listIntegrations(
  db: Db,
  projectId: string,
): Promise<IntegrationWithRevision[]> {
  const rows = await db.integration.findMany({ where: { projectId }, orderBy: { name: "asc" } });
  return withLatestRevision(db, rows);
}

export async function findIntegration(
  db: Db,
  projectId: string,
  idOrName: string,
): Promise<IntegrationWithRevision | null> {
  const row = isUuid(idOrName)
    ? ((await db.integration.findFirst({ where: { projectId, id: idOrName } })) ??
      (await db.integration.findFirst({ where: { projectId, name: idOrName } })))
    : await db.integration.findFirst({ where: { projectId, name: idOrName } });
  if (!row) return null;
  const [withRevision] = await withLatestRevision(db, [row]);
  return withRevision ?? null;
}

export async function findRevision(
  db: Db,
  projectId: string,
  revisionId: string,
): Promise<Revision | null> {
  if (!isUuid(revisionId)) return null;
  return db.revision.findFirst({ where: { id: revisionId, projectId } });
}

export interface DeployedIntegration {
  name: string;
  provider: string;
  content: Prisma.InputJsonValue;
}

/**
 * Creates or updates each integration of a manifest, each with a new revision, in one
 * transaction: a deploy lands whole or not at all.
 */
export async function deployIntegrations(
  db: Db,
  projectId: string,
  specVersion: string,
  integrations: DeployedIntegration[],
): Promise<IntegrationWithRevision[]> {
  const names = await db.$transaction(async (tx) => {
    for (const item of integrations) {
      const integration = await tx.integration.upsert({
        where: { projectId_name: { projectId, name: item.name } },
        create: { projectId, name: item.name, provider: item.provider },
        update: { provider: item.provider },
      });
      const revision = await tx.revision.create({
        data: { projectId, integrationId: integration.id, specVersion, content: item.content },
      });
      await tx.integration.update({
        where: { id: integration.id },
        data: { latestRevisionId: revision.id },
      });
    }
    return integrations.map((i) => i.name);
  });
  const rows = await db.integration.findMany({
    where: { projectId, name: { in: names } },
    orderBy: { name: "asc" },
  });
  return withLatestRevision(db, rows);
}

export async function deleteIntegration(
  db: Db,
  projectId: string,
  integrationId: string,
): Promise<boolean> {
  const result = await db.integration.deleteMany({ where: { id: integrationId, projectId } });
  return result.count > 0;
}
