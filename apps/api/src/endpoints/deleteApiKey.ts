import { isUuid, revokeApiKey } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { notFound } from "../http/problem";
import { apiKeyParams } from "./params";

export const deleteApiKey = defineEndpoint({
  method: "delete",
  path: "/v1/projects/:projectIdOrName/api-keys/:keyId",
  auth: "adminOrApiKey",
  summary: "Revoke an API key; every API process stops accepting it within moments",
  operationId: "deleteApiKey",
  tags: ["API Key"],
  params: apiKeyParams,
  responses: {
    204: { description: "Revoked" },
    404: problemResponse("No such project or key"),
  },
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const keyHash = isUuid(params.keyId)
      ? await revokeApiKey(deps.db, projectId, params.keyId)
      : null;
    if (!keyHash) throw notFound(`API key ${params.keyId}`);
    await deps.invalidation.publish({ kind: "apiKey", keyHash });
    return { status: 204 };
  },
});
