import { connectionSchema, updateConnectionSchema } from "@writ/contracts";
import { isUuid, updateConnection } from "@writ/db";
import { encryptJson } from "@writ/secrets";
import { authSchemeOf, credentialsFromRequest } from "../credentials";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { notFound, validationProblem } from "../http/problem";
import { connectionView } from "../views";
import { connectionParams } from "./params";

export const patchConnection = defineEndpoint({
  method: "patch",
  path: "/v1/projects/:projectIdOrName/connections/:connectionId",
  auth: "apiKey",
  summary: "Rotate a connection's credentials or change its settings (fields named in updateMask)",
  operationId: "updateConnection",
  tags: ["Connection"],
  params: connectionParams,
  body: updateConnectionSchema,
  responses: {
    200: { description: "The updated connection", schema: connectionSchema },
    404: problemResponse("No such project or connection"),
  },
  async handle({ params, body, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const mask = new Set(body.updateMask);
    const missing = [...mask].filter((field) => !(field in body.connection));
    if (missing.length > 0) {
      throw validationProblem(
        missing.map((field) => ({
          in: "body" as const,
          name: `connection.${field}`,
          detail: "named in updateMask but absent from connection",
        })),
      );
    }
    if (mask.has("apiKey") && mask.has("oauth2AuthorizationCode")) {
      throw validationProblem([
        {
          in: "body",
          name: "updateMask",
          detail: "rotate apiKey or oauth2AuthorizationCode, not both",
        },
      ]);
    }
    const credentials = credentialsFromRequest({
      apiKey: mask.has("apiKey") ? body.connection.apiKey : undefined,
      oauth2AuthorizationCode: mask.has("oauth2AuthorizationCode")
        ? body.connection.oauth2AuthorizationCode
        : undefined,
    });
    const connection = isUuid(params.connectionId)
      ? await updateConnection(deps.db, projectId, params.connectionId, {
          ...(credentials
            ? {
                credentialsEncrypted: encryptJson(deps.config.encryptionKey, credentials),
                authScheme: authSchemeOf(credentials),
                // Fresh credentials give a connection marked bad_credentials another chance.
                status: "working",
              }
            : {}),
          ...(mask.has("providerWorkspaceRef")
            ? { providerWorkspaceRef: body.connection.providerWorkspaceRef ?? null }
            : {}),
          ...(mask.has("instanceUrl") ? { instanceUrl: body.connection.instanceUrl ?? null } : {}),
          ...(mask.has("rateLimit") ? { rateLimit: body.connection.rateLimit ?? null } : {}),
        })
      : null;
    if (!connection) throw notFound(`connection ${params.connectionId}`);
    await deps.invalidation.publish({ kind: "connection", projectId, connectionId: connection.id });
    return { status: 200, body: connectionView(connection) };
  },
});
