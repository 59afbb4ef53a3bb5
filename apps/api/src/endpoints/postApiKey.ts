import { createApiKeySchema, createdApiKeySchema } from "@writ/contracts";
import { insertApiKey } from "@writ/db";
import { generateApiKey } from "@writ/secrets";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { apiKeyView } from "../views";
import { projectParams } from "./params";

export const postApiKey = defineEndpoint({
  method: "post",
  path: "/v1/projects/:projectIdOrName/api-keys",
  auth: "adminOrApiKey",
  summary: "Create an API key (the key is in this response only)",
  operationId: "createApiKey",
  tags: ["API Key"],
  params: projectParams,
  body: createApiKeySchema,
  responses: {
    201: { description: "The key, with the key itself", schema: createdApiKeySchema },
    404: problemResponse("No such project"),
  },
  async handle({ params, body, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const generated = generateApiKey();
    const row = await insertApiKey(deps.db, {
      projectId,
      label: body.label,
      keyHash: generated.hash,
      keyPrefix: generated.prefix,
    });
    // A negative lookup of this key may be cached from before it existed.
    deps.caches.apiKeys.delete(generated.hash);
    return { status: 201, body: { ...apiKeyView(row), key: generated.key } };
  },
});
