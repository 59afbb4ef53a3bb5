import { inputValidationProblemSchema, problemSchema } from "@writ/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type JsonResponse, startStack, type TestStack } from "../../../../test/stack";
import { endpoints } from "../endpoints";
import { deleteApiKey } from "../endpoints/deleteApiKey";
import { deleteConnection } from "../endpoints/deleteConnection";
import { deleteInstallation } from "../endpoints/deleteInstallation";
import { deleteIntegration } from "../endpoints/deleteIntegration";
import { getApiKeys } from "../endpoints/getApiKeys";
import { getConnection } from "../endpoints/getConnection";
import { getConnections } from "../endpoints/getConnections";
import { getInstallation } from "../endpoints/getInstallation";
import { getInstallations } from "../endpoints/getInstallations";
import { getIntegration } from "../endpoints/getIntegration";
import { getIntegrations } from "../endpoints/getIntegrations";
import { getOperation } from "../endpoints/getOperation";
import { getOperations } from "../endpoints/getOperations";
import { getProject } from "../endpoints/getProject";
import { getProjects } from "../endpoints/getProjects";
import { patchConnection } from "../endpoints/patchConnection";
import { patchInstallation } from "../endpoints/patchInstallation";
import { patchProject } from "../endpoints/patchProject";
import { postApiKey } from "../endpoints/postApiKey";
import { postConnectionGenerate } from "../endpoints/postConnectionGenerate";
import { postInstallation } from "../endpoints/postInstallation";
import { postProject } from "../endpoints/postProject";
import { postWrite } from "../endpoints/postWrite";
import { putIntegrationsBatch } from "../endpoints/putIntegrationsBatch";
import type { Endpoint } from "../http/endpoint";
import { buildOpenApiDocument, type OpenApiDocument, openApiPath } from "./buildOpenApiDocument";

let stack: TestStack;
let document: OpenApiDocument;

const writePath =
  "/v1/projects/{projectIdOrName}/integrations/{integrationId}/objects/{objectName}";

beforeAll(async () => {
  stack = await startStack();
  document = buildOpenApiDocument(endpoints);
});
afterAll(() => stack?.close());

/**
 * The answer matches what the document says of it: its status is listed for the endpoint, and
 * its body parses with the schema declared for that status and media type without losing
 * anything (an undeclared property would be stripped and show up as a difference).
 */
function expectDocumented(endpoint: unknown, response: JsonResponse, status: number) {
  const { method, path, responses } = endpoint as Endpoint;
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  const documented = document.paths[openApiPath(path)]?.[method]?.responses[String(status)];
  expect(documented, `${method} ${path} does not document ${status}`).toBeDefined();

  const mediaType = response.headers.get("content-type")?.split(";")[0] ?? "";
  const declared = responses?.[status];
  if (declared && !declared.schema && !declared.otherContent) {
    expect(response.body).toBeUndefined();
    return;
  }
  const schema = declared
    ? mediaType === (declared.contentType ?? "application/json")
      ? declared.schema
      : declared.otherContent?.[mediaType]
    : mediaType === "application/problem+json"
      ? status === 400
        ? inputValidationProblemSchema
        : problemSchema
      : undefined;
  expect(schema, `${method} ${path} does not document ${status} ${mediaType}`).toBeDefined();
  expect(Object.keys(documented?.content ?? {})).toContain(mediaType);
  const parsed = schema?.safeParse(response.body);
  expect(parsed?.success, JSON.stringify(parsed?.error?.issues)).toBe(true);
  expect(parsed?.data).toEqual(response.body);
}

describe("GET /openapi.json and GET /docs", () => {
  it("serves the generated document without credentials", async () => {
    const response = await call(stack.apiUrl, "GET", "/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.body).toEqual(JSON.parse(JSON.stringify(document)));
    expect(response.body.openapi).toBe("3.1.0");
    expect(response.body.paths[writePath].post.operationId).toBe("writeRecords");
  });

  it("serves the reference page without credentials", async () => {
    const response = await call(stack.apiUrl, "GET", "/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.body).toContain("<title>Writ API</title>");
    expect(response.body).toContain(writePath);
    expect(response.body).toContain('href="openapi.json"');
  });
});

describe("every answer is the one the document describes", () => {
  const admin = () => ({ Authorization: `Bearer ${stack.adminToken}` });
  let projectId: string;
  let apiKey: string;
  let keyId: string;
  const key = () => ({ "X-Api-Key": apiKey });
  const manifest = `specVersion: 1.0.0
integrations:
  - name: crm
    provider: hubspot
    write:
      objects:
        - objectName: contacts
`;
  let connectionId: string;
  let installationId: string;

  it("projects and API keys", async () => {
    const created = await call(stack.apiUrl, "POST", "/v1/projects", {
      body: { name: "documented", appName: "Documented" },
      headers: admin(),
    });
    expectDocumented(postProject, created, 201);
    projectId = created.body.id;
    expectDocumented(
      postProject,
      await call(stack.apiUrl, "POST", "/v1/projects", {
        body: { name: "documented" },
        headers: admin(),
      }),
      409,
    );
    expectDocumented(
      postProject,
      await call(stack.apiUrl, "POST", "/v1/projects", { body: { name: "-" }, headers: admin() }),
      400,
    );
    expectDocumented(
      getProjects,
      await call(stack.apiUrl, "GET", "/v1/projects", { headers: admin() }),
      200,
    );
    expectDocumented(
      getProject,
      await call(stack.apiUrl, "GET", `/v1/projects/${projectId}`, { headers: admin() }),
      200,
    );
    const patched = await call(stack.apiUrl, "PATCH", `/v1/projects/${projectId}`, {
      body: { webhookUrl: "http://127.0.0.1:9/hooks" },
      headers: admin(),
    });
    expectDocumented(patchProject, patched, 200);
    expect(patched.body.webhookSecret).toEqual(expect.any(String));

    const createdKey = await call(stack.apiUrl, "POST", `/v1/projects/${projectId}/api-keys`, {
      body: { label: "docs" },
      headers: admin(),
    });
    expectDocumented(postApiKey, createdKey, 201);
    apiKey = createdKey.body.key;
    keyId = createdKey.body.id;
    expectDocumented(
      getApiKeys,
      await call(stack.apiUrl, "GET", `/v1/projects/${projectId}/api-keys`, { headers: key() }),
      200,
    );
    expectDocumented(getProject, await call(stack.apiUrl, "GET", `/v1/projects/${projectId}`), 401);
  });

  it("integrations, connections and installations", async () => {
    const p = `/v1/projects/${projectId}`;
    expectDocumented(
      putIntegrationsBatch,
      await call(stack.apiUrl, "PUT", `${p}/integrations:batch`, {
        body: { sourceYaml: manifest },
        headers: key(),
      }),
      200,
    );
    expectDocumented(
      putIntegrationsBatch,
      await call(stack.apiUrl, "PUT", `${p}/integrations:batch`, {
        body: { sourceYaml: "specVersion: 1.0.0\nintegrations:\n  - provider: hubspot\n" },
        headers: key(),
      }),
      422,
    );
    expectDocumented(
      getIntegrations,
      await call(stack.apiUrl, "GET", `${p}/integrations`, { headers: key() }),
      200,
    );
    expectDocumented(
      getIntegration,
      await call(stack.apiUrl, "GET", `${p}/integrations/crm`, { headers: key() }),
      200,
    );
    expectDocumented(
      getIntegration,
      await call(stack.apiUrl, "GET", `${p}/integrations/nope`, { headers: key() }),
      404,
    );

    const account = stack.sandbox.admin.createAccount({ provider: "hubspot" });
    const connection = await call(stack.apiUrl, "POST", `${p}/connections:generate`, {
      body: {
        groupRef: "acme",
        consumerRef: "acme-admin",
        provider: "hubspot",
        apiKey: account.accessToken,
      },
      headers: key(),
    });
    expectDocumented(postConnectionGenerate, connection, 201);
    connectionId = connection.body.id;
    expectDocumented(
      patchConnection,
      await call(stack.apiUrl, "PATCH", `${p}/connections/${connectionId}`, {
        body: {
          updateMask: ["rateLimit"],
          connection: { rateLimit: { requests: 50, intervalMs: 10_000 } },
        },
        headers: key(),
      }),
      200,
    );
    expectDocumented(
      getConnections,
      await call(stack.apiUrl, "GET", `${p}/connections?groupRef=acme`, { headers: key() }),
      200,
    );
    expectDocumented(
      getConnection,
      await call(stack.apiUrl, "GET", `${p}/connections/${connectionId}`, { headers: key() }),
      200,
    );

    const content = {
      provider: "hubspot",
      write: { objects: { contacts: { objectName: "contacts" } } },
    };
    const installation = await call(stack.apiUrl, "POST", `${p}/integrations/crm/installations`, {
      body: { groupRef: "acme", connectionId, config: { content } },
      headers: key(),
    });
    expectDocumented(postInstallation, installation, 201);
    installationId = installation.body.id;
    expectDocumented(
      postInstallation,
      await call(stack.apiUrl, "POST", `${p}/integrations/crm/installations`, {
        body: { groupRef: "acme", connectionId, config: { content } },
        headers: key(),
      }),
      409,
    );
    expectDocumented(
      patchInstallation,
      await call(stack.apiUrl, "PATCH", `${p}/integrations/crm/installations/${installationId}`, {
        body: {
          updateMask: ["config.content.write.objects.contacts"],
          installation: {
            config: {
              content: {
                write: {
                  objects: {
                    contacts: { objectName: "contacts", deletionSettings: { enabled: false } },
                  },
                },
              },
            },
          },
        },
        headers: key(),
      }),
      200,
    );
    expectDocumented(
      getInstallations,
      await call(stack.apiUrl, "GET", `${p}/integrations/crm/installations`, { headers: key() }),
      200,
    );
    expectDocumented(
      getInstallation,
      await call(stack.apiUrl, "GET", `${p}/integrations/crm/installations/${installationId}`, {
        headers: key(),
      }),
      200,
    );
  });

  it("writes and operations", async () => {
    const write = (body: unknown) =>
      call(stack.apiUrl, "POST", `/v1/projects/${projectId}/integrations/crm/objects/contacts`, {
        body,
        headers: key(),
      });
    const written = await write({ groupRef: "acme", type: "create", record: { email: "a@x.com" } });
    expectDocumented(postWrite, written, 200);
    expectDocumented(
      postWrite,
      await write({ groupRef: "acme", type: "create", record: { email: "not-an-email" } }),
      422,
    );
    expectDocumented(
      postWrite,
      await write({
        groupRef: "acme",
        type: "create",
        batch: [{ record: { email: "b@x.com" } }, { record: { email: "broken" } }],
      }),
      200,
    );
    expectDocumented(
      postWrite,
      await write({ groupRef: "acme", type: "create", dryRun: true, record: { email: "c@x.com" } }),
      200,
    );
    expectDocumented(
      postWrite,
      await write({
        groupRef: "acme",
        type: "delete",
        record: { id: written.body.result.recordId },
      }),
      422,
    );
    expectDocumented(
      postWrite,
      await write({ groupRef: "nobody", type: "create", record: { email: "d@x.com" } }),
      404,
    );
    expectDocumented(postWrite, await write({ type: "upsert", batch: [] }), 400);
    const accepted = await write({
      groupRef: "acme",
      type: "create",
      mode: "asynchronous",
      record: { email: "e@x.com" },
    });
    expectDocumented(postWrite, accepted, 202);

    const operationPath = `/v1/projects/${projectId}/operations/${accepted.body.operationId}`;
    let operation = await call(stack.apiUrl, "GET", operationPath, { headers: key() });
    for (let i = 0; i < 300 && operation.body?.status !== "success"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      operation = await call(stack.apiUrl, "GET", operationPath, { headers: key() });
    }
    expectDocumented(getOperation, operation, 200);
    expect(operation.body.status).toBe("success");
    expectDocumented(
      getOperations,
      await call(stack.apiUrl, "GET", `/v1/projects/${projectId}/operations?limit=2`, {
        headers: key(),
      }),
      200,
    );
    expectDocumented(
      getOperations,
      await call(stack.apiUrl, "GET", `/v1/projects/${projectId}/operations?cursor=bogus`, {
        headers: key(),
      }),
      400,
    );
  });

  it("deletions", async () => {
    const p = `/v1/projects/${projectId}`;
    expectDocumented(
      deleteConnection,
      await call(stack.apiUrl, "DELETE", `${p}/connections/${connectionId}`, { headers: key() }),
      409,
    );
    expectDocumented(
      deleteInstallation,
      await call(stack.apiUrl, "DELETE", `${p}/integrations/crm/installations/${installationId}`, {
        headers: key(),
      }),
      204,
    );
    expectDocumented(
      deleteConnection,
      await call(stack.apiUrl, "DELETE", `${p}/connections/${connectionId}`, { headers: key() }),
      204,
    );
    expectDocumented(
      deleteIntegration,
      await call(stack.apiUrl, "DELETE", `${p}/integrations/crm`, { headers: key() }),
      204,
    );
    expectDocumented(
      deleteApiKey,
      await call(stack.apiUrl, "DELETE", `${p}/api-keys/${keyId}`, { headers: admin() }),
      204,
    );
  });
});
