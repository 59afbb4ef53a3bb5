import { findConnection, isUuid } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint } from "../http/endpoint";
import { notFound } from "../http/problem";
import { connectionView } from "../views";
import { connectionParams } from "./params";

export const getConnection = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName/connections/:connectionId",
  auth: "apiKey",
  summary: "Get a connection (without its credentials)",
  params: connectionParams,
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const connection = isUuid(params.connectionId)
      ? await findConnection(deps.db, projectId, params.connectionId)
      : null;
    if (!connection) throw notFound(`connection ${params.connectionId}`);
    return { status: 200, body: connectionView(connection) };
  },
});
