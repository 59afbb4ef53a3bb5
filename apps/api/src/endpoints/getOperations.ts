import { operationPageSchema } from "@writ/contracts";
import { decodeOperationCursor, encodeOperationCursor, listOperations } from "@writ/db";
import { z } from "zod";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { validationProblem } from "../http/problem";
import { projectParams } from "./params";

export const getOperations = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName/operations",
  auth: "apiKey",
  summary: "List write operations, newest first, by groupRef, status and object",
  operationId: "listOperations",
  tags: ["Operation"],
  params: projectParams,
  query: z.object({
    groupRef: z.string().optional(),
    status: z.enum(["in_progress", "success", "failure"]).optional(),
    objectName: z.string().optional(),
    integrationId: z.string().optional(),
    cursor: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  }),
  responses: {
    200: { description: "One page of operations", schema: operationPageSchema },
    404: problemResponse("No such project"),
  },
  async handle({ params, query, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const cursor = query.cursor ? decodeOperationCursor(query.cursor) : null;
    if (query.cursor && !cursor) {
      throw validationProblem([
        { in: "query", name: "cursor", detail: "not a cursor this API returned" },
      ]);
    }
    const page = await listOperations(deps.db, projectId, query, { cursor, limit: query.limit });
    return {
      status: 200,
      body: {
        operations: page.operations.map((operation) => ({
          id: operation.id,
          integrationId: operation.integrationId,
          installationId: operation.installationId,
          groupRef: operation.groupRef,
          objectName: operation.objectName,
          type: operation.writeType,
          mode: operation.mode,
          status: operation.status,
          result: operation.result ?? undefined,
          recordCount: operation.recordCount,
          successCount: operation.successCount,
          failureCount: operation.failureCount,
          attempts: operation.attempts,
          createTime: operation.createdAt.toISOString(),
          finishTime: operation.finishedAt?.toISOString(),
        })),
        pagination: page.nextCursor
          ? { done: false, nextPageToken: encodeOperationCursor(page.nextCursor) }
          : { done: true },
      },
    };
  },
});
