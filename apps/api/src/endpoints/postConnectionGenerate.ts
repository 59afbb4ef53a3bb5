import {
  connectionSchema,
  generateConnectionSchema,
  isProviderName,
  providerNames,
} from "@writ/contracts";
import { insertConnection } from "@writ/db";
import { encryptJson } from "@writ/secrets";
import { authSchemeOf, credentialsFromRequest } from "../credentials";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { validationProblem } from "../http/problem";
import { connectionView } from "../views";
import { projectParams } from "./params";

export const postConnectionGenerate = defineEndpoint({
  method: "post",
  path: "/v1/projects/:projectIdOrName/connections\\:generate",
  auth: "apiKey",
  summary: "Store a customer's provider credentials as a connection (encrypted, never returned)",
  operationId: "generateConnection",
  tags: ["Connection"],
  params: projectParams,
  body: generateConnectionSchema,
  responses: {
    201: { description: "The connection (without its credentials)", schema: connectionSchema },
    404: problemResponse("No such project"),
  },
  async handle({ params, body, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    if (!isProviderName(body.provider)) {
      throw validationProblem([
        {
          in: "body",
          name: "provider",
          detail: `unknown provider ${body.provider}; known: ${providerNames.join(", ")}`,
        },
      ]);
    }
    const credentials = credentialsFromRequest(body);
    if (!credentials) {
      throw validationProblem([{ in: "body", name: "apiKey", detail: "a credential is required" }]);
    }
    const connection = await insertConnection(deps.db, {
      projectId,
      provider: body.provider,
      groupRef: body.groupRef,
      groupName: body.groupName ?? body.groupRef,
      consumerRef: body.consumerRef,
      consumerName: body.consumerName ?? body.consumerRef,
      providerWorkspaceRef: body.providerWorkspaceRef,
      authScheme: authSchemeOf(credentials),
      credentialsEncrypted: encryptJson(deps.config.encryptionKey, credentials),
      instanceUrl: body.instanceUrl,
      rateLimit: body.rateLimit,
    });
    return { status: 201, body: connectionView(connection) };
  },
});
