import { connectionSchema } from "@writ/contracts";
import { findConnection, isUuid } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { notFound } from "../http/problem";
import { connectionView } from "../views";
import { connectionParams } from "./params";

export const getConnection = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName/connections/:connectionId",
  auth: "apiKey",
  summary: "Get a connection (without its credentials)",
  operationId: "getConnection",
  tags: ["Connection"],
  params: connectionParams,
  responses: {
    200: { description: "The connection", schema: connectionSchema },
    404: problemResponse("No such project or connection"),
  },
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const connection = isUuid(params.connectionId)
      ? await findConnection(deps.db, projectId, params.connectionId)
      : null;
    if (!connection) throw notFound(`connection ${params.connectionId}`);
    return { status: 200, body: connectionView(connection) };
  },
});
