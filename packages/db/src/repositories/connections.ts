import type { Db } from "../client";
import { type Connection, Prisma } from "../generated/client";

/** The connection row minus its encrypted credentials: what may leave this package freely. */
export type ConnectionSummary = Omit<Connection, "credentialsEncrypted">;

const summarySelect = {
  id: true,
  projectId: true,
  provider: true,
  groupRef: true,
  groupName: true,
  consumerRef: true,
  consumerName: true,
  providerWorkspaceRef: true,
  authScheme: true,
  status: true,
  instanceUrl: true,
  rateLimit: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.ConnectionSelect;

export interface NewConnection {
  projectId: string;
  provider: string;
  groupRef: string;
  groupName: string;
  consumerRef: string;
  consumerName: string;
  providerWorkspaceRef?: string | undefined;
  authScheme: string;
  credentialsEncrypted: Uint8Array;
  instanceUrl?: string | undefined;
  rateLimit?: Prisma.InputJsonValue | undefined;
}

export async function insertConnection(db: Db, input: NewConnection): Promise<ConnectionSummary> {
  return db.connection.create({
    data: { ...input, credentialsEncrypted: Buffer.from(input.credentialsEncrypted) },
    select: summarySelect,
  });
}

export async function listConnections(
  db: Db,
  projectId: string,
  filter: { groupRef?: string | undefined; provider?: string | undefined },
): Promise<ConnectionSummary[]> {
  return db.connection.findMany({
    where: { projectId, groupRef: filter.groupRef, provider: filter.provider },
    orderBy: { createdAt: "asc" },
    select: summarySelect,
  });
}

export async function findConnection(
  db: Db,
  projectId: string,
  connectionId: string,
): Promise<ConnectionSummary | null> {
  return db.connection.findFirst({
    where: { id: connectionId, projectId },
    select: summarySelect,
  });
}

/** The connection with its encrypted credentials, for the worker that calls the provider. */
export async function findConnectionWithCredentials(
  db: Db,
  projectId: string,
  connectionId: string,
): Promise<Connection | null> {
  return db.connection.findFirst({ where: { id: connectionId, projectId } });
}

export async function updateConnection(
  db: Db,
  projectId: string,
  connectionId: string,
  data: {
    credentialsEncrypted?: Uint8Array;
    authScheme?: string;
    providerWorkspaceRef?: string | null;
    instanceUrl?: string | null;
    rateLimit?: Prisma.InputJsonValue | null;
    status?: string;
  },
): Promise<ConnectionSummary | null> {
  const result = await db.connection.updateMany({
    where: { id: connectionId, projectId },
    data: {
      ...data,
      rateLimit: data.rateLimit === null ? Prisma.DbNull : data.rateLimit,
      credentialsEncrypted: data.credentialsEncrypted
        ? Buffer.from(data.credentialsEncrypted)
        : undefined,
    },
  });
  if (result.count === 0) return null;
  return findConnection(db, projectId, connectionId);
}

export type DeleteConnectionResult = "deleted" | "not_found" | "in_use";

export async function deleteConnection(
  db: Db,
  projectId: string,
  connectionId: string,
): Promise<DeleteConnectionResult> {
  const inUse = await db.installation.count({ where: { projectId, connectionId } });
  if (inUse > 0) return "in_use";
  const result = await db.connection.deleteMany({ where: { id: connectionId, projectId } });
  return result.count > 0 ? "deleted" : "not_found";
}
