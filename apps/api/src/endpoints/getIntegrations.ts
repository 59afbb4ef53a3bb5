import { listIntegrations } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint } from "../http/endpoint";
import { integrationView } from "../views";
import { projectParams } from "./params";

export const getIntegrations = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName/integrations",
  auth: "apiKey",
  summary: "List integrations with their latest revision",
  params: projectParams,
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    return { status: 200, body: (await listIntegrations(deps.db, projectId)).map(integrationView) };
  },
});
