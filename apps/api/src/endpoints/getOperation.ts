import { operationSchema } from "@writ/contracts";
import { findOperation, isUuid } from "@writ/db";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { notFound } from "../http/problem";
import { operationView, queuedOperationView } from "../operationAnswers";
import { operationParams } from "./params";

export const getOperation = defineEndpoint({
  method: "get",
  path: "/v1/projects/:projectIdOrName/operations/:operationId",
  auth: "apiKey",
  summary: "Get a write operation's status, per-record results and provider record IDs",
  operationId: "getOperation",
  tags: ["Operation"],
  params: operationParams,
  responses: {
    200: { description: "The operation", schema: operationSchema },
    404: problemResponse("No such project or operation"),
  },
  async handle({ params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    if (!isUuid(params.operationId)) throw notFound(`operation ${params.operationId}`);
    // Clients poll writes in flight, many times each: a job no worker has taken yet answers from
    // the queue alone, without a database round trip (nothing of it can be recorded yet).
    const peeked = await deps.writes.peekJob(params.operationId);
    const queued = peeked && peeked.job.data.projectId === projectId ? peeked : null;
    if (queued?.progress === "unstarted") {
      return { status: 200, body: queuedOperationView({ ...queued.job, state: "waiting" }) };
    }
    const operation = await findOperation(deps.db, projectId, params.operationId);
    if (operation) return { status: 200, body: operationView(operation) };
    // Accepted but not yet recorded by a worker: the queued job is the source of truth.
    if (queued) {
      const state =
        queued.progress === "running" ? "active" : await deps.writes.jobState(params.operationId);
      return { status: 200, body: queuedOperationView({ ...queued.job, state }) };
    }
    const waiting = await deps.autoBatcher.pending(params.operationId);
    if (waiting && waiting.job.projectId === projectId) {
      const view = queuedOperationView({
        data: waiting.job,
        state: "waiting",
        attemptsMade: 0,
        timestamp: waiting.job.acceptedAt,
      });
      const sendBy = new Date(waiting.flushAt).toISOString();
      return {
        status: 200,
        body: { ...view, result: `waiting in its auto batch; sent by ${sendBy} at the latest` },
      };
    }
    throw notFound(`operation ${params.operationId}`);
  },
});
