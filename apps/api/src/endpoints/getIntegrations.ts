import { integrationSchema } from "@writ/contracts";
import { listIntegrations } from "@writ/db";
import { z } from "zod";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { integrationView } from "../views";
import { projectParams } from "./params";

export const getIntegrations = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName/integrations",
  auth: "apiKey",
  summary: "List integrations with their latest revision",
  operationId: "listIntegrations",
  tags: ["Integration"],
  params: projectParams,
  responses: {
    200: { description: "The integrations", schema: z.array(integrationSchema) },
    404: problemResponse("No such project"),
  },
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    return { status: 200, body: (await listIntegrations(deps.db, projectId)).map(integrationView) };
  },
});
