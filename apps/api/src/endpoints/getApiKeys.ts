import { apiKeySchema } from "@writ/contracts";
import { listApiKeys } from "@writ/db";
import { z } from "zod";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { apiKeyView } from "../views";
import { projectParams } from "./params";

export const getApiKeys = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName/api-keys",
  auth: "adminOrApiKey",
  summary: "List a project's API keys (labels and prefixes, never the keys)",
  operationId: "listApiKeys",
  tags: ["API Key"],
  params: projectParams,
  responses: {
    200: { description: "The project's keys", schema: z.array(apiKeySchema) },
    404: problemResponse("No such project"),
  },
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    return { status: 200, body: (await listApiKeys(deps.db, projectId)).map(apiKeyView) };
  },
});
