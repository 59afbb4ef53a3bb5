import {
  deployManifestSchema,
  inputValidationProblemSchema,
  integrationSchema,
} from "@writ/contracts";
import { deployIntegrations, type Prisma } from "@writ/db";
import { formatPath, parseManifest } from "@writ/manifest";
import { z } from "zod";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { HttpProblem, type ValidationIssue } from "../http/problem";
import { integrationView } from "../views";
import { projectParams } from "./params";

export const putIntegrationsBatch = defineEndpoint({
  method: "put",
  path: "/v1/projects/:projectIdOrName/integrations\\:batch",
  auth: "apiKey",
  summary: "Deploy an amp.yaml manifest: create or update each integration with a new revision",
  operationId: "batchUpsertIntegrations",
  tags: ["Integration"],
  params: projectParams,
  body: deployManifestSchema,
  responses: {
    200: {
      description: "The deployed integrations, each with its new revision",
      schema: z.array(integrationSchema),
      headers: {
        "Writ-Manifest-Warnings": {
          description: "How many warnings the manifest has, when it has any",
          schema: z.int().min(1),
        },
      },
    },
    404: problemResponse("No such project"),
    422: problemResponse(
      "The manifest has errors; every error and warning is listed with its line and column",
      inputValidationProblemSchema,
    ),
  },
  async handle({ params, body, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const parsed = parseManifest(body.sourceYaml);
    const toIssue = (problem: (typeof parsed.problems)[number]): ValidationIssue => ({
      in: "body",
      name: `sourceYaml:${problem.line}:${problem.column}`,
      detail: `${formatPath(problem.path) || "(document)"}: ${problem.message}`,
      line: problem.line,
      column: problem.column,
      severity: problem.severity,
    });
    if (!parsed.manifest || parsed.errors.length > 0) {
      throw new HttpProblem(
        "unprocessable",
        `the manifest has ${parsed.errors.length} error(s); nothing was deployed`,
        { issues: parsed.problems.map(toIssue) },
      );
    }
    const deployed = await deployIntegrations(
      deps.db,
      projectId,
      parsed.manifest.specVersion,
      parsed.manifest.integrations.map((integration) => ({
        name: integration.name,
        provider: integration.provider,
        content: integration as unknown as Prisma.InputJsonValue,
      })),
    );
    await deps.invalidation.publish({ kind: "project", projectId });
    const headers: Record<string, string> = {};
    if (parsed.warnings.length > 0) {
      headers["Writ-Manifest-Warnings"] = String(parsed.warnings.length);
    }
    return { status: 200, body: deployed.map(integrationView), headers };
  },
});
