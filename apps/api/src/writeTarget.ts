import {
  isProviderName,
  type ProviderName,
  type ReadConfigObject,
  type WriteConfigObject,
} from "@writ/contracts";
import { findInstallationByGroup, findIntegration, findRevision } from "@writ/db";
import type { AppDeps } from "./deps";

/** Everything a write request needs from the database, cached per project+integration+group. */
export interface WriteTarget {
  projectId: string;
  integrationId: string;
  integrationName: string;
  provider: ProviderName;
  installationId: string;
  configId: string;
  connectionId: string;
  groupRef: string;
  /** Write objects the installed revision declares. */
  declaredWriteObjects: string[];
  writeObjects: Record<string, WriteConfigObject>;
  readObjects: Record<string, ReadConfigObject>;
}

export type WriteTargetLookup =
  | { kind: "found"; target: WriteTarget }
  | { kind: "noIntegration" }
  | { kind: "noInstallation"; integrationName: string };

interface InstalledContent {
  write?: { objects?: Record<string, WriteConfigObject> };
  read?: { objects?: Record<string, ReadConfigObject> };
}

export function writeTargetCacheKey(
  projectId: string,
  integrationIdOrName: string,
  groupRef: string,
): string {
  return `${projectId}\u0000${integrationIdOrName}\u0000${groupRef}`;
}

export async function lookupWriteTarget(
  deps: AppDeps,
  projectId: string,
  integrationIdOrName: string,
  groupRef: string,
): Promise<WriteTargetLookup> {
  const cacheKey = writeTargetCacheKey(projectId, integrationIdOrName, groupRef);
  const cached = deps.caches.writeTargets.get(cacheKey);
  if (cached !== undefined) return cached;
  // Misses are cached too: a client hammering an uninstalled group costs one query per TTL.
  const lookup = await loadWriteTarget(deps, projectId, integrationIdOrName, groupRef);
  deps.caches.writeTargets.set(cacheKey, lookup);
  return lookup;
}

async function loadWriteTarget(
  deps: AppDeps,
  projectId: string,
  integrationIdOrName: string,
  groupRef: string,
): Promise<WriteTargetLookup> {
  const integration = await findIntegration(deps.db, projectId, integrationIdOrName);
  if (!integration || !isProviderName(integration.provider)) return { kind: "noIntegration" };
  const installation = await findInstallationByGroup(deps.db, projectId, integration.id, groupRef);
  if (!installation) return { kind: "noInstallation", integrationName: integration.name };
  const revision = await findRevision(deps.db, projectId, installation.revisionId);
  const declared = (
    revision?.content as { write?: { objects?: Array<{ objectName: string }> } } | undefined
  )?.write?.objects;
  const content = installation.content as InstalledContent;
  return {
    kind: "found",
    target: {
      projectId,
      integrationId: integration.id,
      integrationName: integration.name,
      provider: integration.provider,
      installationId: installation.id,
      configId: installation.configId,
      connectionId: installation.connectionId,
      groupRef,
      declaredWriteObjects: (declared ?? []).map((object) => object.objectName),
      writeObjects: content.write?.objects ?? {},
      readObjects: content.read?.objects ?? {},
    },
  };
}
