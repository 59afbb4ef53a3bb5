import { inputValidationProblemSchema, problemSchema } from "@writ/contracts";
import { z } from "zod";
import packageJson from "../../package.json" with { type: "json" };
import type { AuthRequirement } from "../http/auth";
import type { Endpoint, EndpointResponse } from "../http/endpoint";

export type JsonSchema = { [key: string]: unknown };

export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiMediaType {
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
  parameters: OpenApiParameter[];
  requestBody?: { required: true; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse>;
}

export type HttpMethod = Endpoint["method"];

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string; description: string }>;
  tags: Array<{ name: string; description?: string }>;
  security: Array<Record<string, string[]>>;
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

export interface OpenApiOptions {
  /**
   * Absolute base URL the API is reached at (WRIT_PUBLIC_URL). Without it the document names
   * `/`, which clients resolve against the URL they fetched the document from.
   */
  serverUrl?: string | undefined;
}

const tagDescriptions: Record<string, string> = {
  Write: "Write records into a customer's SaaS account through its installation",
  Operation: "Follow a write: status, per-record results, provider record IDs",
  Project: "Projects hold integrations, connections, installations and API keys",
  "API Key": "Keys that authenticate an application to one project",
  Integration: "Integrations deployed from an amp.yaml manifest, each with its revisions",
  Connection: "A customer's credentials for one provider (never returned)",
  Installation: "An integration installed for one customer group, with its config",
};

const securitySchemes = {
  APIKeyHeader: {
    type: "apiKey",
    in: "header",
    name: "X-Api-Key",
    description: "A project's API key",
  },
  APIKeyQueryParam: {
    type: "apiKey",
    in: "query",
    name: "apiKey",
    description: "A project's API key, for clients that cannot set headers",
  },
  AdminToken: {
    type: "http",
    scheme: "bearer",
    description: "The operator's admin token (WRIT_ADMIN_TOKEN)",
  },
};

const securityByAuth: Record<AuthRequirement, Array<Record<string, string[]>>> = {
  none: [],
  admin: [{ AdminToken: [] }],
  apiKey: [{ APIKeyHeader: [] }, { APIKeyQueryParam: [] }],
  adminOrApiKey: [{ APIKeyHeader: [] }, { APIKeyQueryParam: [] }, { AdminToken: [] }],
};

/** `/integrations/:integrationId/x\\:batch` → `/integrations/{integrationId}/x:batch`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/(?<!\\):([A-Za-z_][A-Za-z0-9_]*)/g, "{$1}").replace(/\\:/g, ":");
}

export function pathParameterNames(openApiPathTemplate: string): string[] {
  return [...openApiPathTemplate.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? "");
}

/**
 * Converts zod schemas to JSON Schema 2020-12 (OpenAPI 3.1's dialect) and collects every schema
 * named with `.meta({ id })` as a component, so each appears once and is referenced elsewhere.
 */
class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  toJsonSchema(schema: z.ZodType): JsonSchema {
    // Input: the document describes what a client may send (defaults make fields optional).
    const converted = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io: "input",
      override: ({ jsonSchema }) => {
        // zod spells RFC 3339 out as a long regex too; the format says the same for readers.
        if (jsonSchema.format === "date-time") delete jsonSchema.pattern;
      },
    });
    const { $schema: _dialect, $defs, ...root } = converted as JsonSchema;
    for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, unknown>)) {
      const relocated = relocateRefs(definition) as JsonSchema;
      const known = this.schemas[name];
      if (known && JSON.stringify(known) !== JSON.stringify(relocated)) {
        throw new Error(`two different schemas are named ${name}`);
      }
      this.schemas[name] = relocated;
    }
    return relocateRefs(root) as JsonSchema;
  }
}

function relocateRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relocateRefs);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === "$ref" && typeof inner === "string"
        ? inner.replace(/^#\/\$defs\//, "#/components/schemas/")
        : relocateRefs(inner),
    ]),
  );
}

function objectProperties(
  json: JsonSchema,
  what: string,
): { properties: Record<string, JsonSchema>; required: string[] } {
  if (json.type !== "object" || typeof json.properties !== "object") {
    throw new Error(`${what} must be a zod object`);
  }
  return {
    properties: json.properties as Record<string, JsonSchema>,
    required: (json.required as string[] | undefined) ?? [],
  };
}

function parameter(
  name: string,
  location: OpenApiParameter["in"],
  required: boolean,
  property: JsonSchema,
): OpenApiParameter {
  const { description, ...schema } = property;
  return {
    name,
    in: location,
    required,
    ...(typeof description === "string" ? { description } : {}),
    schema,
  };
}

function parametersOf(
  endpoint: Endpoint,
  path: string,
  components: SchemaComponents,
): OpenApiParameter[] {
  const where = `${endpoint.method.toUpperCase()} ${endpoint.path}`;
  const pathNames = pathParameterNames(path);
  const declared = endpoint.params
    ? objectProperties(components.toJsonSchema(endpoint.params), `params of ${where}`).properties
    : {};
  for (const name of Object.keys(declared)) {
    if (!pathNames.includes(name)) throw new Error(`${where} declares ${name}, not in its path`);
  }
  const parameters = pathNames.map((name) =>
    parameter(name, "path", true, declared[name] ?? { type: "string" }),
  );
  const optionalIn = (schema: z.ZodType | undefined, location: "query" | "header") => {
    if (!schema) return;
    const { properties, required } = objectProperties(
      components.toJsonSchema(schema),
      `${location} of ${where}`,
    );
    for (const [name, property] of Object.entries(properties)) {
      parameters.push(parameter(name, location, required.includes(name), property));
    }
  };
  optionalIn(endpoint.query, "query");
  optionalIn(endpoint.requestHeaders, "header");
  return parameters;
}

function problem(description: string, schema: z.ZodType = problemSchema): EndpointResponse {
  return { description, schema, contentType: "application/problem+json" };
}

/** The failures every endpoint of a kind can answer, unless it describes them itself. */
function commonResponses(endpoint: Endpoint): Record<string, EndpointResponse> {
  const common: Record<string, EndpointResponse> = {};
  if (endpoint.params || endpoint.query || endpoint.body || endpoint.requestHeaders) {
    common["400"] = problem(
      "The request is not valid: every issue is listed with where it is",
      inputValidationProblemSchema,
    );
  }
  if (endpoint.auth !== "none") {
    common["401"] = problem("No credentials, or credentials this endpoint does not accept");
  }
  if (endpoint.body) {
    common["413"] = problem("The body is larger than the configured limit");
    common["415"] = problem("The body is not sent as application/json");
  }
  common.default = problem("Any other failure, as an RFC 9457 problem");
  return common;
}

function responseOf(response: EndpointResponse, components: SchemaComponents): OpenApiResponse {
  const out: OpenApiResponse = { description: response.description };
  if (response.headers) {
    out.headers = Object.fromEntries(
      Object.entries(response.headers).map(([name, header]) => [
        name,
        {
          description: header.description,
          schema: header.schema ? components.toJsonSchema(header.schema) : { type: "string" },
        },
      ]),
    );
  }
  const content: Record<string, OpenApiMediaType> = {};
  if (response.schema) {
    content[response.contentType ?? "application/json"] = {
      schema: components.toJsonSchema(response.schema),
    };
  }
  for (const [mediaType, schema] of Object.entries(response.otherContent ?? {})) {
    content[mediaType] = { schema: components.toJsonSchema(schema) };
  }
  if (Object.keys(content).length > 0) out.content = content;
  return out;
}

function derivedOperationId(method: string, path: string): string {
  const words = path
    .split(/[/:]/)
    .filter((part) => part && part !== "v1" && !part.startsWith("{"))
    .map((part) =>
      part.replace(/(^|-)([a-z])/g, (_m, _dash, letter: string) => letter.toUpperCase()),
    );
  return `${method}${words.join("")}`;
}

function tagOf(endpoint: Endpoint): string[] {
  return endpoint.tags && endpoint.tags.length > 0 ? endpoint.tags : ["API"];
}

/**
 * The OpenAPI 3.1 document of the API, generated from the endpoint definitions: the same zod
 * schemas that validate requests describe them here, so the document cannot drift from the code.
 */
export function buildOpenApiDocument(
  endpoints: readonly Endpoint[],
  options: OpenApiOptions = {},
): OpenApiDocument {
  const components = new SchemaComponents();
  const paths: OpenApiDocument["paths"] = {};
  const operationIds = new Set<string>();
  const tagNames: string[] = [];

  for (const endpoint of endpoints) {
    const path = openApiPath(endpoint.path);
    const operationId = endpoint.operationId ?? derivedOperationId(endpoint.method, path);
    if (operationIds.has(operationId)) throw new Error(`operationId ${operationId} is used twice`);
    operationIds.add(operationId);
    const tags = tagOf(endpoint);
    for (const tag of tags) if (!tagNames.includes(tag)) tagNames.push(tag);

    const responses: Record<string, OpenApiResponse> = {};
    for (const [status, response] of Object.entries(endpoint.responses ?? {})) {
      responses[status] = responseOf(response, components);
    }
    for (const [status, response] of Object.entries(commonResponses(endpoint))) {
      responses[status] ??= responseOf(response, components);
    }

    const operation: OpenApiOperation = {
      operationId,
      summary: endpoint.summary,
      ...(endpoint.description ? { description: endpoint.description } : {}),
      tags,
      security: securityByAuth[endpoint.auth],
      parameters: parametersOf(endpoint, path, components),
      ...(endpoint.body
        ? {
            requestBody: {
              required: true as const,
              content: { "application/json": { schema: components.toJsonSchema(endpoint.body) } },
            },
          }
        : {}),
      responses,
    };
    const item = paths[path] ?? {};
    paths[path] = item;
    if (item[endpoint.method]) throw new Error(`${endpoint.method} ${path} is defined twice`);
    item[endpoint.method] = operation;
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Writ API",
      version: packageJson.version,
      description:
        "Write records into your customers' SaaS accounts (HubSpot, Salesforce) through their installations. The write endpoint is wire-compatible with Ampersand's Write API. Errors are RFC 9457 problems (application/problem+json).",
    },
    servers: [
      {
        url: options.serverUrl?.replace(/\/$/, "") || "/",
        description: options.serverUrl ? "This deployment" : "The host serving this document",
      },
    ],
    tags: tagNames.map((name) => ({
      name,
      ...(tagDescriptions[name] ? { description: tagDescriptions[name] } : {}),
    })),
    security: securityByAuth.apiKey,
    paths,
    components: { schemas: sortedByName(components.schemas), securitySchemes },
  };
}

function sortedByName<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
