import { connectionSchema } from "@writ/contracts";
import { listConnections } from "@writ/db";
import { z } from "zod";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { connectionView } from "../views";
import { projectParams } from "./params";

export const getConnections = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName/connections",
  auth: "apiKey",
  summary: "List connections, optionally by groupRef and provider",
  operationId: "listConnections",
  tags: ["Connection"],
  params: projectParams,
  query: z.object({ groupRef: z.string().optional(), provider: z.string().optional() }),
  responses: {
    200: { description: "The connections", schema: z.array(connectionSchema) },
    404: problemResponse("No such project"),
  },
  async handle({ params, query, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const rows = await listConnections(deps.db, projectId, query);
    return { status: 200, body: rows.map(connectionView) };
  },
});
