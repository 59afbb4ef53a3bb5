import {
  inputValidationProblemSchema,
  installationSchema,
  updateInstallationSchema,
} from "@writ/contracts";
import {
  findConnection,
  findInstallation,
  findIntegration,
  isUuid,
  type Prisma,
  replaceInstallation,
} from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { HttpProblem, notFound, validationProblem } from "../http/problem";
import {
  applyUpdateMask,
  checkConfigAgainstRevision,
  parseConfigContent,
} from "../installationConfig";
import { installationView } from "../views";
import { installationParams } from "./params";

export const patchInstallation = defineEndpoint({
  method: "patch",
  path: "/v1/projects/:projectIdOrName/integrations/:integrationId/installations/:installationId",
  auth: "apiKey",
  summary: "Update an installation: only the paths listed in updateMask change",
  operationId: "updateInstallation",
  tags: ["Installation"],
  params: installationParams,
  body: updateInstallationSchema,
  responses: {
    200: { description: "The updated installation", schema: installationSchema },
    404: problemResponse("No such project, integration or installation"),
    409: problemResponse("The integration has no revision to install"),
    422: problemResponse(
      "The updated installation does not fit the integration; each issue is listed",
      inputValidationProblemSchema,
    ),
  },
  async handle({ params, body, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const integration = await findIntegration(deps.db, projectId, params.integrationId);
    const installation =
      integration && isUuid(params.installationId)
        ? await findInstallation(deps.db, projectId, integration.id, params.installationId)
        : null;
    if (!integration || !installation) throw notFound(`installation ${params.installationId}`);
    const revision = integration.latestRevision;
    if (!revision) throw new HttpProblem("conflict", "the integration has no revision to install");

    const current = {
      connectionId: installation.connectionId,
      config: { createdBy: installation.createdBy, content: installation.content },
    };
    const masked = applyUpdateMask(current, body.installation, body.updateMask);
    if ("issues" in masked) throw validationProblem(masked.issues);
    const next = masked.result as typeof current;

    const parsed = parseConfigContent(next.config.content);
    if ("issues" in parsed)
      throw new HttpProblem("unprocessable", "the updated config is not valid", parsed);
    const issues = checkConfigAgainstRevision(
      parsed.content,
      revision.content as Parameters<typeof checkConfigAgainstRevision>[1],
      integration.provider,
    );
    const connection = isUuid(next.connectionId)
      ? await findConnection(deps.db, projectId, next.connectionId)
      : null;
    if (!connection) {
      issues.push({
        in: "body",
        name: "installation.connectionId",
        detail: `no connection ${next.connectionId}`,
      });
    } else if (
      connection.provider !== integration.provider ||
      connection.groupRef !== installation.groupRef
    ) {
      issues.push({
        in: "body",
        name: "installation.connectionId",
        detail: `the connection must be a ${integration.provider} connection of group ${installation.groupRef}`,
      });
    }
    if (issues.length > 0 || !connection) {
      throw new HttpProblem(
        "unprocessable",
        "the updated installation does not fit the integration",
        { issues },
      );
    }
    const updated = await replaceInstallation(deps.db, installation, {
      connectionId: connection.id,
      // Ampersand moves an updated installation to the integration's latest revision.
      revisionId: revision.id,
      createdBy: next.config.createdBy,
      content: parsed.content as Prisma.InputJsonValue,
    });
    await deps.invalidation.publish({ kind: "project", projectId });
    return { status: 200, body: installationView(updated, connection) };
  },
});
