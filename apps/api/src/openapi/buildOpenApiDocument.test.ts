import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { endpoints } from "../endpoints";
import { defineEndpoint, type Endpoint } from "../http/endpoint";
import {
  buildOpenApiDocument,
  type JsonSchema,
  type OpenApiDocument,
  openApiPath,
  pathParameterNames,
} from "./buildOpenApiDocument";
import { renderReferencePage } from "./renderReferencePage";

type Spec = { components: { schemas: Record<string, JsonSchema> }; [key: string]: unknown };

const readSpec = (name: string) =>
  parse(readFileSync(new URL(`./ampersand/${name}`, import.meta.url), "utf8")) as Spec;
const ampersandWrite = readSpec("api_write.yaml");
const ampersandProblem = readSpec("problem_problem.yaml");

const document = buildOpenApiDocument(endpoints);
const writePath =
  "/v1/projects/{projectIdOrName}/integrations/{integrationId}/objects/{objectName}";

function resolveIn(root: { components: { schemas: Record<string, JsonSchema> } }) {
  const resolve = (schema: JsonSchema): JsonSchema => {
    const ref = schema.$ref;
    if (typeof ref !== "string") return schema;
    const name = ref.split("/").pop() ?? "";
    const target = root.components.schemas[name];
    if (!target) throw new Error(`unresolved ${ref}`);
    return resolve(target);
  };
  return resolve;
}
const ours = resolveIn(document);
const theirs = resolveIn(ampersandWrite);

/** Requirements ours may add below the top level, each with the reason it is safe. */
const extraRequiredAllowed = new Map([
  // A header without a name or a value cannot be forwarded to Salesforce.
  ["headers[].key", true],
  ["headers[].value", true],
]);

/**
 * Whether a client written against Ampersand's schema works with ours at `path`: same type, same
 * enum values, same bounds and defaults, every property of theirs present and everything they
 * require required. A request must not require more than theirs (except where listed above), so
 * Writ's extra request properties are optional; a response may always send more of what they
 * declare, but nothing they forbid.
 */
function expectCompatible(
  oursRaw: JsonSchema,
  theirsRaw: JsonSchema,
  path: string,
  direction: "request" | "response",
): void {
  const a = ours(oursRaw);
  const b = theirs(theirsRaw);
  if (b.type !== undefined) expect(a.type, `${path}: type`).toEqual(b.type);
  if (b.enum !== undefined) {
    expect([...(a.enum as unknown[])].sort(), `${path}: enum`).toEqual(
      [...(b.enum as unknown[])].sort(),
    );
  }
  for (const bound of ["minimum", "maximum", "minItems", "maxItems", "default"]) {
    if (b[bound] !== undefined) expect(a[bound], `${path}: ${bound}`).toEqual(b[bound]);
  }
  const theirProperties = (b.properties ?? {}) as Record<string, JsonSchema>;
  const ourProperties = (a.properties ?? {}) as Record<string, JsonSchema>;
  const theirRequired = new Set((b.required as string[] | undefined) ?? []);
  const ourRequired = new Set((a.required as string[] | undefined) ?? []);
  for (const name of theirRequired) expect(ourRequired, `${path}: required`).toContain(name);
  for (const name of ourRequired) {
    if (direction === "request" && !theirRequired.has(name)) {
      expect(
        extraRequiredAllowed.has(`${path}.${name}`.replace(/^\./, "")),
        `${path}.${name}`,
      ).toBe(true);
    }
  }
  for (const [name, property] of Object.entries(theirProperties)) {
    const ourProperty = ourProperties[name];
    expect(ourProperty, `${path}.${name} is missing`).toBeDefined();
    if (ourProperty) {
      expectCompatible(ourProperty, property, `${path}.${name}`.replace(/^\./, ""), direction);
    }
  }
  if (direction === "response" && b.additionalProperties === false) {
    for (const name of Object.keys(ourProperties)) {
      expect(theirProperties, `${path}: ${name} is not Ampersand's`).toHaveProperty(name);
    }
  }
  if (b.items) {
    expect(a.items, `${path}: items`).toBeDefined();
    expectCompatible(a.items as JsonSchema, b.items as JsonSchema, `${path}[]`, direction);
  }
}

function walk(value: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
  } else if (typeof value === "object" && value !== null) {
    visit(value as Record<string, unknown>);
    for (const inner of Object.values(value)) walk(inner, visit);
  }
}

const refsOf = (schema: JsonSchema | undefined) =>
  ((schema?.oneOf ?? schema?.anyOf ?? [schema]) as JsonSchema[]).map((s) => s?.$ref);

describe("buildOpenApiDocument", () => {
  it("is an OpenAPI 3.1 document that survives JSON", () => {
    const json = JSON.parse(JSON.stringify(document)) as OpenApiDocument;
    expect(json).toEqual(document);
    expect(json.openapi).toBe("3.1.0");
    expect(json.info.title).toBe("Writ API");
    expect(json.servers).toEqual([{ url: "/", description: expect.any(String) }]);
    expect(
      buildOpenApiDocument(endpoints, { serverUrl: "https://writ.example.com/" }).servers[0]?.url,
    ).toBe("https://writ.example.com");
  });

  it("lists every endpoint once, under its OpenAPI path, with a unique operationId", () => {
    const seen = new Set<string>();
    for (const endpoint of endpoints) {
      const operation = document.paths[openApiPath(endpoint.path)]?.[endpoint.method];
      expect(operation, `${endpoint.method} ${endpoint.path}`).toBeDefined();
      expect(operation?.summary).toBe(endpoint.summary);
      expect(seen.has(operation?.operationId ?? "")).toBe(false);
      seen.add(operation?.operationId ?? "");
    }
    const operationCount = Object.values(document.paths).flatMap((item) =>
      Object.keys(item),
    ).length;
    expect(operationCount).toBe(endpoints.length);
  });

  it("has every endpoint say what it answers on success, under a named operation and tag", () => {
    for (const endpoint of endpoints) {
      const where = `${endpoint.method} ${endpoint.path}`;
      const statuses = Object.keys(endpoint.responses ?? {});
      expect(
        statuses.some((status) => status.startsWith("2")),
        where,
      ).toBe(true);
      expect(endpoint.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(endpoint.tags?.length, where).toBeGreaterThan(0);
    }
  });

  it("turns Express paths into path templates", () => {
    expect(openApiPath("/v1/projects/:projectIdOrName/integrations\\:batch")).toBe(
      "/v1/projects/{projectIdOrName}/integrations:batch",
    );
    expect(openApiPath("/a/:b/c/:d_e")).toBe("/a/{b}/c/{d_e}");
    for (const path of Object.keys(document.paths)) {
      expect(path).not.toMatch(/\\|\/:/);
    }
    expect(
      document.paths["/v1/projects/{projectIdOrName}/connections:generate"]?.post,
    ).toBeDefined();
  });

  it("declares every path parameter, required, and no path parameter the path lacks", () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const operation of Object.values(item)) {
        const declared = operation?.parameters.filter((p) => p.in === "path") ?? [];
        expect(declared.map((p) => p.name).sort(), `${path}`).toEqual(
          pathParameterNames(path).sort(),
        );
        for (const parameter of declared) expect(parameter.required).toBe(true);
      }
    }
  });

  it("resolves every $ref to a component", () => {
    const names = new Set(Object.keys(document.components.schemas));
    let refs = 0;
    walk(document, (node) => {
      if (typeof node.$ref === "string") {
        refs++;
        expect(node.$ref).toMatch(/^#\/components\/schemas\//);
        expect(names).toContain(node.$ref.replace("#/components/schemas/", ""));
      }
    });
    expect(refs).toBeGreaterThan(50);
    for (const name of [
      "WriteRequest",
      "WriteResponseSingleSuccess",
      "WriteResponseSingleFail",
      "WriteResponseBatch",
      "WriteResult",
      "WriteAccepted",
      "ApiProblem",
      "InputValidationProblem",
      "Project",
      "ApiKey",
      "Integration",
      "Revision",
      "Connection",
      "Installation",
      "Operation",
    ]) {
      expect(names).toContain(name);
    }
  });

  it("states who may call each endpoint", () => {
    const schemes = document.components.securitySchemes;
    expect(schemes.APIKeyHeader).toEqual(
      expect.objectContaining({ type: "apiKey", in: "header", name: "X-Api-Key" }),
    );
    expect(schemes.AdminToken).toEqual(expect.objectContaining({ type: "http", scheme: "bearer" }));
    expect(document.paths["/v1/projects"]?.post?.security).toEqual([{ AdminToken: [] }]);
    expect(document.paths[writePath]?.post?.security).toContainEqual({ APIKeyHeader: [] });
    expect(document.paths[writePath]?.post?.security).not.toContainEqual({ AdminToken: [] });
    expect(document.paths["/v1/projects"]?.get?.security).toContainEqual({ AdminToken: [] });
  });

  it("adds the failures every endpoint of a kind can answer, as problems", () => {
    const write = document.paths[writePath]?.post;
    for (const status of ["400", "401", "413", "415", "default"]) {
      expect(Object.keys(write?.responses[status]?.content ?? {}), status).toEqual([
        "application/problem+json",
      ]);
    }
    expect(write?.responses["400"]?.content?.["application/problem+json"]?.schema).toEqual({
      $ref: "#/components/schemas/InputValidationProblem",
    });
    const listProjects = document.paths["/v1/projects"]?.get;
    expect(listProjects?.responses["400"]).toBeUndefined();
    expect(listProjects?.responses["413"]).toBeUndefined();
    expect(listProjects?.responses["401"]).toBeDefined();
  });

  it("refuses endpoint lists it cannot describe", () => {
    const base = {
      method: "get" as const,
      path: "/v1/things/:thingId",
      auth: "none" as const,
      summary: "a thing",
      handle: async () => undefined,
    };
    const a = defineEndpoint({ ...base, operationId: "getThing" }) as Endpoint;
    expect(() => buildOpenApiDocument([a, { ...a, method: "delete" }])).toThrow(/getThing/);
    const misnamed = defineEndpoint({ ...base, params: z.object({ other: z.string() }) });
    expect(() => buildOpenApiDocument([misnamed as Endpoint])).toThrow(/other/);
    const bare = buildOpenApiDocument([defineEndpoint(base) as Endpoint]);
    expect(bare.paths["/v1/things/{thingId}"]?.get?.parameters).toEqual([
      { name: "thingId", in: "path", required: true, schema: { type: "string" } },
    ]);
    expect(bare.paths["/v1/things/{thingId}"]?.get?.security).toEqual([]);
  });
});

describe("the write endpoint against Ampersand's api_write.yaml", () => {
  const [ampersandPath, ampersandItem] = Object.entries(
    ampersandWrite.paths as Record<string, { post: Record<string, any> }>,
  )[0] ?? ["", { post: {} }];
  const ampersandBase = new URL((ampersandWrite.servers as Array<{ url: string }>)[0]?.url ?? "")
    .pathname;
  const write = document.paths[writePath]?.post;

  it("has the same path template and path parameters", () => {
    expect(`${ampersandBase}${ampersandPath}`).toBe(writePath);
    expect(write).toBeDefined();
    expect(write?.operationId).toBe(ampersandItem.post.operationId);
    const theirParameters = (ampersandItem.post.parameters as Array<{ name: string; in: string }>)
      .map((p) => `${p.in}:${p.name}`)
      .sort();
    const ourPathParameters = (write?.parameters ?? [])
      .filter((p) => p.in === "path")
      .map((p) => `${p.in}:${p.name}`)
      .sort();
    expect(ourPathParameters).toEqual(theirParameters);
  });

  it("takes a WriteRequest with the same required properties", () => {
    const body = write?.requestBody?.content["application/json"]?.schema ?? {};
    expect(body).toEqual({ $ref: "#/components/schemas/WriteRequest" });
    const theirRequest = ampersandWrite.components.schemas.WriteRequest ?? {};
    expect([...((ours(body).required as string[]) ?? [])].sort()).toEqual(
      [...(theirRequest.required as string[])].sort(),
    );
    expect((theirRequest.required as string[]).sort()).toEqual(["groupRef", "type"]);
  });

  it("accepts every WriteRequest property Ampersand defines, with compatible types and bounds", () => {
    const body = ours({ $ref: "#/components/schemas/WriteRequest" });
    expectCompatible(body, ampersandWrite.components.schemas.WriteRequest ?? {}, "", "request");
    const properties = body.properties as Record<string, JsonSchema>;
    expect(properties.type?.enum).toEqual(["create", "update", "delete"]);
    expect(properties.mode?.enum).toEqual(["synchronous", "asynchronous"]);
    expect(properties.batch).toMatchObject({ minItems: 1, maxItems: 100 });
    expect(properties.retryPolicy).toMatchObject({
      properties: { deadlineHours: { type: "integer", minimum: 1, maximum: 48 } },
    });
    expect(properties.autoBatchPolicy).toMatchObject({
      required: ["maxDelayMinutes"],
      properties: { maxDelayMinutes: { type: "integer", minimum: 1, maximum: 1440 } },
    });
    expect(properties.headers).toMatchObject({
      type: "array",
      items: { properties: { key: { type: "string" }, value: { type: "string" } } },
    });
    expect(properties.associations?.type).toBe("array");
    // Writ's own additions stay optional, so Ampersand clients never need them.
    expect(properties.dryRun).toEqual(expect.objectContaining({ type: "boolean" }));
  });

  it("documents the Idempotency-Key header", () => {
    expect(write?.parameters).toContainEqual(
      expect.objectContaining({ name: "Idempotency-Key", in: "header", required: false }),
    );
  });

  it("answers 200 (single or batch), 202 and 422 (single or batch) in Ampersand's shapes", () => {
    const json = (status: string) =>
      write?.responses[status]?.content?.["application/json"]?.schema;
    expect(refsOf(json("200"))).toEqual(
      expect.arrayContaining([
        "#/components/schemas/WriteResponseSingleSuccess",
        "#/components/schemas/WriteResponseBatch",
      ]),
    );
    expect(refsOf(json("422"))).toEqual(
      expect.arrayContaining([
        "#/components/schemas/WriteResponseSingleFail",
        "#/components/schemas/WriteResponseBatch",
      ]),
    );
    const accepted = ours(json("202") ?? {});
    expect(accepted.required).toEqual(["operationId"]);
    expect(write?.responses["202"]?.headers?.Location).toBeDefined();
    // A provider refusal is application/json like Ampersand's; Writ's own refusals are problems.
    expect(Object.keys(write?.responses["422"]?.content ?? {}).sort()).toEqual([
      "application/json",
      "application/problem+json",
    ]);
  });

  for (const name of [
    "WriteResponseSingleSuccess",
    "WriteResponseSingleFail",
    "WriteResponseBatch",
    "WriteResult",
  ]) {
    it(`answers ${name} with Ampersand's property names and required properties`, () => {
      const ourSchema = document.components.schemas[name] ?? {};
      const theirSchema = ampersandWrite.components.schemas[name] ?? {};
      expect(Object.keys(ourSchema.properties as object).sort()).toEqual(
        Object.keys(theirSchema.properties as object).sort(),
      );
      expect([...((ourSchema.required as string[]) ?? [])].sort()).toEqual(
        [...((theirSchema.required as string[]) ?? [])].sort(),
      );
      expect(ourSchema.additionalProperties).toBe(theirSchema.additionalProperties);
      expectCompatible(ourSchema, theirSchema, name, "response");
    });
  }

  it("answers problems with Ampersand's problem properties, typed alike", () => {
    const schemas = ampersandProblem.components.schemas;
    const theirApiProblem = {
      ...(schemas.Problem?.properties as object),
      ...(schemas.ApiProblem?.properties as object),
    } as Record<string, JsonSchema>;
    const ourProblem = document.components.schemas.ApiProblem?.properties as Record<
      string,
      JsonSchema
    >;
    for (const [name, property] of Object.entries(ourProblem)) {
      const theirProperty = theirApiProblem[name];
      expect(theirProperty, `ApiProblem.${name} is not Ampersand's`).toBeDefined();
      expect(property.type, name).toBe(theirProperty?.type);
    }
    const theirIssue = schemas.InputValidationIssue?.properties as Record<string, JsonSchema>;
    const ourIssue = document.components.schemas.InputValidationIssue ?? {};
    expect((ourIssue.properties as Record<string, JsonSchema>).in?.enum).toEqual(
      theirIssue.in?.enum,
    );
    const ourIssues = document.components.schemas.InputValidationProblem?.properties ?? {};
    expect(ourIssues).toHaveProperty("issues", {
      type: "array",
      items: { $ref: "#/components/schemas/InputValidationIssue" },
      description: expect.any(String),
    });
  });
});

describe("renderReferencePage", () => {
  const page = renderReferencePage(document);

  it("is one offline page titled Writ API with an anchor per endpoint", () => {
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain("<title>Writ API</title>");
    expect(page).toContain(writePath);
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item)) {
        expect(page).toContain(`id="${operation?.operationId}"`);
        expect(page).toContain(`href="#${operation?.operationId}"`);
      }
    }
    // Nothing is fetched from elsewhere: no external scripts, styles or fonts.
    expect(page).not.toMatch(/<script[^>]+src=/);
    expect(page).not.toMatch(/<link[^>]+stylesheet/);
    expect(page).not.toMatch(/url\(\s*["']?https?:/);
    expect(page).toContain('id="search"');
  });

  it("shows parameters, the request body's properties, response codes and schemas", () => {
    const writeSection = page.slice(page.indexOf('id="writeRecords"'));
    const section = writeSection.slice(0, writeSection.indexOf("</article>"));
    expect(section).toContain("Idempotency-Key");
    expect(section).toContain('href="#schema-WriteRequest"');
    for (const status of ["200", "202", "400", "404", "409", "422"]) {
      expect(section).toContain(`<span class="status s${status.charAt(0)}xx">${status}</span>`);
    }
    expect(page).toContain('id="schema-WriteRequest"');
    const schemaSection = page.slice(page.indexOf('id="schema-WriteRequest"'));
    expect(schemaSection).toContain("<code>autoBatchPolicy</code>");
    expect(schemaSection).toContain("≤ 1440");
  });

  it("escapes what it shows", () => {
    const hostile = buildOpenApiDocument([
      defineEndpoint({
        method: "get",
        path: "/v1/x",
        auth: "none",
        summary: "<script>alert(1)</script>",
        operationId: 'x"><img src=x onerror=alert(1)>',
        handle: async () => undefined,
      }) as Endpoint,
    ]);
    const html = renderReferencePage(hostile);
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
