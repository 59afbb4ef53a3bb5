import { integrationSchema } from "@writ/contracts";
import { findIntegration } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { notFound } from "../http/problem";
import { integrationView } from "../views";
import { integrationParams } from "./params";

export const getIntegration = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName/integrations/:integrationId",
  auth: "apiKey",
  summary: "Get an integration by id or name",
  operationId: "getIntegration",
  tags: ["Integration"],
  params: integrationParams,
  responses: {
    200: { description: "The integration", schema: integrationSchema },
    404: problemResponse("No such project or integration"),
  },
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const integration = await findIntegration(deps.db, projectId, params.integrationId);
    if (!integration) throw notFound(`integration ${params.integrationId}`);
    return { status: 200, body: integrationView(integration) };
  },
});
