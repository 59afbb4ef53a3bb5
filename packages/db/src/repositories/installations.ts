import { randomUUID } from "node:crypto";
import type { Db } from "../client";
import type { Installation, Prisma } from "../generated/client";

export async function insertInstallation(
  db: Db,
  input: {
    projectId: string;
    integrationId: string;
    groupRef: string;
    connectionId: string;
    revisionId: string;
    createdBy: string;
    content: Prisma.InputJsonValue;
  },
): Promise<Installation> {
  return db.installation.create({ data: { ...input, configId: randomUUID() } });
}

export async function findInstallation(
  db: Db,
  projectId: string,
  integrationId: string,
  installationId: string,
): Promise<Installation | null> {
  return db.installation.findFirst({ where: { id: installationId, projectId, integrationId } });
}

export async function findInstallationByGroup(
  db: Db,
  projectId: string,
  integrationId: string,
  groupRef: string,
): Promise<Installation | null> {
  return db.installation.findFirst({ where: { projectId, integrationId, groupRef } });
}

export async function listInstallations(
  db: Db,
  projectId: string,
  filter: { integrationId?: string | undefined; groupRef?: string | undefined },
): Promise<Installation[]> {
  return db.installation.findMany({
    where: { projectId, integrationId: filter.integrationId, groupRef: filter.groupRef },
    orderBy: { createdAt: "asc" },
  });
}

/** Replaces the installation's mutable fields; every change gets a new configId. */
export async function replaceInstallation(
  db: Db,
  installation: Installation,
  data: {
    connectionId: string;
    revisionId: string;
    createdBy: string;
    content: Prisma.InputJsonValue;
  },
): Promise<Installation> {
  return db.installation.update({
    where: { id: installation.id },
    data: { ...data, configId: randomUUID() },
  });
}

export async function deleteInstallation(
  db: Db,
  projectId: string,
  integrationId: string,
  installationId: string,
): Promise<boolean> {
  const result = await db.installation.deleteMany({
    where: { id: installationId, projectId, integrationId },
  });
  return result.count > 0;
}
