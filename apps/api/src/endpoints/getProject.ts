import { findProject } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint } from "../http/endpoint";
import { notFound } from "../http/problem";
import { projectView } from "../views";
import { projectParams } from "./params";

export const getProject = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName",
  auth: "adminOrApiKey",
  summary: "Get a project",
  params: projectParams,
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const project = await findProject(deps.db, projectId);
    if (!project) throw notFound(`project ${params.projectIdOrName}`);
    return { status: 200, body: projectView(project) };
  },
});
