import { installationSchema } from "@writ/contracts";
import { findIntegration, listConnections, listInstallations } from "@writ/db";
import { z } from "zod";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { notFound } from "../http/problem";
import { installationView } from "../views";
import { integrationParams } from "./params";

export const getInstallations = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName/integrations/:integrationId/installations",
  auth: "apiKey",
  summary: "List an integration's installations, optionally for one groupRef",
  operationId: "listInstallations",
  tags: ["Installation"],
  params: integrationParams,
  query: z.object({ groupRef: z.string().optional() }),
  responses: {
    200: { description: "The installations", schema: z.array(installationSchema) },
    404: problemResponse("No such project or integration"),
  },
  async handle({ params, query, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const integration = await findIntegration(deps.db, projectId, params.integrationId);
    if (!integration) throw notFound(`integration ${params.integrationId}`);
    const installations = await listInstallations(deps.db, projectId, {
      integrationId: integration.id,
      groupRef: query.groupRef,
    });
    const connections = new Map(
      (await listConnections(deps.db, projectId, { groupRef: query.groupRef })).map((c) => [
        c.id,
        c,
      ]),
    );
    return {
      status: 200,
      body: installations.map((i) => installationView(i, connections.get(i.connectionId) ?? null)),
    };
  },
});
