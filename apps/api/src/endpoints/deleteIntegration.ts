import { findIntegration, deleteIntegration as removeIntegration } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { notFound } from "../http/problem";
import { integrationParams } from "./params";

export const deleteIntegration = defineEndpoint({
  method: "delete",
  path: "/v1/projects/:projectIdOrName/integrations/:integrationId",
  auth: "apiKey",
  summary: "Delete an integration with its revisions and installations",
  operationId: "deleteIntegration",
  tags: ["Integration"],
  params: integrationParams,
  responses: {
    204: { description: "Deleted" },
    404: problemResponse("No such project or integration"),
  },
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const integration = await findIntegration(deps.db, projectId, params.integrationId);
    if (!integration || !(await removeIntegration(deps.db, projectId, integration.id))) {
      throw notFound(`integration ${params.integrationId}`);
    }
    await deps.invalidation.publish({ kind: "project", projectId });
    return { status: 204 };
  },
});
