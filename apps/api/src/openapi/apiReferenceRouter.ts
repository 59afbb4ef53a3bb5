import { Router } from "express";
import type { Endpoint } from "../http/endpoint";
import { buildOpenApiDocument, type OpenApiOptions } from "./buildOpenApiDocument";
import { renderReferencePage } from "./renderReferencePage";

/**
 * `GET /openapi.json` and `GET /docs`, without authentication. Both are built once, when the app
 * is created: the endpoint list cannot change while the process runs.
 */
export function apiReferenceRouter(
  endpoints: readonly Endpoint[],
  options: OpenApiOptions = {},
): Router {
  const document = buildOpenApiDocument(endpoints, options);
  const documentJson = JSON.stringify(document);
  const page = renderReferencePage(document);
  const router = Router();
  router.get("/openapi.json", (_req, res) => {
    res.type("application/json").send(documentJson);
  });
  router.get("/docs", (_req, res) => {
    res.type("html").send(page);
  });
  return router;
}
