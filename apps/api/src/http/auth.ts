import { timingSafeEqual } from "node:crypto";
import { findActiveApiKey, findProject } from "@writ/db";
import { hashApiKey } from "@writ/secrets";
import type { Request } from "express";
import type { AppDeps } from "../deps";
import { HttpProblem, notFound } from "./problem";

export type AuthRequirement = "none" | "admin" | "apiKey" | "adminOrApiKey";

export type AuthContext =
  | { kind: "none" }
  | { kind: "admin" }
  | { kind: "apiKey"; keyId: string; projectId: string; projectName: string };

function bearerToken(req: Request): string | undefined {
  const header = req.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export async function authenticate(
  req: Request,
  requirement: AuthRequirement,
  deps: AppDeps,
): Promise<AuthContext> {
  if (requirement === "none") return { kind: "none" };
  const apiKey =
    req.get("x-api-key") ?? (typeof req.query.apiKey === "string" ? req.query.apiKey : undefined);
  const bearer = bearerToken(req);
  if (bearer !== undefined && requirement !== "apiKey") {
    if (deps.config.adminToken && sameSecret(bearer, deps.config.adminToken))
      return { kind: "admin" };
    throw new HttpProblem("unauthenticated", "the bearer token is not the admin token");
  }
  if (apiKey !== undefined && requirement !== "admin") {
    const identity = await resolveApiKey(apiKey, deps);
    if (!identity) throw new HttpProblem("unauthenticated", "the API key is unknown or revoked");
    return { kind: "apiKey", ...identity };
  }
  const wanted =
    requirement === "admin"
      ? "the admin token (Authorization: Bearer ...)"
      : requirement === "apiKey"
        ? "an API key (X-Api-Key header)"
        : "an API key (X-Api-Key header) or the admin token (Authorization: Bearer ...)";
  throw new HttpProblem("unauthenticated", `this endpoint needs ${wanted}`);
}

async function resolveApiKey(key: string, deps: AppDeps) {
  const hash = hashApiKey(key);
  const cached = deps.caches.apiKeys.get(hash);
  if (cached !== undefined) return cached;
  const identity = await findActiveApiKey(deps.db, hash);
  deps.caches.apiKeys.set(hash, identity);
  return identity;
}

/**
 * The project a request may act on. An API key only ever sees its own project: any other id
 * or name answers 404, exactly as if it did not exist.
 */
export async function resolveProjectId(
  auth: AuthContext,
  idOrName: string,
  deps: AppDeps,
): Promise<string> {
  if (auth.kind === "apiKey") {
    if (idOrName === auth.projectId || idOrName.toLowerCase() === auth.projectName)
      return auth.projectId;
    throw notFound(`project ${idOrName}`);
  }
  if (auth.kind === "admin") {
    const project = await findProject(deps.db, idOrName);
    if (project) return project.id;
  }
  throw notFound(`project ${idOrName}`);
}
