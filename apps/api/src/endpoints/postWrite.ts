import {
  acceptedResponseSchema,
  problemSchema,
  providers,
  uuidv7,
  type WriteRequest,
  writeDryRunResponseSchema,
  writeRequestSchema,
  writeResponseBatchSchema,
  writeResponseSingleFailSchema,
  writeResponseSingleSuccessSchema,
} from "@writ/contracts";
import { isDeletionEnabled, PipelineInputError, planWrite } from "@writ/pipeline";
import type { WriteJob } from "@writ/queue";
import { z } from "zod";
import type { AppDeps } from "../deps";
import { resolveProjectId } from "../http/auth";
import { defineEndpoint, type EndpointResult, problemResponse } from "../http/endpoint";
import { HttpProblem, notFound, type ValidationIssue, validationProblem } from "../http/problem";
import { requestSpan } from "../http/tracing";
import { requestFingerprint } from "../idempotencyFingerprint";
import { operationLocation, replayedWriteAnswer } from "../operationAnswers";
import { sendWriteJob } from "../writeProducer";
import { lookupWriteTarget, type WriteTarget } from "../writeTarget";
import { projectParams } from "./params";

const writeParams = projectParams.extend({
  integrationId: z.string().min(1),
  objectName: z.string().min(1),
});

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;
const idempotencyTtlMs = 24 * 3600 * 1000;

const operationLocationHeader = {
  description: "The operation's status URL",
  schema: z.url(),
};

export const postWrite = defineEndpoint({
  method: "post",
  path: "/v1/projects/:projectIdOrName/integrations/:integrationId/objects/:objectName",
  auth: "apiKey",
  summary: "Write records (create, update, delete) into a customer's SaaS",
  description:
    "Ampersand-compatible. A synchronous write answers the outcome (200, or 422 when the provider refused); an asynchronous one, or a synchronous one still running when the wait ends, answers 202 with a Location to poll. With an Idempotency-Key, repeating the same request replays the first one's operation.",
  operationId: "writeRecords",
  tags: ["Write"],
  params: writeParams,
  body: writeRequestSchema,
  requestHeaders: z.object({
    "Idempotency-Key": z
      .string()
      .regex(idempotencyKeyPattern)
      .optional()
      .describe(
        "1 to 255 visible ASCII characters. The same key with the same body replays the first request's operation for 24 hours; with another body it is refused (422)",
      ),
  }),
  responses: {
    200: {
      description:
        "Written (synchronous): one record's result, a batch's per-record results, or a dry run's plan",
      schema: z.xor([
        writeResponseSingleSuccessSchema,
        writeResponseBatchSchema,
        writeDryRunResponseSchema,
      ]),
      headers: { Location: operationLocationHeader },
    },
    202: {
      description: "Accepted: asynchronous, or still running when the synchronous wait ended",
      schema: acceptedResponseSchema,
      headers: { Location: operationLocationHeader },
    },
    404: problemResponse(
      "No such project or integration, no installation for groupRef, or not a write object",
    ),
    409: problemResponse("The first request with this Idempotency-Key is still being accepted"),
    422: {
      description:
        "The provider refused the record (or every record of a batch); as a problem: deletion is not enabled for the object, or the Idempotency-Key was used for another request",
      schema: z.xor([writeResponseSingleFailSchema, writeResponseBatchSchema]),
      headers: { Location: operationLocationHeader },
      otherContent: { "application/problem+json": problemSchema },
    },
  },
  async handle({ req, res, params, body, auth, deps }) {
    const projectId = await resolveProjectId(auth, params.projectIdOrName, deps);
    const target = await resolveTarget(
      deps,
      projectId,
      params.integrationId,
      params.objectName,
      body,
    );
    checkProviderOptions(target, body);
    const records = body.record
      ? [{ index: 0, record: body.record, associations: body.associations }]
      : (body.batch ?? []).map((item, index) => ({
          index,
          record: item.record,
          associations: item.associations,
        }));
    if (body.dryRun) return dryRun(target, params.objectName, body, records);

    const operationId = uuidv7();
    const idempotencyKey = req.get("idempotency-key");
    let idempotency: WriteJob["idempotency"];
    if (idempotencyKey !== undefined) {
      if (!idempotencyKeyPattern.test(idempotencyKey)) {
        throw validationProblem([
          { in: "header", name: "Idempotency-Key", detail: "1 to 255 visible ASCII characters" },
        ]);
      }
      // The request as sent (before defaults are filled in) is what the client repeats.
      const fingerprint = requestFingerprint("POST", req.path, req.body);
      const begun = await deps.idempotency.begin(
        projectId,
        idempotencyKey,
        fingerprint,
        operationId,
        body.mode,
      );
      if (begun.kind === "mismatch") {
        throw new HttpProblem(
          "idempotencyMismatch",
          "this Idempotency-Key was used for a different request; use a new key for a new request",
          { context: { operationId: begun.operationId } },
        );
      }
      if (begun.kind === "replay") {
        if (begun.state === "accepting") {
          throw new HttpProblem(
            "idempotencyInFlight",
            "the first request with this Idempotency-Key is still being accepted; retry shortly",
            {
              retryable: true,
            },
          );
        }
        return replayedWriteAnswer(
          deps,
          req,
          params.projectIdOrName,
          projectId,
          begun.operationId,
          begun.mode,
        );
      }
      idempotency = { key: idempotencyKey, fingerprint, expiresAt: Date.now() + idempotencyTtlMs };
    }

    const now = Date.now();
    const deadlineHours =
      body.autoBatchPolicy?.retryDeadlineHours ?? body.retryPolicy?.deadlineHours ?? 1;
    const job: WriteJob = {
      operationId,
      projectId,
      integrationId: target.integrationId,
      installationId: target.installationId,
      configId: target.configId,
      connectionId: target.connectionId,
      provider: target.provider,
      groupRef: target.groupRef,
      objectName: params.objectName,
      type: body.type,
      mode: body.mode,
      isBatch: body.batch !== undefined,
      allOrNone: body.batchPolicy?.allOrNone ?? false,
      records,
      headers: body.headers,
      deadlineAt: now + deadlineHours * 3600 * 1000,
      acceptedAt: now,
      idempotency,
      request: requestSummary(body),
    };
    try {
      if (body.autoBatchPolicy) {
        // Waits in its auto-batch group; the worker sends the group when it is full or due.
        await deps.autoBatcher.add(job, body.autoBatchPolicy.maxDelayMinutes * 60_000);
      } else {
        await sendWriteJob(deps, job, requestSpan(res));
      }
    } catch (error) {
      if (idempotencyKey !== undefined)
        await deps.idempotency.abandon(projectId, idempotencyKey).catch(() => {});
      throw error;
    }
    if (idempotency && idempotencyKey !== undefined) {
      await deps.idempotency.markAccepted(
        projectId,
        idempotencyKey,
        idempotency.fingerprint,
        operationId,
        body.mode,
      );
    }
    const location = operationLocation(deps, req, params.projectIdOrName, operationId);
    if (body.mode === "asynchronous") {
      return { status: 202, body: { operationId }, headers: { Location: location } };
    }
    const result = await deps.writes.waitForResult(operationId, deps.config.syncTimeoutMs);
    if (!result) return { status: 202, body: { operationId }, headers: { Location: location } };
    return { status: result.httpStatus, body: result.body, headers: { Location: location } };
  },
});

async function resolveTarget(
  deps: AppDeps,
  projectId: string,
  integrationId: string,
  objectName: string,
  body: WriteRequest,
): Promise<WriteTarget> {
  const lookup = await lookupWriteTarget(deps, projectId, integrationId, body.groupRef);
  if (lookup.kind === "noIntegration") throw notFound(`integration ${integrationId}`);
  if (lookup.kind === "noInstallation") {
    throw new HttpProblem(
      "notFound",
      `integration ${lookup.integrationName} has no installation for groupRef ${body.groupRef}`,
    );
  }
  const target = lookup.target;
  if (!target.declaredWriteObjects.includes(objectName)) {
    throw new HttpProblem(
      "notFound",
      `${objectName} is not a write object of integration ${target.integrationName} (write objects: ${
        target.declaredWriteObjects.join(", ") || "none"
      })`,
    );
  }
  if (
    body.type === "delete" &&
    !isDeletionEnabled(target.writeObjects[objectName] ?? { objectName })
  ) {
    throw new HttpProblem(
      "unprocessable",
      `deletion is not enabled for ${objectName} in this installation (config.content.write.objects.${objectName}.deletionSettings.enabled)`,
    );
  }
  return target;
}

function checkProviderOptions(target: WriteTarget, body: WriteRequest): void {
  const facts = providers[target.provider];
  const issues: ValidationIssue[] = [];
  const usesAssociations =
    body.associations !== undefined ||
    (body.batch ?? []).some((item) => item.associations !== undefined);
  if (usesAssociations && !facts.supportsAssociations) {
    issues.push({
      in: "body",
      name: "associations",
      detail: `associations are not supported for ${facts.displayName}`,
    });
  }
  if (body.headers !== undefined && !facts.forwardsHeaders) {
    issues.push({
      in: "body",
      name: "headers",
      detail: `headers are not forwarded to ${facts.displayName}`,
    });
  }
  if (issues.length > 0) throw validationProblem(issues);
}

function dryRun(
  target: WriteTarget,
  objectName: string,
  body: WriteRequest,
  records: Array<{ index: number; record: Record<string, unknown> }>,
): EndpointResult {
  const writeObject = target.writeObjects[objectName] ?? { objectName };
  const readObject = writeObject.inheritMapping ? target.readObjects[objectName] : undefined;
  const issues: ValidationIssue[] = [];
  const plans = records.map(({ index, record }) => {
    try {
      const plan = planWrite({ type: body.type, record, writeObject, readObject });
      return {
        index,
        recordId: plan.recordId,
        payload: plan.payload,
        fields: plan.fields,
        needsCurrentValues: plan.needsCurrentValues,
      };
    } catch (error) {
      if (!(error instanceof PipelineInputError)) throw error;
      issues.push({
        in: "body",
        name: body.batch ? `batch[${index}].record` : "record",
        detail: error.message,
      });
      return null;
    }
  });
  if (issues.length > 0) throw validationProblem(issues);
  return {
    status: 200,
    body: { dryRun: true, provider: target.provider, objectName, type: body.type, records: plans },
  };
}

/** The request as accepted, minus the records: stored with the operation for replay. */
function requestSummary(body: WriteRequest): Record<string, unknown> {
  const { record: _record, batch: _batch, associations: _associations, ...rest } = body;
  return rest;
}
