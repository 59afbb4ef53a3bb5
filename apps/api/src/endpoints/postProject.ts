import { createProjectSchema, projectSchema } from "@writ/contracts";
import { createProject, findProject } from "@writ/db";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { HttpProblem } from "../http/problem";
import { projectView } from "../views";

export const postProject = defineEndpoint({
  method: "post",
  path: "/v1/projects",
  auth: "admin",
  summary: "Create a project (admin token)",
  operationId: "createProject",
  tags: ["Project"],
  body: createProjectSchema,
  responses: {
    201: { description: "The project", schema: projectSchema },
    409: problemResponse("A project with this name exists"),
  },
  async handle({ body, deps }) {
    if (await findProject(deps.db, body.name)) {
      throw new HttpProblem(
        "conflict",
        `a project named ${body.name.toLowerCase()} already exists`,
      );
    }
    try {
      const project = await createProject(deps.db, body);
      return { status: 201, body: projectView(project) };
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") {
        throw new HttpProblem(
          "conflict",
          `a project named ${body.name.toLowerCase()} already exists`,
        );
      }
      throw error;
    }
  },
});
