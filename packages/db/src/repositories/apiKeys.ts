import type { Db } from "../client";
import type { ApiKey } from "../generated/client";

export interface ApiKeyIdentity {
  keyId: string;
  projectId: string;
  projectName: string;
}

export async function insertApiKey(
  db: Db,
  input: { projectId: string; label: string; keyHash: string; keyPrefix: string },
): Promise<ApiKey> {
  return db.apiKey.create({ data: input });
}

export async function listApiKeys(db: Db, projectId: string): Promise<ApiKey[]> {
  return db.apiKey.findMany({ where: { projectId }, orderBy: { createdAt: "asc" } });
}

/** The active key with this hash and its project, or null when unknown or revoked. */
export async function findActiveApiKey(db: Db, keyHash: string): Promise<ApiKeyIdentity | null> {
  const row = await db.apiKey.findUnique({
    where: { keyHash },
    select: { id: true, projectId: true, revokedAt: true, project: { select: { name: true } } },
  });
  if (!row || row.revokedAt) return null;
  return { keyId: row.id, projectId: row.projectId, projectName: row.project.name };
}

/** Revokes a key of this project; returns the revoked key's hash, or null if no such key. */
export async function revokeApiKey(
  db: Db,
  projectId: string,
  keyId: string,
): Promise<string | null> {
  const key = await db.apiKey.findFirst({ where: { id: keyId, projectId } });
  if (!key) return null;
  await db.apiKey.update({
    where: { id: key.id },
    data: { revokedAt: key.revokedAt ?? new Date() },
  });
  return key.keyHash;
}
