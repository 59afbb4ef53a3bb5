import { projectSchema } from "@writ/contracts";
import { findProject, listProjects } from "@writ/db";
import { z } from "zod";
import { defineEndpoint } from "../http/endpoint";
import { projectView } from "../views";

export const getProjects = defineEndpoint({
  method: "get",
  path: "/v1/projects",
  auth: "adminOrApiKey",
  summary: "List projects (all with the admin token; the key's own with an API key)",
  operationId: "listProjects",
  tags: ["Project"],
  responses: {
    200: { description: "The projects", schema: z.array(projectSchema) },
  },
  async handle({ auth, deps }) {
    if (auth.kind === "apiKey") {
      const project = await findProject(deps.db, auth.projectId);
      return { status: 200, body: project ? [projectView(project)] : [] };
    }
    return { status: 200, body: (await listProjects(deps.db)).map(projectView) };
  },
});
