import { createMetrics } from "@writ/telemetry";
import { describe, expect, it } from "vitest";
import { parseWorkerEnv } from "./env";
import { instrumentProviderFetch, providerOfUrlFrom } from "./providerFetch";

const sandboxEnv = parseWorkerEnv({
  WRIT_PROVIDER_BASE_URL_HUBSPOT: "http://127.0.0.1:4010/hubspot",
  WRIT_PROVIDER_BASE_URL_SALESFORCE: "http://127.0.0.1:4010/salesforce",
  WRIT_PROVIDER_TOKEN_URL_HUBSPOT: "http://127.0.0.1:4010/hubspot/oauth/v1/token",
});

describe("providerOfUrlFrom", () => {
  it("recognises configured endpoints, then the providers' own hosts", () => {
    const providerOf = providerOfUrlFrom(sandboxEnv);
    expect(providerOf("http://127.0.0.1:4010/hubspot/crm/v3/objects/contacts")).toBe("hubspot");
    expect(
      providerOf("http://127.0.0.1:4010/salesforce/services/data/v62.0/sobjects/Contact"),
    ).toBe("salesforce");
    expect(providerOf("http://127.0.0.1:4010/hubspot/oauth/v1/token")).toBe("hubspot");
    expect(providerOf("http://127.0.0.1:4010/hubspotter")).toBe("other");

    const production = providerOfUrlFrom(parseWorkerEnv({}));
    expect(production("https://api.hubapi.com/crm/v3/objects/contacts/batch/create")).toBe(
      "hubspot",
    );
    expect(production("https://acme.my.salesforce.com/services/data/v62.0/sobjects/Lead")).toBe(
      "salesforce",
    );
    expect(production("https://example.com/webhook")).toBe("other");
  });
});

describe("instrumentProviderFetch", () => {
  it("times calls by provider and status and counts rate-limit answers", async () => {
    const metrics = createMetrics();
    const answers = [
      new Response("{}", { status: 201 }),
      new Response('{"status":"error","category":"RATE_LIMITS"}', { status: 429 }),
      new Response(
        '[{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded."}]',
        {
          status: 403,
        },
      ),
      new Response('[{"errorCode":"INSUFFICIENT_ACCESS"}]', { status: 403 }),
    ];
    const instrumented = instrumentProviderFetch(
      metrics,
      providerOfUrlFrom(parseWorkerEnv({})),
      async () => answers.shift() ?? new Response(null, { status: 500 }),
    );
    await instrumented("https://api.hubapi.com/crm/v3/objects/contacts", { method: "POST" });
    await instrumented("https://api.hubapi.com/crm/v3/objects/contacts", { method: "POST" });
    const limited = await instrumented("https://acme.my.salesforce.com/services/data", {});
    // The caller still reads the body the wrapper peeked at.
    expect(await limited.text()).toContain("REQUEST_LIMIT_EXCEEDED");
    await instrumented("https://acme.my.salesforce.com/services/data", {});
    const failing = instrumentProviderFetch(
      metrics,
      () => "hubspot",
      async () => {
        throw new TypeError("fetch failed");
      },
    );
    await expect(failing("https://api.hubapi.com/x")).rejects.toThrow("fetch failed");

    const text = await metrics.render();
    expect(text).toContain('writ_provider_rate_limited_total{provider="hubspot"} 1');
    expect(text).toContain('writ_provider_rate_limited_total{provider="salesforce"} 1');
    for (const [provider, status] of [
      ["hubspot", "201"],
      ["hubspot", "429"],
      ["salesforce", "403"],
      ["hubspot", "error"],
    ]) {
      expect(text).toMatch(
        new RegExp(
          `writ_provider_request_duration_seconds_count\\{provider="${provider}",status="${status}"\\} \\d+`,
        ),
      );
    }
    expect(text).toContain(
      'writ_provider_request_duration_seconds_count{provider="salesforce",status="403"} 2',
    );
  });
});
