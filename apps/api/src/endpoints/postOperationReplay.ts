import { isProviderName, replayAcceptedResponseSchema, uuidv7 } from "@writ/contracts";
import { findOperation, isUuid } from "@writ/db";
import type { WriteJob } from "@writ/queue";
import { z } from "zod";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, problemResponse } from "../http/endpoint";
import { HttpProblem, notFound } from "../http/problem";
import { requestSpan } from "../http/tracing";
import { operationLocation } from "../operationAnswers";
import { sendWriteJob } from "../writeProducer";
import { lookupWriteTarget } from "../writeTarget";
import { operationParams } from "./params";

export const postOperationReplay = defineEndpoint({
  method: "post",
  path: "/v1/projects/:projectIdOrName/operations/:operationId\\:replay",
  auth: "apiKey",
  summary: "Replay a failed operation's failed records as a new asynchronous operation",
  operationId: "replayOperation",
  tags: ["Operation"],
  params: operationParams,
  responses: {
    202: {
      description: "Accepted as a new asynchronous operation",
      schema: replayAcceptedResponseSchema,
      headers: { Location: { description: "The new operation's status URL", schema: z.url() } },
    },
    404: problemResponse("No such project or operation"),
    409: problemResponse("The operation did not fail, or its installation no longer exists"),
  },
  async handle({ req, res, params, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const original = isUuid(params.operationId)
      ? await findOperation(deps.db, projectId, params.operationId)
      : null;
    if (!original) throw notFound(`operation ${params.operationId}`);
    if (original.status !== "failure") {
      throw new HttpProblem(
        "conflict",
        `operation ${original.id} is ${original.status}; only failed operations can be replayed`,
      );
    }
    const lookup = await lookupWriteTarget(
      deps,
      projectId,
      original.integrationId,
      original.groupRef,
    );
    if (lookup.kind !== "found" || !isProviderName(lookup.target.provider)) {
      throw new HttpProblem(
        "conflict",
        `the installation for group ${original.groupRef} no longer exists; nothing to replay into`,
      );
    }
    const target = lookup.target;
    const failed = original.records.filter((record) => record.status !== "success");
    const request = original.request as Record<string, unknown>;
    const deadlineHours =
      (request.retryPolicy as { deadlineHours?: number } | undefined)?.deadlineHours ?? 1;
    const now = Date.now();
    const operationId = uuidv7();
    const job: WriteJob = {
      operationId,
      projectId,
      integrationId: target.integrationId,
      installationId: target.installationId,
      configId: target.configId,
      connectionId: target.connectionId,
      provider: target.provider,
      groupRef: original.groupRef,
      objectName: original.objectName,
      type: original.writeType as WriteJob["type"],
      mode: "asynchronous",
      isBatch: original.isBatch,
      allOrNone: Boolean((request.batchPolicy as { allOrNone?: boolean } | undefined)?.allOrNone),
      records: failed.map((record, index) => ({
        index,
        record: record.input as Record<string, unknown>,
        ...(record.associations ? { associations: record.associations as unknown[] } : {}),
      })),
      headers: request.headers as WriteJob["headers"],
      deadlineAt: now + deadlineHours * 3600 * 1000,
      acceptedAt: now,
      request: { ...request, mode: "asynchronous", replayOf: original.id },
    };
    await sendWriteJob(deps, job, requestSpan(res));
    const location = operationLocation(deps, req, params.projectIdOrName, operationId);
    return {
      status: 202,
      body: { operationId, replayOf: original.id, recordCount: job.records.length },
      headers: { Location: location },
    };
  },
});
