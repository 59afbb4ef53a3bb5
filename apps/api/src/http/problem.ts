import { randomUUID } from "node:crypto";
import type { ErrorRequestHandler, Request, Response } from "express";
import type { z } from "zod";

/**
 * Every error the API answers is an RFC 9457 problem (application/problem+json) of one of
 * these types, shaped like Ampersand's ApiProblem / InputValidationProblem.
 */
export const problemTypes = {
  validation: { status: 400, title: "Invalid request" },
  malformedJson: { status: 400, title: "Malformed JSON" },
  unsupportedMediaType: { status: 415, title: "Unsupported media type" },
  unauthenticated: { status: 401, title: "Unauthenticated" },
  forbidden: { status: 403, title: "Forbidden" },
  notFound: { status: 404, title: "Not found" },
  conflict: { status: 409, title: "Conflict" },
  idempotencyInFlight: { status: 409, title: "Request with this Idempotency-Key is in flight" },
  payloadTooLarge: { status: 413, title: "Payload too large" },
  unprocessable: { status: 422, title: "Unprocessable request" },
  idempotencyMismatch: { status: 422, title: "Idempotency-Key reused with a different request" },
  unavailable: { status: 503, title: "Service unavailable" },
  internal: { status: 500, title: "Internal error" },
} as const;

export type ProblemType = keyof typeof problemTypes;

export interface ValidationIssue {
  in: "body" | "header" | "path" | "query";
  name: string;
  detail: string;
  value?: unknown;
  /** For YAML sources: 1-based position of the problem in the document. */
  line?: number;
  column?: number;
  severity?: "error" | "warning";
}

export class HttpProblem extends Error {
  readonly status: number;
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly extra: {
      issues?: ValidationIssue[];
      context?: Record<string, unknown>;
      retryable?: boolean;
    } = {},
  ) {
    super(detail);
    this.status = problemTypes[type].status;
  }
}

export function notFound(what: string): HttpProblem {
  return new HttpProblem("notFound", `${what} not found`);
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function problemTypeUri(type: ProblemType): string {
  return `urn:writ:problem:${kebab(type)}`;
}

export function sendProblem(req: Request, res: Response, problem: HttpProblem): void {
  const meta = problemTypes[problem.type];
  res
    .status(meta.status)
    .type("application/problem+json")
    .json({
      type: problemTypeUri(problem.type),
      title: meta.title,
      status: meta.status,
      detail: problem.detail,
      instance: req.originalUrl.split("?")[0],
      subsystem: "api",
      time: new Date().toISOString(),
      requestId: (res.locals.requestId as string | undefined) ?? randomUUID(),
      ...(problem.extra.retryable !== undefined ? { retryable: problem.extra.retryable } : {}),
      ...(problem.extra.issues ? { issues: problem.extra.issues } : {}),
      ...(problem.extra.context ? { context: problem.extra.context } : {}),
    });
}

/** Turns zod issues into problem issues: `batch[3].record.id` style names. */
export function zodIssues(error: z.ZodError, location: ValidationIssue["in"]): ValidationIssue[] {
  return error.issues.map((issue) => ({
    in: location,
    name: formatIssuePath(issue.path) || "(root)",
    detail: issue.message,
  }));
}

export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export function validationProblem(issues: ValidationIssue[], detail?: string): HttpProblem {
  const first = issues[0];
  return new HttpProblem(
    "validation",
    detail ??
      (issues.length === 1 && first
        ? `${first.in} ${first.name}: ${first.detail}`
        : `${issues.length} problems in the request`),
    { issues },
  );
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
  message?: string;
}

export function createErrorHandler(
  onUnexpected: (error: unknown, req: Request) => void,
): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof HttpProblem) return sendProblem(req, res, error);
    const parserError = error as BodyParserError;
    if (parserError.type === "entity.parse.failed") {
      return sendProblem(
        req,
        res,
        new HttpProblem(
          "malformedJson",
          `the body is not valid JSON: ${parserError.message ?? ""}`.trim(),
        ),
      );
    }
    if (parserError.type === "entity.too.large") {
      return sendProblem(
        req,
        res,
        new HttpProblem(
          "payloadTooLarge",
          `the body is larger than the ${parserError.limit ?? "configured"} byte limit`,
        ),
      );
    }
    if (parserError.type === "encoding.unsupported" || parserError.type === "charset.unsupported") {
      return sendProblem(
        req,
        res,
        new HttpProblem("unsupportedMediaType", parserError.message ?? "unsupported encoding"),
      );
    }
    onUnexpected(error, req);
    sendProblem(
      req,
      res,
      new HttpProblem("internal", "an unexpected error occurred; it has been logged", {
        retryable: true,
      }),
    );
  };
}
