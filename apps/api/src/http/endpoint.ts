import type { Request, RequestHandler, Response, Router } from "express";
import type { z } from "zod";
import type { AppDeps } from "../deps";
import { type AuthContext, type AuthRequirement, authenticate } from "./auth";
import { HttpProblem, validationProblem, zodIssues } from "./problem";

/**
 * One typed description per endpoint: method, path, auth, and the zod schemas of its params,
 * query and body. The same object mounts the route and feeds the OpenAPI document.
 */
export interface Endpoint<P = unknown, Q = unknown, B = unknown> {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Express path; a literal colon is written `\\:` (e.g. `/integrations\\:batch`). */
  path: string;
  auth: AuthRequirement;
  summary: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
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
  router: Router,
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
