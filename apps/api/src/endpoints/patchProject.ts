import { projectSchema, updateProjectSchema } from "@writ/contracts";
import { findProject, updateProject } from "@writ/db";
import { encryptJson, generateWebhookSecret } from "@writ/secrets";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { notFound } from "../http/problem";
import { projectView } from "../views";
import { projectParams } from "./params";

export const patchProject = defineEndpoint({
  method: "patch",
  path: "/v1/projects/:projectIdOrName",
  auth: "adminOrApiKey",
  summary: "Update a project's app name or webhook URL",
  operationId: "updateProject",
  tags: ["Project"],
  params: projectParams,
  body: updateProjectSchema,
  responses: {
    200: { description: "The updated project", schema: projectSchema },
    404: problemResponse("No such project"),
  },
  async handle({ params, body, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const current = await findProject(deps.db, projectId);
    if (!current) throw notFound(`project ${params.projectIdOrName}`);
    // The signing secret is made when a webhook is first configured and shown in that one
    // response only, like an API key.
    const newSecret =
      body.webhookUrl && !current.webhookSecretEncrypted ? generateWebhookSecret() : undefined;
    const project = await updateProject(deps.db, projectId, {
      ...(body.appName !== undefined ? { appName: body.appName } : {}),
      ...(body.webhookUrl !== undefined ? { webhookUrl: body.webhookUrl } : {}),
      ...(newSecret
        ? { webhookSecretEncrypted: encryptJson(deps.config.encryptionKey, newSecret) }
        : {}),
    });
    await deps.invalidation.publish({ kind: "project", projectId });
    return {
      status: 200,
      body: { ...projectView(project), ...(newSecret ? { webhookSecret: newSecret } : {}) },
    };
  },
});
