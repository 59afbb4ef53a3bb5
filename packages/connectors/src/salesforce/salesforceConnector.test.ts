import { describe, expect, it } from "vitest";
import type { ConnectionContext } from "../connector";
import { salesforceConnector } from "./salesforceConnector";

function recordingSalesforce(answer: () => Response) {
  const seen: Array<{ url: string; method: string; headers: Headers; body: unknown }> = [];
  const fetchImpl: typeof fetch = async (url, init) => {
    seen.push({
      url: String(url),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    return answer();
  };
  const ctx: ConnectionContext = {
    provider: "salesforce",
    baseUrl: "https://acme.my.salesforce.test",
    accessToken: "session-1",
    fetch: fetchImpl,
  };
  return { seen, ctx };
}

describe("salesforceConnector", () => {
  it("forwards caller headers but never lets them replace authentication", async () => {
    const { seen, ctx } = recordingSalesforce(
      () =>
        new Response(null, { status: 204, headers: { "Sforce-Limit-Info": "api-usage=3/100" } }),
    );
    const outcome = await salesforceConnector.update(
      ctx,
      "contact",
      "003A",
      { LastName: "Lovelace" },
      {
        headers: [
          { key: "Sforce-Auto-Assign", value: "FALSE" },
          { key: "Authorization", value: "Bearer stolen" },
        ],
      },
    );
    expect(outcome).toEqual({
      ok: true,
      recordId: "003A",
      limits: { dailyUsed: 3, dailyLimit: 100 },
    });
    expect(seen[0]?.url).toBe(
      "https://acme.my.salesforce.test/services/data/v62.0/sobjects/Contact/003A",
    );
    expect(seen[0]?.method).toBe("PATCH");
    expect(seen[0]?.headers.get("sforce-auto-assign")).toBe("FALSE");
    expect(seen[0]?.headers.get("authorization")).toBe("Bearer session-1");
  });

  it("sends composite records with their type and, for updates, their id", async () => {
    const { seen, ctx } = recordingSalesforce(() =>
      Response.json([
        { id: "a01A", success: true, errors: [] },
        { id: "a01B", success: true, errors: [] },
      ]),
    );
    const result = await salesforceConnector.writeBatch(
      ctx,
      "touchpoints__c",
      "update",
      [
        { fields: { Channel__c: "email" }, recordId: "a01A" },
        { fields: { Channel__c: "web" }, recordId: "a01B" },
      ],
      { allOrNone: true },
    );
    expect(seen[0]?.url).toBe(
      "https://acme.my.salesforce.test/services/data/v62.0/composite/sobjects",
    );
    expect(seen[0]?.method).toBe("PATCH");
    expect(seen[0]?.body).toEqual({
      allOrNone: true,
      records: [
        { attributes: { type: "touchpoints__c" }, Channel__c: "email", id: "a01A" },
        { attributes: { type: "touchpoints__c" }, Channel__c: "web", id: "a01B" },
      ],
    });
    expect(result.outcomes.map((o) => o.ok && o.recordId)).toEqual(["a01A", "a01B"]);
  });

  it("refuses an all-or-none batch larger than one call", async () => {
    const { ctx } = recordingSalesforce(() => Response.json([]));
    const inputs = Array.from({ length: 201 }, () => ({ fields: { LastName: "x" } }));
    await expect(
      salesforceConnector.writeBatch(ctx, "contact", "create", inputs, { allOrNone: true }),
    ).rejects.toThrow(RangeError);
  });

  it("strips attributes from a fetched record", async () => {
    const { seen, ctx } = recordingSalesforce(() =>
      Response.json({ attributes: { type: "Contact", url: "/x" }, Id: "003A", LastName: "L" }),
    );
    expect(await salesforceConnector.get(ctx, "contact", "003A", ["Id", "LastName"])).toEqual({
      Id: "003A",
      LastName: "L",
    });
    expect(seen[0]?.url).toContain("/sobjects/Contact/003A?fields=Id%2CLastName");
  });
});
