import { findIntegration, isUuid, deleteInstallation as removeInstallation } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { notFound } from "../http/problem";
import { installationParams } from "./params";

export const deleteInstallation = defineEndpoint({
  method: "delete",
  path: "/v1/projects/:projectIdOrName/integrations/:integrationId/installations/:installationId",
  auth: "apiKey",
  summary: "Uninstall: writes for this group are refused from now on",
  operationId: "deleteInstallation",
  tags: ["Installation"],
  params: installationParams,
  responses: {
    204: { description: "Uninstalled" },
    404: problemResponse("No such project, integration or installation"),
  },
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const integration = await findIntegration(deps.db, projectId, params.integrationId);
    const removed =
      integration && isUuid(params.installationId)
        ? await removeInstallation(deps.db, projectId, integration.id, params.installationId)
        : false;
    if (!removed) throw notFound(`installation ${params.installationId}`);
    await deps.invalidation.publish({ kind: "project", projectId });
    return { status: 204 };
  },
});
