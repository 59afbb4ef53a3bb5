import { projectSchema } from "@writ/contracts";
import { findProject } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { notFound } from "../http/problem";
import { projectView } from "../views";
import { projectParams } from "./params";

export const getProject = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName",
  auth: "adminOrApiKey",
  summary: "Get a project",
  operationId: "getProject",
  tags: ["Project"],
  params: projectParams,
  responses: {
    200: { description: "The project", schema: projectSchema },
    404: problemResponse("No such project"),
  },
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const project = await findProject(deps.db, projectId);
    if (!project) throw notFound(`project ${params.projectIdOrName}`);
    return { status: 200, body: projectView(project) };
  },
});
