import { listApiKeys } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint } from "../http/endpoint";
import { apiKeyView } from "../views";
import { projectParams } from "./params";

export const getApiKeys = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName/api-keys",
  auth: "adminOrApiKey",
  summary: "List a project's API keys (labels and prefixes, never the keys)",
  params: projectParams,
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    return { status: 200, body: (await listApiKeys(deps.db, projectId)).map(apiKeyView) };
  },
});
