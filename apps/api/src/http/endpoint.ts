import { problemSchema } from "@writ/contracts";
import type { IRouter, Request, RequestHandler, Response } from "express";
import type { z } from "zod";
import type { AppDeps } from "../deps";
import { type AuthContext, type AuthRequirement, authenticate } from "./auth";
import { HttpProblem, validationProblem, zodIssues } from "./problem";

/** One answer an endpoint gives, as the OpenAPI document describes it. */
export interface EndpointResponse {
  description: string;
  /** The body's schema; absent for an empty body. */
  schema?: z.ZodType;
  /** The body's media type; application/json unless said. */
  contentType?: string;
  /** Bodies of other media types the same status can carry (e.g. a 422 problem+json). */
  otherContent?: Record<string, z.ZodType>;
  headers?: Record<string, { description: string; schema?: z.ZodType }>;
}

/**
 * One typed description per endpoint: method, path, auth, and the zod schemas of its params,
 * query, body and answers. The same object mounts the route and feeds the OpenAPI document.
 */
export interface Endpoint<P = unknown, Q = unknown, B = unknown> {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Express path; a literal colon is written `\\:` (e.g. `/integrations\\:batch`). */
  path: string;
  auth: AuthRequirement;
  summary: string;
  /** Longer prose for the reference; summary is used alone when absent. */
  description?: string;
  /** Stable name for generated clients; derived from method and path when absent. */
  operationId?: string;
  /** Reference sections the endpoint is listed under. */
  tags?: string[];
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /**
   * Request headers the handler reads. Documented only: the handler checks them itself, since
   * their problems need their own answers (e.g. a malformed Idempotency-Key).
   */
  requestHeaders?: z.ZodType;
  /**
   * Answers by status. Validation (400), authentication (401), body size and media type (413,
   * 415) and other failures are added to the document for every endpoint they apply to.
   */
  responses?: Record<number, EndpointResponse>;
  handle(ctx: EndpointContext<P, Q, B>): Promise<EndpointResult | undefined>;
}

export interface EndpointContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  auth: AuthContext;
  deps: AppDeps;
}

export interface EndpointResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  contentType?: string;
}

/** An answer carried as an RFC 9457 problem (application/problem+json). */
export function problemResponse(
  description: string,
  schema: z.ZodType = problemSchema,
): EndpointResponse {
  return { description, schema, contentType: "application/problem+json" };
}

export function defineEndpoint<P, Q, B>(endpoint: Endpoint<P, Q, B>): Endpoint<P, Q, B> {
  return endpoint;
}

function parseOrThrow<T>(
  schema: z.ZodType<T>,
  value: unknown,
  location: "path" | "query" | "body",
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationProblem(zodIssues(parsed.error, location));
  return parsed.data;
}

export function mountEndpoint<P, Q, B>(
  router: IRouter,
  endpoint: Endpoint<P, Q, B>,
  deps: AppDeps,
): void {
  const handler: RequestHandler = async (req, res, next) => {
    try {
      const auth = await authenticate(req, endpoint.auth, deps);
      const params = endpoint.params
        ? parseOrThrow(endpoint.params, req.params, "path")
        : (req.params as P);
      const query = endpoint.query
        ? parseOrThrow(endpoint.query, req.query, "query")
        : (req.query as Q);
      let body = undefined as B;
      if (endpoint.body) {
        if (!req.is("application/json")) {
          throw new HttpProblem(
            "unsupportedMediaType",
            "send the body as JSON with Content-Type: application/json",
          );
        }
        body = parseOrThrow(endpoint.body, req.body, "body");
      }
      const result = await endpoint.handle({ req, res, params, query, body, auth, deps });
      if (!result || res.headersSent) return;
      if (result.headers) res.set(result.headers);
      if (result.body === undefined) res.status(result.status).end();
      else if (result.contentType)
        res.status(result.status).type(result.contentType).send(result.body);
      else res.status(result.status).json(result.body);
    } catch (error) {
      next(error);
    }
  };
  router[endpoint.method](endpoint.path, handler);
}
