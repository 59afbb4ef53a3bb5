import { installationSchema } from "@writ/contracts";
import { findConnection, findInstallation, findIntegration, isUuid } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { notFound } from "../http/problem";
import { installationView } from "../views";
import { installationParams } from "./params";

export const getInstallation = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName/integrations/:integrationId/installations/:installationId",
  auth: "apiKey",
  summary: "Get an installation with its config",
  operationId: "getInstallation",
  tags: ["Installation"],
  params: installationParams,
  responses: {
    200: { description: "The installation", schema: installationSchema },
    404: problemResponse("No such project, integration or installation"),
  },
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const integration = await findIntegration(deps.db, projectId, params.integrationId);
    const installation =
      integration && isUuid(params.installationId)
        ? await findInstallation(deps.db, projectId, integration.id, params.installationId)
        : null;
    if (!installation) throw notFound(`installation ${params.installationId}`);
    const connection = await findConnection(deps.db, projectId, installation.connectionId);
    return { status: 200, body: installationView(installation, connection) };
  },
});
