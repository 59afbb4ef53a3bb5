import { isUuid, deleteConnection as removeConnection } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { HttpProblem, notFound } from "../http/problem";
import { connectionParams } from "./params";

export const deleteConnection = defineEndpoint({
  method: "delete",
  path: "/v1/projects/:projectIdOrName/connections/:connectionId",
  auth: "apiKey",
  summary: "Delete a connection that no installation uses",
  operationId: "deleteConnection",
  tags: ["Connection"],
  params: connectionParams,
  responses: {
    204: { description: "Deleted" },
    404: problemResponse("No such project or connection"),
    409: problemResponse("Installations use the connection"),
  },
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const result = isUuid(params.connectionId)
      ? await removeConnection(deps.db, projectId, params.connectionId)
      : "not_found";
    if (result === "not_found") throw notFound(`connection ${params.connectionId}`);
    if (result === "in_use") {
      throw new HttpProblem(
        "conflict",
        "the connection is used by installations; delete or repoint them first",
      );
    }
    await deps.invalidation.publish({
      kind: "connection",
      projectId,
      connectionId: params.connectionId,
    });
    return { status: 204 };
  },
});
