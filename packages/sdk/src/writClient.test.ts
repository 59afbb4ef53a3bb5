import { describe, expect, it } from "vitest";
import { WritApiError, WritConnectionError } from "./writApiError";
import { WritClient } from "./writClient";

interface SeenRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records each request and answers from a queue. */
function fakeFetch(...answers: Array<Response | (() => Response)>) {
  const seen: SeenRequest[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [
        k.toLowerCase(),
        v,
      ]),
    );
    seen.push({
      url: String(input),
      method: init?.method ?? "GET",
      headers,
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    return typeof next === "function" ? next() : next;
  }) as typeof fetch;
  return { fetchImpl, seen };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
const problem = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json" },
  });

function client(
  fetchImpl: typeof fetch,
  credentials: { apiKey?: string; adminToken?: string } = { apiKey: "wk_test" },
) {
  return new WritClient({
    baseUrl: "http://writ.test/",
    fetch: fetchImpl,
    userAgent: "test-agent",
    ...credentials,
  });
}

describe("WritClient requests", () => {
  it("deploys a manifest with PUT integrations:batch, the API key and a JSON body", async () => {
    const { fetchImpl, seen } = fakeFetch(json(200, [{ id: "i1", name: "hs" }]));
    const integrations = await client(fetchImpl).deployManifest(
      "my project",
      "specVersion: 1.0.0\n",
    );
    expect(integrations).toEqual([{ id: "i1", name: "hs" }]);
    expect(seen[0]).toMatchObject({
      url: "http://writ.test/v1/projects/my%20project/integrations:batch",
      method: "PUT",
      body: { sourceYaml: "specVersion: 1.0.0\n" },
    });
    expect(seen[0]?.headers).toMatchObject({
      "x-api-key": "wk_test",
      "content-type": "application/json",
      "user-agent": "test-agent",
    });
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it("sends only the admin token to admin endpoints, even when an API key is configured", async () => {
    const { fetchImpl, seen } = fakeFetch(json(201, { id: "p1", name: "acme" }));
    await client(fetchImpl, { apiKey: "wk_test", adminToken: "adm" }).createProject({
      name: "acme",
    });
    expect(seen[0]?.url).toBe("http://writ.test/v1/projects");
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.headers.authorization).toBe("Bearer adm");
    expect(seen[0]?.headers["x-api-key"]).toBeUndefined();
  });

  it("prefers the admin token where either credential works, and falls back to the key", async () => {
    const { fetchImpl, seen } = fakeFetch(json(200, []), json(200, []));
    await client(fetchImpl, { apiKey: "wk_test", adminToken: "adm" }).listProjects();
    await client(fetchImpl, { apiKey: "wk_test" }).listApiKeys("p1");
    expect(seen[0]?.headers.authorization).toBe("Bearer adm");
    expect(seen[1]?.headers["x-api-key"]).toBe("wk_test");
    expect(seen[1]?.url).toBe("http://writ.test/v1/projects/p1/api-keys");
  });

  it("builds the write path and sends the Idempotency-Key header", async () => {
    const { fetchImpl, seen } = fakeFetch(
      json(
        202,
        { operationId: "op1" },
        { location: "http://writ.test/v1/projects/p1/operations/op1" },
      ),
    );
    const answer = await client(fetchImpl).write(
      "p1",
      "write-to-hubspot",
      "contact",
      { groupRef: "g1", type: "create", mode: "asynchronous", record: { email: "a@b.c" } },
      { idempotencyKey: "run-1-batch-0" },
    );
    expect(seen[0]?.url).toBe(
      "http://writ.test/v1/projects/p1/integrations/write-to-hubspot/objects/contact",
    );
    expect(seen[0]?.headers["idempotency-key"]).toBe("run-1-batch-0");
    expect(seen[0]?.body).toEqual({
      groupRef: "g1",
      type: "create",
      mode: "asynchronous",
      record: { email: "a@b.c" },
    });
    expect(answer).toEqual({
      status: 202,
      body: { operationId: "op1" },
      location: "http://writ.test/v1/projects/p1/operations/op1",
      replayed: false,
    });
  });

  it("omits the Idempotency-Key header when none is given, and reports replays", async () => {
    const { fetchImpl, seen } = fakeFetch(
      json(
        200,
        { operationId: "op1", result: { success: true } },
        { "idempotent-replayed": "true" },
      ),
    );
    const answer = await client(fetchImpl).write("p1", "i1", "contact", {
      groupRef: "g",
      type: "create",
      record: {},
    });
    expect(seen[0]?.headers["idempotency-key"]).toBeUndefined();
    expect(answer.replayed).toBe(true);
  });

  it("answers a provider refusal (422 with an operation) instead of throwing", async () => {
    const body = {
      operationId: "op2",
      errors: [{ message: "Email address x is invalid" }],
      result: { success: false },
    };
    const { fetchImpl } = fakeFetch(json(422, body));
    const answer = await client(fetchImpl).write("p1", "i1", "contact", {
      groupRef: "g",
      type: "create",
      record: {},
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual(body);
  });

  it("throws on a 422 problem from the write endpoint", async () => {
    const { fetchImpl } = fakeFetch(
      problem(422, {
        type: "urn:writ:problem:idempotency-mismatch",
        title: "t",
        status: 422,
        detail: "key reused",
      }),
    );
    await expect(
      client(fetchImpl).write("p1", "i1", "contact", { groupRef: "g", type: "create", record: {} }),
    ).rejects.toMatchObject({ name: "WritApiError", status: 422, message: "key reused" });
  });

  it("puts filters in the query string and leaves out the ones not given", async () => {
    const { fetchImpl, seen } = fakeFetch(
      json(200, { operations: [], pagination: { done: true } }),
    );
    await client(fetchImpl).listOperations("p1", { status: "failure", groupRef: "g 1", limit: 20 });
    const url = new URL(seen[0]?.url ?? "");
    expect(url.pathname).toBe("/v1/projects/p1/operations");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: "failure",
      groupRef: "g 1",
      limit: "20",
    });
  });

  it("follows pagination tokens when iterating operations", async () => {
    const { fetchImpl, seen } = fakeFetch(
      json(200, {
        operations: [{ id: "a" }, { id: "b" }],
        pagination: { done: false, nextPageToken: "t2" },
      }),
      json(200, { operations: [{ id: "c" }], pagination: { done: true } }),
    );
    const ids: string[] = [];
    for await (const operation of client(fetchImpl).iterateOperations("p1", { limit: 2 }))
      ids.push(operation.id);
    expect(ids).toEqual(["a", "b", "c"]);
    expect(new URL(seen[1]?.url ?? "").searchParams.get("cursor")).toBe("t2");
  });

  it("posts a replay to the operation's :replay path", async () => {
    const { fetchImpl, seen } = fakeFetch(json(202, { operationId: "op9" }));
    expect(await client(fetchImpl).replayOperation("p1", "op1")).toEqual({ operationId: "op9" });
    expect(seen[0]).toMatchObject({
      url: "http://writ.test/v1/projects/p1/operations/op1:replay",
      method: "POST",
    });
  });

  it("resolves to nothing on 204", async () => {
    const { fetchImpl, seen } = fakeFetch(new Response(null, { status: 204 }));
    await expect(client(fetchImpl).revokeApiKey("p1", "k1")).resolves.toBeUndefined();
    expect(seen[0]).toMatchObject({
      url: "http://writ.test/v1/projects/p1/api-keys/k1",
      method: "DELETE",
    });
  });
});

describe("WritClient errors", () => {
  it("maps a problem to WritApiError with the detail and each issue on its own line", async () => {
    const { fetchImpl } = fakeFetch(
      problem(422, {
        type: "urn:writ:problem:unprocessable",
        title: "Unprocessable request",
        status: 422,
        detail: "the manifest has 1 error(s); nothing was deployed",
        issues: [
          {
            in: "body",
            name: "sourceYaml:4:15",
            detail: "integrations[0].provider: unknown provider",
            line: 4,
            column: 15,
            severity: "error",
          },
          { in: "body", name: "groupRef", detail: "Required" },
        ],
      }),
    );
    const error = await client(fetchImpl)
      .deployManifest("p1", "x")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WritApiError);
    const apiError = error as WritApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.problem.issues).toHaveLength(2);
    expect(apiError.message).toBe(
      [
        "the manifest has 1 error(s); nothing was deployed",
        "  line 4, column 15: integrations[0].provider: unknown provider",
        "  body groupRef: Required",
      ].join("\n"),
    );
  });

  it("turns an answer that is not a problem into one", async () => {
    const { fetchImpl } = fakeFetch(
      new Response("<html><body>Bad gateway</body></html>", {
        status: 502,
        statusText: "Bad Gateway",
        headers: { "content-type": "text/html" },
      }),
    );
    const error = (await client(fetchImpl)
      .listIntegrations("p1")
      .catch((e: unknown) => e)) as WritApiError;
    expect(error).toBeInstanceOf(WritApiError);
    expect(error.status).toBe(502);
    expect(error.message).toBe(
      "HTTP 502 Bad Gateway (text/html): <html><body>Bad gateway</body></html>",
    );
  });

  it("wraps a refused connection in WritConnectionError naming the URL and the socket error", async () => {
    const fetchImpl = (async () => {
      const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
        code: "ECONNREFUSED",
      });
      throw new TypeError("fetch failed", { cause });
    }) as typeof fetch;
    const error = await client(fetchImpl)
      .listProjects()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WritConnectionError);
    expect((error as Error).message).toBe(
      "could not reach Writ at http://writ.test: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:1)",
    );
  });
});
