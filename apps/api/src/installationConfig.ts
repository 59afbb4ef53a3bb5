import { type ConfigContent, configContentSchema } from "@writ/contracts";
import { formatIssuePath, type ValidationIssue } from "./http/problem";

/** The parts of a revision's content (a manifest integration) that installation checks need. */
interface RevisionContent {
  provider?: string;
  read?: { objects?: Array<{ objectName: string }> };
  write?: { objects?: Array<{ objectName: string }> };
  subscribe?: { objects?: Array<{ objectName: string }> };
}

function objectNames(list: Array<{ objectName: string }> | undefined): string[] {
  return (list ?? []).map((object) => object.objectName);
}

/**
 * Checks an installation's config content against the integration's revision: the provider
 * matches, and every configured object is one the manifest declares for that action.
 */
export function checkConfigAgainstRevision(
  content: ConfigContent,
  revision: RevisionContent,
  integrationProvider: string,
  prefix = "config.content",
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (content.provider !== integrationProvider) {
    issues.push({
      in: "body",
      name: `${prefix}.provider`,
      detail: `the integration's provider is ${integrationProvider}, not ${content.provider}`,
    });
  }
  const actions = ["read", "write", "subscribe"] as const;
  for (const action of actions) {
    const configured = content[action]?.objects ?? {};
    const declared = objectNames(revision[action]?.objects);
    for (const [key, object] of Object.entries(configured)) {
      const where = `${prefix}.${action}.objects.${key}`;
      if (object.objectName !== key) {
        issues.push({
          in: "body",
          name: `${where}.objectName`,
          detail: `objectName ${object.objectName} does not match its key ${key}`,
        });
      }
      if (!declared.includes(object.objectName)) {
        issues.push({
          in: "body",
          name: where,
          detail:
            declared.length > 0
              ? `${object.objectName} is not a ${action} object of this revision (${action} objects: ${declared.join(", ")})`
              : `this revision declares no ${action} objects`,
        });
      }
    }
  }
  return issues;
}

export function parseConfigContent(
  value: unknown,
  prefix = "config.content",
): { content: ConfigContent } | { issues: ValidationIssue[] } {
  const parsed = configContentSchema.safeParse(value);
  if (parsed.success) return { content: parsed.data };
  return {
    issues: parsed.error.issues.map((issue) => ({
      in: "body" as const,
      name: [prefix, formatIssuePath(issue.path)].filter(Boolean).join("."),
      detail: issue.message,
    })),
  };
}

type Json = Record<string, unknown>;

function getPath(source: Json, path: string[]): { found: boolean; value: unknown } {
  let current: unknown = source;
  for (const part of path) {
    if (typeof current !== "object" || current === null || !(part in current)) {
      return { found: false, value: undefined };
    }
    current = (current as Json)[part];
  }
  return { found: true, value: current };
}

function setPath(target: Json, path: string[], value: unknown): void {
  let current = target;
  for (const part of path.slice(0, -1)) {
    const next = current[part];
    if (typeof next !== "object" || next === null) current[part] = {};
    current = current[part] as Json;
  }
  const last = path[path.length - 1];
  if (last !== undefined) current[last] = value;
}

/**
 * Applies Ampersand's updateMask: each listed path is copied from `patch` onto `current`.
 * Paths with no value in `patch` are reported, and nothing is applied.
 */
export function applyUpdateMask(
  current: Json,
  patch: Json,
  mask: string[],
): { result: Json } | { issues: ValidationIssue[] } {
  const result = structuredClone(current);
  const issues: ValidationIssue[] = [];
  for (const maskPath of mask) {
    const path = maskPath.split(".");
    const { found, value } = getPath(patch, path);
    if (!found) {
      issues.push({
        in: "body",
        name: `installation.${maskPath}`,
        detail: `updateMask names ${maskPath} but installation has no value there`,
      });
      continue;
    }
    setPath(result, path, structuredClone(value));
  }
  return issues.length > 0 ? { issues } : { result };
}
