import type { Db } from "../client";
import type { Project } from "../generated/client";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/** Project names are stored lowercase, so lookups by name are case-insensitive. */
export function normaliseProjectName(name: string): string {
  return name.toLowerCase();
}

export async function findProject(db: Db, idOrName: string): Promise<Project | null> {
  if (isUuid(idOrName)) {
    const byId = await db.project.findUnique({ where: { id: idOrName } });
    if (byId) return byId;
  }
  return db.project.findUnique({ where: { name: normaliseProjectName(idOrName) } });
}

export async function createProject(
  db: Db,
  input: { name: string; appName?: string | undefined },
): Promise<Project> {
  const name = normaliseProjectName(input.name);
  return db.project.create({ data: { name, appName: input.appName ?? name } });
}

export async function listProjects(db: Db): Promise<Project[]> {
  return db.project.findMany({ orderBy: { createdAt: "asc" } });
}

export async function updateProject(
  db: Db,
  projectId: string,
  data: {
    appName?: string;
    webhookUrl?: string | null;
    webhookSecretEncrypted?: Uint8Array | null;
  },
): Promise<Project> {
  return db.project.update({
    where: { id: projectId },
    data: {
      ...data,
      webhookSecretEncrypted:
        data.webhookSecretEncrypted === undefined || data.webhookSecretEncrypted === null
          ? data.webhookSecretEncrypted
          : Buffer.from(data.webhookSecretEncrypted),
    },
  });
}
