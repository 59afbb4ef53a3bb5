import {
  createInstallationSchema,
  inputValidationProblemSchema,
  installationSchema,
} from "@writ/contracts";
import {
  findConnection,
  findInstallationByGroup,
  findIntegration,
  findRevision,
  insertInstallation,
  isUuid,
  type Prisma,
} from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { HttpProblem, notFound, type ValidationIssue } from "../http/problem";
import { checkConfigAgainstRevision } from "../installationConfig";
import { installationView } from "../views";
import { integrationParams } from "./params";

export const postInstallation = defineEndpoint({
  method: "post",
  path: "/v1/projects/:projectIdOrName/integrations/:integrationId/installations",
  auth: "apiKey",
  summary: "Install an integration for a customer group with its config",
  operationId: "createInstallation",
  tags: ["Installation"],
  params: integrationParams,
  body: createInstallationSchema,
  responses: {
    201: { description: "The installation", schema: installationSchema },
    404: problemResponse("No such project or integration"),
    409: problemResponse("The integration is already installed for this group"),
    422: problemResponse(
      "The connection or config does not fit the integration; each issue is listed",
      inputValidationProblemSchema,
    ),
  },
  async handle({ params, body, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const integration = await findIntegration(deps.db, projectId, params.integrationId);
    if (!integration) throw notFound(`integration ${params.integrationId}`);

    const issues: ValidationIssue[] = [];
    const connection = isUuid(body.connectionId)
      ? await findConnection(deps.db, projectId, body.connectionId)
      : null;
    if (!connection) {
      issues.push({
        in: "body",
        name: "connectionId",
        detail: `no connection ${body.connectionId} in this project`,
      });
    } else {
      if (connection.provider !== integration.provider) {
        issues.push({
          in: "body",
          name: "connectionId",
          detail: `the connection is for ${connection.provider}; the integration needs ${integration.provider}`,
        });
      }
      if (connection.groupRef !== body.groupRef) {
        issues.push({
          in: "body",
          name: "connectionId",
          detail: `the connection belongs to group ${connection.groupRef}, not ${body.groupRef}`,
        });
      }
    }
    const revision = body.config.revisionId
      ? await findRevision(deps.db, projectId, body.config.revisionId)
      : integration.latestRevision;
    if (!revision || revision.integrationId !== integration.id) {
      issues.push({
        in: "body",
        name: "config.revisionId",
        detail: `no revision ${body.config.revisionId ?? "(latest)"} of integration ${integration.name}`,
      });
    } else {
      issues.push(
        ...checkConfigAgainstRevision(
          body.config.content,
          revision.content as Parameters<typeof checkConfigAgainstRevision>[1],
          integration.provider,
        ),
      );
    }
    if (issues.length > 0 || !revision || !connection) {
      throw new HttpProblem("unprocessable", "the installation does not fit the integration", {
        issues,
      });
    }
    if (await findInstallationByGroup(deps.db, projectId, integration.id, body.groupRef)) {
      throw new HttpProblem(
        "conflict",
        `integration ${integration.name} is already installed for group ${body.groupRef}; PATCH it instead`,
      );
    }
    try {
      const installation = await insertInstallation(deps.db, {
        projectId,
        integrationId: integration.id,
        groupRef: body.groupRef,
        connectionId: connection.id,
        revisionId: revision.id,
        createdBy: body.config.createdBy ?? "api:create-installation",
        content: body.config.content as Prisma.InputJsonValue,
      });
      await deps.invalidation.publish({ kind: "project", projectId });
      return { status: 201, body: installationView(installation, connection) };
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") {
        throw new HttpProblem(
          "conflict",
          `integration ${integration.name} is already installed for group ${body.groupRef}`,
        );
      }
      throw error;
    }
  },
});
