import { describe, expect, it } from "vitest";
import type { ConnectionContext } from "../connector";
import { ProviderError } from "../errors";
import { hubSpotConnector } from "./hubSpotConnector";

interface SeenRequest {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

/** Answers like HubSpot's batch create: 201 with every input created, in input order. */
function recordingHubSpot(answer?: (request: SeenRequest) => Response) {
  const seen: SeenRequest[] = [];
  const fetchImpl: typeof fetch = async (url, init) => {
    const request: SeenRequest = {
      url: String(url),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    seen.push(request);
    if (answer) return answer(request);
    const inputs = (request.body as { inputs: Array<{ objectWriteTraceId: string }> }).inputs;
    return Response.json(
      {
        status: "COMPLETE",
        results: inputs.map((input) => ({
          id: `id-${seen.length}-${input.objectWriteTraceId}`,
          objectWriteTraceId: input.objectWriteTraceId,
          properties: {},
        })),
      },
      { status: 201, headers: { "X-HubSpot-RateLimit-Remaining": String(100 - seen.length) } },
    );
  };
  return { seen, fetchImpl };
}

const ctxWith = (fetchImpl: typeof fetch): ConnectionContext => ({
  provider: "hubspot",
  baseUrl: "https://api.hubapi.test/",
  accessToken: "token-1",
  fetch: fetchImpl,
});

describe("hubSpotConnector", () => {
  it("splits a large batch into calls of 100 with trace ids, keeping input order", async () => {
    const { seen, fetchImpl } = recordingHubSpot();
    const inputs = Array.from({ length: 150 }, (_, i) => ({ fields: { email: `${i}@x.test` } }));
    const result = await hubSpotConnector.writeBatch(
      ctxWith(fetchImpl),
      "contact",
      "create",
      inputs,
      {
        allOrNone: false,
      },
    );
    expect(seen.map((r) => r.url)).toEqual([
      "https://api.hubapi.test/crm/v3/objects/contacts/batch/create",
      "https://api.hubapi.test/crm/v3/objects/contacts/batch/create",
    ]);
    const sizes = seen.map((r) => (r.body as { inputs: unknown[] }).inputs.length);
    expect(sizes).toEqual([100, 50]);
    expect(result.outcomes).toHaveLength(150);
    expect(result.outcomes[0]).toMatchObject({ ok: true, recordId: "id-1-0" });
    expect(result.outcomes[149]).toMatchObject({ ok: true, recordId: "id-2-49" });
    expect(result.limits).toEqual({ remaining: 98 });
  });

  it("creates with properties and inline associations, authenticated", async () => {
    const { seen, fetchImpl } = recordingHubSpot(() =>
      Response.json({ id: "512", properties: { email: "a@x.test" } }, { status: 201 }),
    );
    const associations = [
      {
        to: { id: "77" },
        types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 1 }],
      },
    ];
    const outcome = await hubSpotConnector.create(
      ctxWith(fetchImpl),
      "contact",
      { email: "a@x.test", age: 3 },
      { associations, headers: [{ key: "X-Ignored", value: "1" }] },
    );
    expect(outcome).toMatchObject({ ok: true, recordId: "512" });
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.headers.get("authorization")).toBe("Bearer token-1");
    expect(seen[0]?.headers.get("x-ignored")).toBeNull();
    expect(seen[0]?.body).toEqual({ properties: { email: "a@x.test", age: 3 }, associations });
  });

  it("returns a duplicate as a record outcome but throws a rate limit", async () => {
    const conflict = recordingHubSpot(() =>
      Response.json(
        { status: "error", message: "Contact already exists", category: "CONFLICT" },
        { status: 409 },
      ),
    );
    const outcome = await hubSpotConnector.create(ctxWith(conflict.fetchImpl), "contact", {});
    expect(outcome).toMatchObject({ ok: false, error: { disposition: "permanent", status: 409 } });

    const limited = recordingHubSpot(() =>
      Response.json(
        { policyName: "TEN_SECONDLY_ROLLING" },
        { status: 429, headers: { "Retry-After": "1" } },
      ),
    );
    const thrown = await hubSpotConnector
      .create(ctxWith(limited.fetchImpl), "contact", {})
      .catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(ProviderError);
    expect(thrown).toMatchObject({ disposition: "rate_limited", retryAfterMs: 1_000 });
  });

  it("gets properties, and null for a missing record", async () => {
    const found = recordingHubSpot(() =>
      Response.json({ id: "1", properties: { email: "a@x.test" } }),
    );
    expect(
      await hubSpotConnector.get(ctxWith(found.fetchImpl), "contacts", "1", ["email", "phone"]),
    ).toEqual({
      email: "a@x.test",
    });
    expect(found.seen[0]?.url).toBe(
      "https://api.hubapi.test/crm/v3/objects/contacts/1?properties=email%2Cphone",
    );

    const missing = recordingHubSpot(() =>
      Response.json(
        { status: "error", category: "OBJECT_NOT_FOUND", message: "resource not found" },
        { status: 404 },
      ),
    );
    expect(await hubSpotConnector.get(ctxWith(missing.fetchImpl), "contact", "2", [])).toBeNull();
  });
});
